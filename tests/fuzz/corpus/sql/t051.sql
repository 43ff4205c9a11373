SELECT av FROM t WHERE id = (SELECT max(id) FROM u WHERE id < 3)
