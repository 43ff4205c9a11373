"""pandas (Debian python3-pandas, run with /usr/bin/python3): read_csv, then
count, null_count, mean, std (ddof 1), min and max of every column. pandas
reads and computes on one thread. Prints the describe CSV on stdout: a header
`statistic,<columns>` and one row per statistic, empty = null.
    /usr/bin/python3 pandas_describe.py FILE.csv"""
import sys

import pandas as pd


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pandas_describe.py FILE.csv")
    df = pd.read_csv(sys.argv[1])
    stats = ["count", "null_count", "mean", "std", "min", "max"]
    out = {s: [] for s in stats}
    for c in df.columns:
        s = df[c]
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        count = int(s.count())
        out["count"].append(str(count))
        out["null_count"].append(str(len(s) - count))
        out["mean"].append(repr(float(s.mean())) if numeric and count else "")
        out["std"].append(repr(float(s.std())) if numeric and count > 1 else "")
        nn = s if numeric else s.dropna()  # numeric min/max skip NaN already
        out["min"].append(str(nn.min()) if count else "")
        out["max"].append(str(nn.max()) if count else "")
    print(",".join(["statistic"] + list(df.columns)))
    for st in stats:
        print(",".join([st] + out[st]))


if __name__ == "__main__":
    main()
