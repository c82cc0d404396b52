import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { readRecords } from '../app/predict.js';
import { nadirError } from '../errors.js';
import { dataToRecords } from './records.js';
import { isFailure, notifyObservers, observedBatch, scoreRecords } from './scoring.js';
import type { DemoOptions } from './types.js';

/** The bundled NSL-KDD test set: what `nadir serve --demo` replays by default. */
export const DEMO_DATA = fileURLToPath(new URL('../../../data/nsl-kdd/KDDTest+.txt.gz', import.meta.url));
export const DEMO_RATE = 50;
/** How often the replay scores what is due (a batch of rate × tick records). */
const TICK_MS = 100;

/**
 * `--demo`: replays a data file's records through the default model at `rate` records/s,
 * round-robin, forever — through the scoring routes' own path (scoreRecords, then the observers),
 * so they show on the live feed and in /metrics as if clients had sent them. The file is read once
 * (the data layer, as the model reads it) when the server is created; the replay starts when the
 * server is ready and stops when it closes. Explanations are asked for (top 3) when the model has
 * an explainer, for the live page's "why".
 */
export async function addDemo(app: FastifyInstance, opts: DemoOptions): Promise<void> {
  const rate = opts.rate ?? DEMO_RATE;
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 100_000)) throw nadirError('NADIR_ERR_BAD_OPTION', 'demo rate', `must be a number of records per second in (0, 100000], got ${rate}`);
  const model = app.nadir.defaultModel;
  const records = dataToRecords(await readRecords(model.detector, opts.data ?? DEMO_DATA));
  if (records.length === 0) throw nadirError('NADIR_ERR_BAD_INPUT', `demo: ${opts.data ?? DEMO_DATA} has no records`);
  const explain = model.detector.spec.explainer !== 'none';
  const most = app.nadir.limits.batchRecords;
  let next = 0;
  let owed = 0;
  let last = 0;
  let timer: NodeJS.Timeout | null = null;

  const tick = (): void => {
    const now = performance.now();
    // what is due since the last tick, at most one batch (a stalled loop does not burst)
    owed = Math.min(owed + (rate * (now - last)) / 1000, most);
    last = now;
    const n = Math.floor(owed);
    if (n === 0) return;
    owed -= n;
    const rows = new Uint32Array(n);
    for (let j = 0; j < n; j++) {
      rows[j] = next;
      next = (next + 1) % records.length;
    }
    try {
      const results = scoreRecords(model, records, rows, { explain, top: 3 });
      notifyObservers(app.nadir.observers, model, observedBatch(results));
      const failed = results.filter(isFailure).length;
      if (failed > 0) app.log.warn({ failed }, 'demo: records refused by the model');
    } catch (e) {
      app.log.error({ err: e }, 'demo: scoring failed');
    }
  };
  app.addHook('onReady', (done) => {
    last = performance.now();
    timer = setInterval(tick, TICK_MS);
    timer.unref();
    done();
  });
  app.addHook('preClose', (done) => {
    if (timer) clearInterval(timer);
    timer = null;
    done();
  });
}
