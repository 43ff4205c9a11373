#!/usr/bin/python3
"""auk's SQL shell as an engine of the groupby benchmark (bench/run_groupby.py):
the ten questions in the SQL text of db-benchmark's DuckDB script, run by the
`auk` command on one script (engines/auk_sql_common.py), so anyone can
reproduce them from the shell. q8 is the window query (row_number() OVER).

Usage: auk_sql_groupby.py AUK_BINARY FILE.csv REPS THREADS [q1,q2,...]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import auk_sql_common  # noqa: E402

SQL = {
    "q1": "SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1",
    "q2": "SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2",
    "q3": "SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3",
    "q4": "SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4",
    "q5": "SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6",
    "q6": "SELECT id4, id5, quantile_cont(v3, 0.5) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5",
    "q7": "SELECT id3, max(v1)-min(v2) AS range_v1_v2 FROM x GROUP BY id3",
    "q8": "SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2",
    "q9": "SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4",
    "q10": "SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6",
}
MEASURES = {"q1": ["v1"], "q2": ["v1"], "q3": ["v1", "v3"], "q4": ["v1", "v2", "v3"],
            "q5": ["v1", "v2", "v3"], "q6": ["median_v3", "sd_v3"], "q7": ["range_v1_v2"],
            "q8": ["largest2_v3"], "q9": ["r2"], "q10": ["v3", "count"]}

if __name__ == "__main__":
    auk, path, reps, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    only = sys.argv[5].split(",") if len(sys.argv) > 5 and sys.argv[5] else list(SQL)
    esc = path.replace("'", "''")
    auk_sql_common.run("auk-sql", auk, threads, [f"CREATE TABLE x AS SELECT * FROM read_csv('{esc}');"],
                       "x", [(q, SQL[q], MEASURES[q]) for q in SQL if q in only], reps)
