SELECT nullif(1, 1), nullif(2, 1), coalesce(NULL, NULL, 5), greatest(1, 7, 3)
