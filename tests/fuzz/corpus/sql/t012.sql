INSERT INTO t VALUES (1, 1.5, 'a'), (2, NULL, 'b'), (1, 2.5, NULL), (NULL, 4.0, 'c')
