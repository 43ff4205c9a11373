SELECT sum(sum(v)) FROM t
