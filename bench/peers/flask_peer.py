#!/usr/bin/env python3
"""Peer (a) of `npm run bench -- serve`: the seeds' stack, a minimal Flask + scikit-learn app.

flask_peer.py --train KDDTrain+_20Percent.txt.gz --port N

Trains a RandomForestClassifier(n_estimators=100) at start (serve_model.py), then serves
POST /api/v1/predict (one JSON record, or { "records": [...] }),
POST /v2/models/rf/infer (the same records as v2 tensors, one per column) and GET /healthz on 127.0.0.1
with Flask's own threaded server (app.run), as a minimal Flask app does.
Run with OMP_WAIT_POLICY=PASSIVE (the bench sets it).
"""
import argparse
import logging

from flask import Flask, jsonify, request

import serve_model

ap = argparse.ArgumentParser()
ap.add_argument('--train', required=True)
ap.add_argument('--port', type=int, required=True)
args = ap.parse_args()

model = serve_model.Model('rf', args.train)
app = Flask(__name__)
logging.getLogger('werkzeug').setLevel(logging.ERROR)


@app.post('/api/v1/predict')
def predict():
    return jsonify(serve_model.answer(model, request.get_json()))


@app.post('/v2/models/rf/infer')
def infer():
    return jsonify(serve_model.infer(model, 'rf', request.get_json()))


@app.get('/healthz')
def healthz():
    return jsonify({'status': 'ok'})


if __name__ == '__main__':
    app.run(host='127.0.0.1', port=args.port, threaded=True)
