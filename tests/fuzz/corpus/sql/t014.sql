SELECT count(*), count(v), count(DISTINCT k), sum(v) FROM t
