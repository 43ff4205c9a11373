CREATE TABLE a AS SELECT * FROM (VALUES (1, 'a1'), (2, 'a2'), (NULL, 'an'), (2, 'a2b')) 
