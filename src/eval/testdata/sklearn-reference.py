#!/usr/bin/env python3
"""Writes sklearn-expected.ts: expected metric values from scikit-learn on fixed vectors.

Run with Debian's python3-sklearn (1.2.1):  /usr/bin/python3 src/eval/testdata/sklearn-reference.py
The TypeScript tests (src/eval/*.test.ts) compare nadir's metrics with these numbers to 1e-9.
"""
import json
import math
import os
import random

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, average_precision_score, confusion_matrix, log_loss,
                             precision_recall_curve, precision_recall_fscore_support, roc_auc_score,
                             roc_curve)
from sklearn.preprocessing import label_binarize

rng = random.Random(20240607)


def num(x):
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return repr(x)


def arr(xs):
    return '[' + ', '.join(num(x) for x in xs) + ']'


def ints(xs):
    return '[' + ', '.join(str(int(x)) for x in xs) + ']'


def prf(y, pred, labels=None, average=None):
    p, r, f, _ = precision_recall_fscore_support(y, pred, labels=labels, average=average, zero_division=0)
    return p, r, f


def binary_case(name, y, s, t):
    y = np.array(y)
    s = np.array(s, dtype=np.float64)
    pred = (s >= t).astype(int)
    out = {'y': ints(y), 'scores': arr(s), 'threshold': num(t)}
    two = len(np.unique(y)) == 2
    if two:
        fpr, tpr, thr = roc_curve(y, s)
        out['roc'] = '{ fpr: %s, tpr: %s, thresholds: %s }' % (arr(fpr), arr(tpr), arr(thr))
        fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
        out['rocAll'] = '{ fpr: %s, tpr: %s, thresholds: %s }' % (arr(fpr), arr(tpr), arr(thr))
        out['rocAuc'] = num(roc_auc_score(y, s))
    else:
        out['rocAuc'] = 'null'  # sklearn raises: "Only one class present in y_true"
    p, r, thr = precision_recall_curve(y, s)
    out['pr'] = '{ precision: %s, recall: %s, thresholds: %s }' % (arr(p), arr(r), arr(thr))
    out['averagePrecision'] = num(average_precision_score(y, s))
    out['logLoss'] = num(log_loss(y, np.column_stack([1 - s, s]), labels=[0, 1]))
    out['accuracy'] = num(accuracy_score(y, pred))
    out['confusionMatrix'] = json.dumps(confusion_matrix(y, pred, labels=[0, 1]).tolist())
    p, r, f = prf(y, pred, labels=[0, 1])
    out['perClass'] = '{ precision: %s, recall: %s, f1: %s }' % (arr(p), arr(r), arr(f))
    for avg in ('binary', 'macro', 'weighted'):
        p, r, f = prf(y, pred, average=avg)
        out[avg] = '{ precision: %s, recall: %s, f1: %s }' % (num(p), num(r), num(f))
    cm = confusion_matrix(y, pred, labels=[0, 1])
    tn, fp = cm[0]
    out['fpr'] = num(fp / (fp + tn)) if fp + tn > 0 else 'null'
    return name, out


def multi_case(name, y, P, k):
    y = np.array(y)
    P = np.array(P, dtype=np.float64)
    pred = P.argmax(axis=1)
    out = {'y': ints(y), 'proba': arr(P.ravel()), 'k': str(k)}
    out['accuracy'] = num(accuracy_score(y, pred))
    out['confusionMatrix'] = json.dumps(confusion_matrix(y, pred, labels=list(range(k))).tolist())
    p, r, f = prf(y, pred, labels=list(range(k)))
    out['perClass'] = '{ precision: %s, recall: %s, f1: %s }' % (arr(p), arr(r), arr(f))
    for avg in ('macro', 'weighted'):
        p, r, f = prf(y, pred, average=avg)  # default labels: present in y_true or y_pred
        out[avg] = '{ precision: %s, recall: %s, f1: %s }' % (num(p), num(r), num(f))
    present = sorted(set(y.tolist()))
    per_auc = [roc_auc_score((y == c).astype(int), P[:, c]) if c in present else None for c in range(k)]
    out['perClassAuc'] = '[' + ', '.join('null' if a is None else num(a) for a in per_auc) + ']'
    if len(present) == k:
        out['rocAucOvr'] = num(roc_auc_score(y, P, multi_class='ovr', average='macro'))
    else:
        # sklearn raises when a class is absent; nadir averages the classes that are present.
        out['rocAucOvr'] = num(np.mean([a for a in per_auc if a is not None]))
    out['averagePrecisionOvr'] = num(average_precision_score(label_binarize(y, classes=list(range(k))), P, average='macro'))
    out['logLoss'] = num(log_loss(y, P, labels=list(range(k))))
    return name, out


