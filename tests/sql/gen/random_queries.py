# random_queries.py - a differential test generator: random tables (with
# NULLs) and random queries (filters, expressions, group-bys, joins,
# subqueries, windows, set operations, ORDER BY/LIMIT) as a sqllogictest
# file without expected rows. DuckDB fills them in and auk is checked
# against them:
#
#   python3 tests/sql/gen/random_queries.py SEED N > /tmp/r.test
#   node tests/sql/gen/duckdb_check.mjs --write /tmp/r.test
#   build/auk-sqllogictest /tmp/r.test
#
# BIG=100000 in the environment loads the tables from generated CSV files
# of that many rows (written to /tmp/rq/) instead, so that the parallel
# paths run. Known, deliberate differences show up as failures: DATE
# arithmetic with intervals stays DATE in auk (TIMESTAMP in DuckDB), and
# DuckDB reports INTEGER overflow where auk computes in 64 bits.
import random, sys
seed = int(sys.argv[1]); n = int(sys.argv[2])
R = random.Random(seed)
out = []
def stmt(s): out.append("statement ok\n" + s + "\n")
# tables
stmt("CREATE TABLE t (id INTEGER, a INTEGER, b DOUBLE, s VARCHAR, d DATE, g VARCHAR, e DECIMAL(9,2))")
stmt("CREATE TABLE u (id INTEGER, a INTEGER, c DOUBLE, s VARCHAR, g VARCHAR)")
def val_int(): return "NULL" if R.random() < 0.15 else str(R.randint(-5, 12))
def val_dbl(): return "NULL" if R.random() < 0.15 else repr(round(R.uniform(-10, 10), 2))
def val_str(): return "NULL" if R.random() < 0.15 else "'" + R.choice(["x","y","z","xy","Ab","aB","", "zz", "q%"]) + "'"
def val_date(): return "NULL" if R.random() < 0.15 else "DATE '2024-%02d-%02d'" % (R.randint(1,12), R.randint(1,28))
def val_g(): return "NULL" if R.random() < 0.1 else "'" + R.choice("pqr") + "'"
def val_dec(): return "NULL" if R.random() < 0.15 else "%.2f" % R.uniform(-50, 50)
import os
BIG = int(os.environ.get("BIG", "0"))
if BIG:
    def c(v): return "" if v == "NULL" else v.replace("DATE ", "").strip("'")
    os.makedirs("/tmp/rq", exist_ok=True)
    with open("/tmp/rq/t.csv", "w") as f:
        f.write("id,a,b,s,d,g,e\n")
        for i in range(BIG): f.write(",".join([str(i), c(val_int()), c(val_dbl()), c(val_str()) if True else "", c(val_date()), c(val_g()), c(val_dec())]) + "\n")
    with open("/tmp/rq/u.csv", "w") as f:
        f.write("id,a,c,s,g\n")
        for i in range(BIG // 4): f.write(",".join([str(i), c(val_int()), c(val_dbl()), c(val_str()), c(val_g())]) + "\n")
    stmt("COPY t FROM '/tmp/rq/t.csv' (HEADER)")
    stmt("COPY u FROM '/tmp/rq/u.csv' (HEADER)")
else:
    rows = ", ".join("(%d, %s, %s, %s, %s, %s, %s)" % (i, val_int(), val_dbl(), val_str(), val_date(), val_g(), val_dec()) for i in range(40))
    stmt("INSERT INTO t VALUES " + rows)
    rows = ", ".join("(%d, %s, %s, %s, %s)" % (i, val_int(), val_dbl(), val_str(), val_g()) for i in range(25))
    stmt("INSERT INTO u VALUES " + rows)

INT_T = ["t.a", "t.id"]; DBL_T = ["t.b", "t.e", "t.e"]; STR_T = ["t.s", "t.g"]
INT_U = ["u.a", "u.id"]; DBL_U = ["u.c"]; STR_U = ["u.s", "u.g"]
def num(cols, depth=0):
    ints, dbls = cols
    r = R.random()
    if depth > 2 or r < 0.35: return R.choice(ints + dbls)
    if r < 0.45: return R.choice([str(R.randint(-3, 7)), "%.1f" % R.uniform(-5, 5), "%.2f" % R.uniform(0, 3)])
    if r < 0.7: return "(%s %s %s)" % (num(cols, depth+1), R.choice(["+","-","*"]), num(cols, depth+1))
    if r < 0.78: return "abs(%s)" % num(cols, depth+1)
    if r < 0.85: return "coalesce(%s, %s)" % (num(cols, depth+1), num(cols, depth+1))
    if r < 0.92: return "CASE WHEN %s THEN %s ELSE %s END" % (cond(cols, None, depth+1), num(cols, depth+1), num(cols, depth+1))
    return "round(%s, %d)" % (R.choice(dbls) if dbls else num(cols, depth+1), R.randint(0, 2))
def strx(strs, depth=0):
    r = R.random()
    if depth > 1 or r < 0.5: return R.choice(strs)
    if r < 0.6: return "upper(%s)" % strx(strs, depth+1)
    if r < 0.7: return "lower(%s)" % strx(strs, depth+1)
    if r < 0.8: return "(%s || %s)" % (strx(strs, depth+1), strx(strs, depth+1))
    if r < 0.9: return "substr(%s, 1, 1)" % strx(strs, depth+1)
    return "coalesce(%s, 'none')" % strx(strs, depth+1)
def cond(cols, strs, depth=0):
    r = R.random()
    if depth > 2: r = R.random() * 0.6
    if r < 0.3: return "%s %s %s" % (num(cols, depth+1), R.choice(["<","<=",">",">=","=","<>"]), num(cols, depth+1))
    if r < 0.4 and strs: return "%s %s %s" % (R.choice(strs), R.choice(["=","<>","<",">="]), R.choice(["'x'","'y'","'Ab'","'zz'"]))
    if r < 0.47: return "%s IS %sNULL" % (R.choice(cols[0] + cols[1] + (strs or [])), R.choice(["", "NOT "]))
    if r < 0.53: return "%s BETWEEN %d AND %d" % (num(cols, depth+1), R.randint(-5, 3), R.randint(3, 10))
    if r < 0.58: return "%s IN (%s)" % (R.choice(cols[0]), ", ".join(str(R.randint(-3, 10)) for _ in range(3)))
    if r < 0.62 and strs: return "%s LIKE '%s'" % (R.choice(strs), R.choice(["x%","%y","_","%","a%"]))
    if r < 0.64 and strs: return "%s ILIKE '%s'" % (R.choice(strs), R.choice(["x%","%B","a_"]))
    if r < 0.8: return "(%s %s %s)" % (cond(cols, strs, depth+1), R.choice(["AND","OR"]), cond(cols, strs, depth+1))
    if r < 0.88: return "NOT (%s)" % cond(cols, strs, depth+1)
    return "%s IS NOT DISTINCT FROM %s" % (R.choice(cols[0]), R.choice(cols[0]))
AGGS = ["sum(%s)", "count(%s)", "min(%s)", "max(%s)", "avg(%s)", "count(DISTINCT %s)"]
def q_distinct_agg():
    x = R.choice(["t.a", "t.s", "t.g", "t.b", "t.d"])
    extra = R.choice(["", ", min(%s)" % x, ", max(%s)" % x, ", count(DISTINCT %s) + 1" % x, ", sum(t.id)"])
    key = R.choice(["", "t.g", "t.a % 3", "t.s"])
    if key:
        return "SELECT %s, count(DISTINCT %s)%s FROM t GROUP BY %s" % (key, x, extra, key), "rowsort", 2 + (1 if extra else 0)
    return "SELECT count(DISTINCT %s)%s FROM t%s" % (x, extra, R.choice(["", " WHERE t.id < 0", " WHERE t.a > 3"])), "rowsort", 1 + (1 if extra else 0)
def q_select():
    cols = (INT_T, DBL_T)
    items = [num(cols) for _ in range(R.randint(1, 3))] + ([strx(STR_T)] if R.random() < 0.5 else [])
    w = " WHERE " + cond(cols, STR_T) if R.random() < 0.8 else ""
    return "SELECT %s FROM t%s" % (", ".join(items), w), "rowsort", len(items)
def q_group():
    cols = (INT_T, DBL_T)
    key = R.choice(["t.g", "t.a", "t.s", "t.a % 3", "upper(t.s)", "t.d", "year(t.d)"])
    aggs = [R.choice(AGGS) % num(cols) for _ in range(R.randint(1, 3))]
    if R.random() < 0.3: aggs.append("count(*)")
    w = " WHERE " + cond(cols, STR_T) if R.random() < 0.5 else ""
    h = " HAVING count(*) > %d" % R.randint(0, 3) if R.random() < 0.3 else ""
    return "SELECT %s, %s FROM t%s GROUP BY %s%s" % (key, ", ".join(aggs), w, key, h), "rowsort", 1 + len(aggs)
def q_join():
    kind = R.choice(["JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"])
    on = R.choice(["t.id = u.id", "t.id = u.a", "t.id = u.id AND t.g = u.g"] if BIG else ["t.a = u.a", "t.g = u.g", "t.id = u.id", "t.s = u.s", "t.a = u.a AND t.g = u.g"])
    items = [R.choice(["t.id", "u.id", "t.a", "u.c", "t.s", "u.g", "coalesce(t.a, u.a)"]) for _ in range(R.randint(1, 3))]
    w = " WHERE " + cond((INT_T + INT_U, DBL_T + DBL_U), STR_T + STR_U) if R.random() < 0.5 else ""
    return "SELECT %s FROM t %s u ON %s%s" % (", ".join(items), kind, on, w), "rowsort", len(items)
def q_joingroup():
    on = R.choice(["t.id = u.id", "t.a = u.id"] if BIG else ["t.a = u.a", "t.g = u.g", "t.id = u.id"])
    kind = R.choice(["JOIN", "LEFT JOIN"])
    key = R.choice(["t.g", "u.g", "t.a"])
    aggs = [R.choice(AGGS) % num((INT_T + INT_U, DBL_T + DBL_U)) for _ in range(R.randint(1, 2))]
    return "SELECT %s, %s FROM t %s u ON %s GROUP BY %s" % (key, ", ".join(aggs), kind, on, key), "rowsort", 1 + len(aggs)
def q_sub():
    r = R.random()
    if r < 0.25:
        return "SELECT t.id FROM t WHERE t.a IN (SELECT u.a FROM u WHERE %s)" % cond((INT_U, DBL_U), STR_U), "rowsort", 1
    if r < 0.45:
        return "SELECT t.id FROM t WHERE t.a NOT IN (SELECT u.a FROM u WHERE u.g = t.g%s)" % (" AND " + cond((INT_U, DBL_U), STR_U) if R.random() < 0.5 else ""), "rowsort", 1
    if r < 0.65:
        return "SELECT t.id FROM t WHERE %sEXISTS (SELECT 1 FROM u WHERE u.a = t.a AND %s)" % (R.choice(["", "NOT "]), cond((INT_U, DBL_U), STR_U)), "rowsort", 1
    if r < 0.85:
        return "SELECT t.id, (SELECT %s FROM u WHERE u.g = t.g) FROM t" % R.choice(["max(u.a)", "count(*)", "sum(u.c)", "min(u.s)"]), "rowsort", 2
    return "SELECT t.id FROM t WHERE t.b > (SELECT avg(u.c) FROM u WHERE %s)" % cond((INT_U, DBL_U), STR_U), "rowsort", 1
def q_window():
    f = R.choice(["row_number()", "rank()", "dense_rank()", "sum(t.a)", "count(t.b)", "min(t.b)", "lag(t.a)", "lead(t.a, 2)", "first_value(t.s)"])
    part = R.choice(["", "PARTITION BY t.g "])
    order = "ORDER BY t.id" if R.random() < 0.7 or f.startswith(("row_", "rank", "dense", "lag", "lead", "first")) else ""
    return "SELECT t.id, %s OVER (%s%s) FROM t" % (f, part, order), "rowsort", 2
def q_setop():
    op = R.choice(["UNION", "UNION ALL", "INTERSECT", "EXCEPT", "INTERSECT ALL", "EXCEPT ALL"])
    return "SELECT t.a, t.g FROM t WHERE %s %s SELECT u.a, u.g FROM u WHERE %s" % (cond((INT_T, DBL_T), STR_T), op, cond((INT_U, DBL_U), STR_U)), "rowsort", 2
def q_order():
    items = ["t.id", num((INT_T, DBL_T)), strx(STR_T)]
    k = R.choice(["2", "3", "2 DESC", "3 DESC NULLS FIRST", "2 NULLS FIRST, 1", "3, 1 DESC"])
    return "SELECT %s FROM t ORDER BY %s, 1 LIMIT %d" % (", ".join(items), k, R.randint(1, 30)), "nosort", 3
def q_func():
    e = R.choice([
      "length(%s)" % strx(STR_T), "replace(%s, 'x', 'Q')" % strx(STR_T), "trim(%s)" % strx(STR_T),
      "left(%s, 1)" % strx(STR_T), "right(%s, 1)" % strx(STR_T), "lpad(%s, 3, '*')" % strx(STR_T),
      "strpos(%s, 'y')" % strx(STR_T), "reverse(%s)" % strx(STR_T), "repeat(%s, 2)" % strx(STR_T),
      "(%s // 3)" % R.choice(INT_T), "(%s %% 4)" % R.choice(INT_T), "(%s / 4)" % R.choice(INT_T),
      "(t.a / NULLIF(t.id % 3, 0))", "CAST(%s AS VARCHAR)" % R.choice(INT_T), "CAST(t.b AS INTEGER)", "CAST(t.b AS BIGINT)",
      "TRY_CAST(t.s AS INTEGER)", "year(t.d)", "month(t.d)", "day(t.d)", "dayofweek(t.d)",
      "extract(quarter FROM t.d)", "date_diff('day', t.d, DATE '2024-06-01')",
      "t.d - 10", "last_day(t.d)", "greatest(t.a, t.id)", "least(t.b, 0.5)",
      "sign(t.b)", "ceil(t.b)", "floor(t.b)", "sqrt(abs(t.b))", "ln(abs(t.b) + 1)", "power(t.a, 2)",
      "CASE t.g WHEN 'p' THEN 1 WHEN 'q' THEN 2 END", "nullif(t.a, 3)", "t.s IS DISTINCT FROM t.g",
      "regexp_replace(coalesce(t.s, ''), '[xy]', '-')", "concat(t.s, '!', t.g)", "upper(t.s) = 'AB'",
      "ifnull(t.a, -1)", "t.b::DECIMAL(10,2)"])
    w = " WHERE " + cond((INT_T, DBL_T), STR_T) if R.random() < 0.4 else ""
    return "SELECT t.id, %s FROM t%s" % (e, w), "rowsort", 2
def q_group2():
    keys = R.sample(["t.g", "t.a % 2", "t.s IS NULL", "month(t.d)"], 2)
    aggs = [R.choice(["median(t.b)", "stddev(t.b)", "var_samp(t.a)", "quantile_cont(t.b, 0.25)", "sum(t.a) FILTER (WHERE t.b > 0)",
                      "count(*) FILTER (WHERE t.s = 'x')", "string_agg(t.s, ',')", "bool_or(t.a > 3)", "bool_and(t.b < 5)",
                      "max(t.s)", "min(t.d)", "first(t.id)", "count(DISTINCT t.s)", "avg(t.a)", "corr(t.a, t.b)"]) for _ in range(R.randint(1, 3))]
    aggs = [a for a in aggs if "string_agg" not in a and "first(" not in a]
    if not aggs: aggs = ["count(*)"]
    return "SELECT %s, %s FROM t GROUP BY %s" % (", ".join(keys), ", ".join(aggs), ", ".join(keys)), "rowsort", 2 + len(aggs)
def q_cte():
    return ("WITH x AS (SELECT t.g, t.a, sum(t.b) OVER (PARTITION BY t.g ORDER BY t.id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) w FROM t) "
            "SELECT x.g, count(*), max(x.w) FROM x WHERE x.a IS NOT NULL GROUP BY x.g"), "rowsort", 3
def q_distinct():
    e = R.choice(["t.g", "t.a % 3", "upper(t.s)", "t.d IS NULL"])
    return "SELECT DISTINCT %s, %s FROM t" % (e, R.choice(["t.g", "t.s IS NULL"])), "rowsort", 2
def q_limit():
    return "SELECT t.id, t.a FROM t ORDER BY t.a %s NULLS %s, t.id LIMIT %d OFFSET %d" % (R.choice(["ASC","DESC"]), R.choice(["FIRST","LAST"]), R.randint(1,10), R.randint(0,10)), "nosort", 2
def q_qualify():
    return "SELECT t.g, t.id, t.b FROM t QUALIFY row_number() OVER (PARTITION BY t.g ORDER BY t.b DESC NULLS LAST, t.id) <= %d" % R.randint(1,3), "rowsort", 3
def q_fromsub():
    return "SELECT s.k, s.n, u.id FROM (SELECT t.g k, count(*) n, sum(t.a) sa FROM t GROUP BY t.g) s JOIN u ON s.k = u.g WHERE u.id < 20 AND s.n > %d" % R.randint(0, 10), "rowsort", 3
gens = [q_distinct_agg, q_distinct_agg, q_select, q_group, q_join, q_joingroup, q_sub, q_window, q_setop, q_order, q_func, q_func, q_group2, q_group2, q_cte, q_distinct, q_limit, q_qualify, q_fromsub]
for i in range(n):
    q, sortmode, ncol = R.choice(gens)()
    out.append("query %s %s\n%s\n----\n" % ("T" * ncol, sortmode, q))
print("\n".join(out))
