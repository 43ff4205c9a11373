DROP TABLE IF EXISTS nothing_here
