WITH m AS (SELECT id, count(*) AS n FROM t GROUP BY id) 
