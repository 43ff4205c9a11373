SELECT av, bv, b.id FROM t LEFT JOIN b ON a.id = b.id ORDER BY av
