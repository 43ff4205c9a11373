SELECT 1 + 2 AS a, 'x' || 'y', 7 / 2, 7 // 2, -3 % 2
