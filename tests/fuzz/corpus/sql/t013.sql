INSERT INTO t (s, k) VALUES ('d', 3)
