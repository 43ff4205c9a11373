CREATE TABLE b AS SELECT * FROM (VALUES (2, 'b2'), (3, 'b3'), (NULL, 'bn')) x(id, bv)
