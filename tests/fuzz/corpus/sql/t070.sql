SELECT count(*), max(s) FROM t2