def rand_proba(n, k, levels):
    rows = []
    for _ in range(n):
        w = [rng.randint(0, levels) + (1 if j == 0 else 0) for j in range(k)]
        rng.shuffle(w)
        s = sum(w)
        rows.append([x / s for x in w])
    return rows


cases = []
# Binary with many ties (scores on a 0.05 grid).
cases.append(binary_case('binaryTies',
                         [0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0],
                         [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.7, 0.1, 0.6, 0.55, 0.55, 0.2, 0.05], 0.5))
# Binary, 60 rows, continuous scores with a few exact ties and 0/1 extremes, threshold 0.3.
y = [rng.randint(0, 1) for _ in range(60)]
s = [min(1.0, max(0.0, round(rng.gauss(0.35 + 0.3 * t, 0.2), 3))) for t in y]
s[5] = s[6] = s[7]
s[10] = 1.0
s[11] = 0.0
cases.append(binary_case('binaryLarge', y, s, 0.3))
# Degenerate: a single class present (all normal).
cases.append(binary_case('binaryOneClass', [0, 0, 0, 0, 0], [0.1, 0.7, 0.2, 0.2, 0.9], 0.5))
# Perfect separation with a tie across the classes at the boundary.
cases.append(binary_case('binaryTieAcross', [0, 0, 1, 1, 1, 0], [0.2, 0.5, 0.5, 0.9, 0.6, 0.1], 0.5))
# Multi-class, 4 classes, 40 rows, probabilities from small counts (ties in every column).
y = [rng.randint(0, 3) for _ in range(40)]
P = rand_proba(40, 4, 4)
for i in range(40):  # make the true class a bit more likely so the metrics are not trivial
    if rng.random() < 0.5:
        P[i] = [0.0] * 4
        P[i][y[i]] = 0.5
        P[i][(y[i] + 1) % 4] = 0.25
        P[i][(y[i] + 2) % 4] = 0.25
cases.append(multi_case('multi4', y, P, 4))
# Multi-class, 3 classes, class 2 never true but sometimes predicted; includes a probability of exactly 0.
y = [0, 1, 0, 1, 1, 0, 0, 1, 0, 1]
P = [[0.6, 0.3, 0.1], [0.2, 0.3, 0.5], [0.0, 0.5, 0.5], [0.1, 0.8, 0.1], [0.3, 0.4, 0.3],
     [0.5, 0.25, 0.25], [0.2, 0.2, 0.6], [0.4, 0.6, 0.0], [0.9, 0.05, 0.05], [0.3, 0.3, 0.4]]
cases.append(multi_case('multiAbsent', y, P, 3))

lines = [
    '// Generated by src/eval/testdata/sklearn-reference.py with scikit-learn %s (numpy %s): expected values' % (sklearn.__version__, np.__version__),
    '// of sklearn.metrics on fixed vectors. Do not edit by hand; re-run the script.',
    '',
]
for name, out in cases:
    lines.append('export const %s = {' % name)
    for key, val in out.items():
        lines.append('  %s: %s,' % (key, val))
    lines.append('};')
    lines.append('')
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sklearn-expected.ts')
with open(path, 'w') as fh:
    fh.write('\n'.join(lines))
print('wrote', path)
