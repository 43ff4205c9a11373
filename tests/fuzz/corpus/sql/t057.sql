SELECT id FROM t JOIN b ON a.id = b.id
