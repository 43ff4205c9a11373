SELECT sum(x) FROM from_api
