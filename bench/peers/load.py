#!/usr/bin/env python3
"""One pandas load measurement in a fresh process: `load.py <file>`.

pandas.read_csv (C engine, compression inferred from the name, header sniffed like nadir does:
the NSL-KDD files are headerless) into a DataFrame: numeric columns become int64/float64 numpy
arrays, text columns Python-object arrays. Prints one JSON line: rows, columns, seconds, RSS
before loading and peak RSS (getrusage ru_maxrss, KiB on Linux).
"""
import json
import resource
import sys
import time

import pandas as pd


def rss_mb():
    with open('/proc/self/statm') as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main():
    path = sys.argv[1]
    before = rss_mb()
    t0 = time.perf_counter()
    df = pd.read_csv(path, header=None, low_memory=False)
    seconds = time.perf_counter() - t0
    first_num = df.select_dtypes('number').iloc[:, 0]
    print(json.dumps({
        'engine': 'pandas',
        'file': path,
        'rows': int(df.shape[0]),
        'columns': int(df.shape[1]),
        'seconds': seconds,
        'rssBeforeMB': before,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'checksum': float(first_num.sum()),
    }))


if __name__ == '__main__':
    main()
