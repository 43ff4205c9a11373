SELECT count(*) FROM t, b WHERE a.id = b.id
