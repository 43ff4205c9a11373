SELECT * FROM read_csv('/nonexistent/file.csv')
