"""The model side shared by the serve-benchmark peers (flask_peer.py, fastapi_peer.py).

fit(kind, train): trains on KDDTrain+_20Percent with the settings of `npm run bench -- learners`
(bench/peers/learners.py): 'rf' = RandomForestClassifier(n_estimators=100), 'xgb' =
XGBClassifier(200 rounds, depth 6, lr 0.1, hist, 256 bins); one-hot of protocol_type/service/flag
fitted on the training file (nslkdd.Encoder). score(records) is what a request runs: the JSON
records into a DataFrame, encoded, predict_proba, label Attack when P(attack) >= 0.5 (the
threshold nadir's model is trained with in the bench); infer(...) the same for an Open Inference
Protocol v2 request, the DataFrame built from its columns.
"""
import os
import sys

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from xgboost import XGBClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nslkdd  # noqa: E402

INPUTS = nslkdd.COLUMNS[:41]
THRESHOLD = 0.5


class Model:
    def __init__(self, kind, train_path, threads=2, seed=0):
        df = nslkdd.read(train_path)
        self.encoder = nslkdd.Encoder().fit(df)
        X = self.encoder.transform(df)
        y = nslkdd.target(df)
        if kind == 'rf':
            self.model = RandomForestClassifier(n_estimators=100, n_jobs=threads, random_state=seed).fit(X, y)
            # one record per request: joblib's fan-out over 2 threads costs more than it saves
            self.model.set_params(n_jobs=1)
        elif kind == 'xgb':
            self.model = XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.1, tree_method='hist', max_bin=256,
                                       n_jobs=threads, random_state=seed).fit(X, y)
        else:
            raise ValueError(kind)

    def score(self, records):
        df = pd.DataFrame.from_records(records, columns=INPUTS)
        return self.score_frame(df)

    def score_frame(self, df):
        p = self.model.predict_proba(self.encoder.transform(df))[:, 1]
        return [{'label': 'Attack' if q >= THRESHOLD else 'Normal', 'probability': float(q)} for q in p]


def infer(model, name, body):
    """An Open Inference Protocol v2 infer request (one tensor per input column) -> label and probability tensors."""
    columns = {t['name']: t['data'] for t in body['inputs']}
    preds = model.score_frame(pd.DataFrame({c: columns[c] for c in INPUTS}))
    n = len(preds)
    return {'model_name': name, 'outputs': [
        {'name': 'label', 'datatype': 'BYTES', 'shape': [n], 'data': [p['label'] for p in preds]},
        {'name': 'probability', 'datatype': 'FP64', 'shape': [n], 'data': [p['probability'] for p in preds]},
    ]}


def answer(model, body):
    """One record -> { label, probability }; { records: [...] } -> { scored, predictions: [...] }."""
    if isinstance(body, dict) and isinstance(body.get('records'), list):
        preds = model.score(body['records'])
        return {'scored': len(preds), 'threshold': THRESHOLD, 'predictions': [{'index': i, **p} for i, p in enumerate(preds)]}
    return {**model.score([body])[0], 'threshold': THRESHOLD}
