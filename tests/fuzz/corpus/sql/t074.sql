SET threads = 0
