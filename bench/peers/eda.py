#!/usr/bin/env python3
"""The notebook peer of `nadir eda`, in a fresh process: `eda.py <file>`.

What an analyst runs today with pandas + scipy on an NSL-KDD-shaped file (headerless, 43
columns): describe() with the same quantiles, skewness, zeros and distinct counts; value counts
and attack rates of the categorical columns; Welch's t-test and Mann–Whitney U per numeric
feature (attack vs normal); chi-square + Cramér's V per categorical feature; Benjamini–Hochberg;
Pearson and Spearman correlation matrices; IQR and robust-z outlier counts. No charts (seaborn
would add minutes on 1M rows), so this is a lower bound for the notebook. Prints one JSON line:
seconds (load, analyse), peak RSS and the same check values as bench/cases/eda-case.ts.
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
import pandas as pd
from scipy import stats

COLUMNS = (
    "duration,protocol_type,service,flag,src_bytes,dst_bytes,land,wrong_fragment,urgent,hot,"
    "num_failed_logins,logged_in,num_compromised,root_shell,su_attempted,num_root,num_file_creations,"
    "num_shells,num_access_files,num_outbound_cmds,is_host_login,is_guest_login,count,srv_count,"
    "serror_rate,srv_serror_rate,rerror_rate,srv_rerror_rate,same_srv_rate,diff_srv_rate,"
    "srv_diff_host_rate,dst_host_count,dst_host_srv_count,dst_host_same_srv_rate,"
    "dst_host_diff_srv_rate,dst_host_same_src_port_rate,dst_host_srv_diff_host_rate,"
    "dst_host_serror_rate,dst_host_srv_serror_rate,dst_host_rerror_rate,dst_host_srv_rerror_rate,"
    "label,difficulty"
).split(",")
CATEGORICAL = ["protocol_type", "service", "flag"]


def rss_mb():
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def bh(p):
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = len(q)
    if m == 0:
        return out
    order = np.argsort(q)
    adj = q[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(adj[::-1])[::-1]
    res = np.empty(m)
    res[order] = np.minimum(adj, 1)
    out[ok] = res
    return out


def main():
    path = sys.argv[1]
    before = rss_mb()
    t0 = time.perf_counter()
    df = pd.read_csv(path, header=None, names=COLUMNS, low_memory=False).drop(columns=["difficulty"])
    t1 = time.perf_counter()
    warnings.simplefilter("ignore")
    attack = (df["label"] != "normal").to_numpy()
    numeric = [c for c in df.columns if c not in CATEGORICAL and c != "label"]
    num = df[numeric]
    summary = num.describe(percentiles=[0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99])
    skew = num.skew()
    zeros = (num == 0).mean()
    nunique = num.nunique()
    cats = {c: df.groupby(c)["label"].agg(["size", lambda s: (s != "normal").mean()]) for c in CATEGORICAL}
    welch, mw = [], []
    for c in numeric:
        a = num[c].to_numpy()[attack]
        n = num[c].to_numpy()[~attack]
        welch.append(stats.ttest_ind(a, n, equal_var=False))
        mw.append(stats.mannwhitneyu(a, n))
    chi = {}
    for c in CATEGORICAL:
        ct = pd.crosstab(df[c], attack)
        chi2, p, dof, _ = stats.chi2_contingency(ct)
        chi[c] = (chi2, p, dof, np.sqrt(chi2 / (ct.values.sum() * (min(ct.shape) - 1))))
    adj_t = bh([w.pvalue for w in welch])
    adj_mw = bh([m.pvalue for m in mw])
    adj_chi = bh([v[1] for v in chi.values()])
    pearson = num.corr(method="pearson")
    spearman = num.corr(method="spearman")
    q1, q3 = num.quantile(0.25), num.quantile(0.75)
    iqr = q3 - q1
    iqr_out = ((num < q1 - 1.5 * iqr) | (num > q3 + 1.5 * iqr)).sum()
    med = num.median()
    mad = (num - med).abs().median()
    robust = ((0.6745 * (num - med)).abs().div(mad.replace(0, np.nan)) > 3.5).sum()
    t2 = time.perf_counter()
    check = {f"t:{c}": float(w.statistic) for c, w in zip(numeric, welch) if c in ("count", "same_srv_rate", "dst_host_srv_count", "duration", "src_bytes")}
    check.update({f"chi2:{c}": float(v[0]) for c, v in chi.items()})
    check["iqr:src_bytes"] = int(iqr_out["src_bytes"])
    # use every result so nothing is skipped
    _ = (summary.values.sum(), skew.sum(), zeros.sum(), nunique.sum(), len(cats), adj_t, adj_mw, adj_chi, pearson.values.sum(), spearman.values.sum(), robust.sum())
    print(json.dumps({
        "engine": "pandas+scipy",
        "file": path,
        "rows": int(df.shape[0]),
        "columns": int(df.shape[1]) - 1,
        "seconds": {"load": t1 - t0, "analyse": t2 - t1, "report": 0.0, "total": t2 - t0},
        "rssBeforeMB": before,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "check": check,
    }))


if __name__ == "__main__":
    main()
