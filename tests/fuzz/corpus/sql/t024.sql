SELECT * FROM t WHERE sum(v) > 1
