SELECT a.av, b.bv FROM t JOIN b ON a.id = b.id ORDER BY 1
