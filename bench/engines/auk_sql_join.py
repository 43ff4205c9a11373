#!/usr/bin/python3
"""auk's SQL shell as an engine of the join benchmark (bench/run_join.py):
the five questions in the SQL text of db-benchmark's DuckDB join script,
run by the `auk` command on one script (engines/auk_sql_common.py).

Usage: auk_sql_join.py AUK_BINARY X.csv SMALL.csv MEDIUM.csv BIG.csv REPS THREADS [q1,...]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import auk_sql_common  # noqa: E402

SQL = {
    "q1": "SELECT x.*, small.id4 AS small_id4, v2 FROM x JOIN small USING (id1)",
    "q2": "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x JOIN medium USING (id2)",
    "q3": "SELECT x.*, medium.id1 AS medium_id1, medium.id4 AS medium_id4, medium.id5 AS medium_id5, v2 FROM x LEFT JOIN medium USING (id2)",
    "q4": "SELECT x.*, medium.id1 AS medium_id1, medium.id2 AS medium_id2, medium.id4 AS medium_id4, v2 FROM x JOIN medium USING (id5)",
    "q5": "SELECT x.*, big.id1 AS big_id1, big.id2 AS big_id2, big.id4 AS big_id4, big.id5 AS big_id5, big.id6 AS big_id6, v2 FROM x JOIN big USING (id3)",
}

if __name__ == "__main__":
    auk, paths = sys.argv[1], sys.argv[2:6]
    reps, threads = int(sys.argv[6]), int(sys.argv[7])
    only = sys.argv[8].split(",") if len(sys.argv) > 8 and sys.argv[8] else list(SQL)
    load = [f"CREATE TABLE {n} AS SELECT * FROM read_csv('{p.replace(chr(39), chr(39) * 2)}');"
            for n, p in zip(["x", "small", "medium", "big"], paths)]
    auk_sql_common.run("auk-sql", auk, threads, load, "x",
                       [(q, SQL[q], ["v1", "v2"]) for q in SQL if q in only], reps)
