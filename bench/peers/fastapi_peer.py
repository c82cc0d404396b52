#!/usr/bin/env python3
"""Peer (b) of `npm run bench -- serve`: FastAPI + uvicorn + XGBoost.

fastapi_peer.py --train KDDTrain+_20Percent.txt.gz --port N

Trains an XGBClassifier (200 rounds, depth 6, lr 0.1, hist, 256 bins) at start (serve_model.py),
then serves POST /api/v1/predict (one JSON record, or { "records": [...] }),
POST /v2/models/xgb/infer (the same records as v2 tensors, one per column) and GET /healthz on
127.0.0.1 with one uvicorn worker, access log off. The handler is async and scores inline (no
thread-pool hop). Run with OMP_WAIT_POLICY=PASSIVE (the bench sets it).
"""
import argparse

import uvicorn
from fastapi import FastAPI, Request

import serve_model

ap = argparse.ArgumentParser()
ap.add_argument('--train', required=True)
ap.add_argument('--port', type=int, required=True)
args = ap.parse_args()

model = serve_model.Model('xgb', args.train)
app = FastAPI()


@app.post('/api/v1/predict')
async def predict(request: Request):
    return serve_model.answer(model, await request.json())


@app.post('/v2/models/xgb/infer')
async def infer(request: Request):
    return serve_model.infer(model, 'xgb', await request.json())


@app.get('/healthz')
async def healthz():
    return {'status': 'ok'}


if __name__ == '__main__':
    uvicorn.run(app, host='127.0.0.1', port=args.port, log_level='warning', access_log=False)
