SELECT k, count(*) FROM t GROUP BY 1 HAVING count(*) > 1
