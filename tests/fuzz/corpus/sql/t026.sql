SELECT count(*) FROM uig
