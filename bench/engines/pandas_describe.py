# pandas (Debian python3-pandas): read_csv, then the describe statistics.
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1])
stats = ["count", "null_count", "mean", "std", "min", "max"]
out = {s: [] for s in stats}
for c in df.columns:
    s = df[c]
    numeric = pd.api.types.is_numeric_dtype(s)
    out["count"].append(str(int(s.count())))
    out["null_count"].append(str(int(s.isna().sum())))
    out["mean"].append(repr(float(s.mean())) if numeric else "")
    out["std"].append(repr(float(s.std())) if numeric else "")
    nn = s.dropna()
    out["min"].append(str(nn.min()) if len(nn) else "")
    out["max"].append(str(nn.max()) if len(nn) else "")
print(",".join(["statistic"] + list(df.columns)))
for st in stats:
    print(",".join([st] + out[st]))
