SELECT av, (SELECT count(*) FROM u WHERE b.id = a.id) AS n FROM t ORDER BY av
