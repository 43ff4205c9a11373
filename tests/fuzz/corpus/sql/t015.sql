SELECT k, sum(v) AS sv, count(*) AS n FROM t GROUP BY k ORDER BY k NULLS FIRST
