#!/usr/bin/env python3
"""One XGBoost fit in a fresh process on the cached matrix nadir fits too (bench/matrix-cache.ts).

scaling.py <matrix json> [--threads 2]
XGBClassifier(tree_method='hist', 200 rounds, depth 6, lr 0.1, 256 bins). Prints one JSON line:
fit seconds, RSS with the data loaded, peak RSS of the process (ru_maxrss).
"""
import argparse
import json
import resource
import time

import numpy as np
from xgboost import XGBClassifier


def rss_mb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('spec')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    with open(a.spec) as f:
        spec = json.load(f)
    n, k = spec['nRows'], spec['nCols']
    X = np.fromfile(spec['xPath'], dtype=np.float32).reshape(n, k)
    y = np.fromfile(spec['yPath'], dtype=np.int32)
    data_rss = rss_mb()
    t0 = time.perf_counter()
    model = XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.1, tree_method='hist', max_bin=256,
                          n_jobs=a.threads, random_state=a.seed).fit(X, y)
    fit = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    checksum = float(model.predict_proba(X[:1000])[:, 1].sum())
    print(json.dumps({'engine': 'xgboost', 'rows': n, 'features': k, 'fitSeconds': fit, 'dataRssMB': data_rss,
                      'peakRssMB': peak, 'checksum': checksum}))


if __name__ == '__main__':
    main()
