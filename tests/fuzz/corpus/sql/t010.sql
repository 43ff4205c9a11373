SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(n, s) WHERE s = 'b'
