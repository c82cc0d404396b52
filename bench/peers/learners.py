#!/usr/bin/env python3
"""The scikit-learn / XGBoost side of `npm run bench -- learners`.

learners.py --train FILE --test FILE [--test21 FILE] [--reps 3] [--threads 2] [--models gbdt,rf,logreg,iforest]

Same task and settings as the nadir side (bench/learners.ts): NSL-KDD binary, one-hot fitted on
the training file; each fit and each batch prediction timed --reps times (median reported).
Progress on stderr; one JSON document on the last stdout line.
Run with OMP_WAIT_POLICY=PASSIVE (the bench sets it): see docs/benchmarks.md.
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import sklearn
import xgboost
from sklearn.ensemble import IsolationForest, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from xgboost import XGBClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nslkdd  # noqa: E402


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(reps, fn):
    seconds = []
    result = None
    for _ in range(reps):
        t0 = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - t0)
    return seconds, result


def make(name, threads, seed):
    if name == 'gbdt':
        return 'XGBoost hist', lambda: XGBClassifier(
            n_estimators=200, max_depth=6, learning_rate=0.1, tree_method='hist', n_jobs=threads,
            random_state=seed, max_bin=256)
    if name == 'rf':
        return 'sklearn RandomForest', lambda: RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=seed)
    if name == 'logreg':
        return 'sklearn LogisticRegression', lambda: LogisticRegression(max_iter=1000)
    if name == 'iforest':
        return 'sklearn IsolationForest', lambda: IsolationForest(
            n_estimators=100, max_samples=256, n_jobs=threads, random_state=seed)
    raise ValueError(name)


def run_model(name, data, reps, threads, seed):
    label, factory = make(name, threads, seed)
    scaled = name == 'logreg'
    Xtr, ytr, Xte, yte, X21, y21 = data['scaled' if scaled else 'plain']
    if name == 'iforest':
        normal = Xtr[ytr == 0]
        fit_s, model = timed(reps, lambda: factory().fit(normal))
        # score higher = more anomalous; the paper's normalised score s = -score_samples
        pred_s, scores = timed(reps, lambda: -model.score_samples(Xte))
        acc = accuracy_score(yte, (scores > 0.5).astype(np.int32))
        acc21 = None if X21 is None else accuracy_score(y21, (-model.score_samples(X21) > 0.5).astype(np.int32))
        fit_rows = int(normal.shape[0])
    else:
        fit_s, model = timed(reps, lambda: factory().fit(Xtr, ytr))
        pred_s, proba = timed(reps, lambda: model.predict_proba(Xte))
        scores = proba[:, 1]
        acc = accuracy_score(yte, proba.argmax(axis=1))
        acc21 = None if X21 is None else accuracy_score(y21, model.predict_proba(X21).argmax(axis=1))
        fit_rows = int(Xtr.shape[0])
    pred_med = statistics.median(pred_s)
    return {
        'model': name,
        'peer': label,
        'fitRows': fit_rows,
        'features': int(Xtr.shape[1]),
        'fitSeconds': fit_s,
        'fitMedian': statistics.median(fit_s),
        'predictSeconds': pred_s,
        'predictMedian': pred_med,
        'predictRowsPerSecond': Xte.shape[0] / pred_med,
        'accuracy': float(acc),
        'rocAuc': float(roc_auc_score(yte, scores)),
        'accuracy21': None if acc21 is None else float(acc21),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', required=True)
    ap.add_argument('--test', required=True)
    ap.add_argument('--test21')
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--models', default='gbdt,rf,logreg,iforest')
    a = ap.parse_args()

    t0 = time.perf_counter()
    train, test = nslkdd.read(a.train), nslkdd.read(a.test)
    t21 = nslkdd.read(a.test21) if a.test21 else None
    ytr, yte = nslkdd.target(train), nslkdd.target(test)
    y21 = None if t21 is None else nslkdd.target(t21)
    data = {}
    for key, enc, dtype in (('plain', nslkdd.Encoder().fit(train), np.float32), ('scaled', nslkdd.Encoder(scale=True).fit(train), np.float64)):
        x21 = None if t21 is None else enc.transform(t21, dtype)
        data[key] = (enc.transform(train, dtype), ytr, enc.transform(test, dtype), yte, x21, y21)
    prep = time.perf_counter() - t0
    results = []
    for name in a.models.split(','):
        log(f'  peer {name} ({a.reps}x)')
        results.append(run_model(name, data, a.reps, a.threads, a.seed))
    print(json.dumps({
        'versions': {'sklearn': sklearn.__version__, 'xgboost': xgboost.__version__, 'numpy': np.__version__},
        'env': {'OMP_WAIT_POLICY': os.environ.get('OMP_WAIT_POLICY')},
        'trainRows': int(ytr.shape[0]),
        'testRows': int(yte.shape[0]),
        'prepareSeconds': prep,
        'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'models': results,
    }))


if __name__ == '__main__':
    main()
