/**
 * A lazily started, process-wide pool of worker threads running `worker.js` (the compiled
 * `src/tree/parallel/worker.ts`, beside this file in dist/). Workers are reused across fits; an
 * idle worker is unref'd so it never keeps the process alive, and is ref'd again while it has a job.
 *
 * Dependencies inside the tree engine run one way: this pool (and protocol.ts) import nothing
 * from the engine, so the binner and the predictor can hand work to it; hist-session.ts and
 * worker.ts sit on top of the engine's stages.
 */
import { availableParallelism, cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { nadirError, nadirErrorWithCause } from '../../errors.js';

/** Messages a worker sends back for a job. */
export interface WorkerReply {
  id: number;
  /** Final message of the job. */
  done?: boolean;
  error?: string;
  [k: string]: unknown;
}

interface Job {
  onMessage: (m: WorkerReply) => void;
  resolve: () => void;
  reject: (e: Error) => void;
}

let nextJobId = 1;

export class PoolWorker {
  readonly worker: Worker;
  private readonly jobs = new Map<number, Job>();
  private dead: Error | null = null;

  constructor(url: URL) {
    this.worker = new Worker(url);
    this.worker.unref();
    this.worker.on('message', (m: WorkerReply) => {
      const job = this.jobs.get(m.id);
      if (!job) return;
      if (m.error !== undefined) {
        this.finish(m.id);
        job.reject(nadirError('NADIR_ERR_INTERNAL', `worker thread failed: ${m.error}`));
        return;
      }
      job.onMessage(m);
      if (m.done) {
        this.finish(m.id);
        job.resolve();
      }
    });
    const fail = (e: Error): void => {
      this.dead = e;
      const jobs = [...this.jobs.values()];
      this.jobs.clear();
      removeWorker(this);
      for (const j of jobs) j.reject(nadirErrorWithCause('NADIR_ERR_INTERNAL', e, `worker thread failed: ${e.message}`));
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (!this.dead) fail(new Error(`worker exited with code ${code}`));
    });
  }

  /** Post a job; `onMessage` sees every reply (the last one has done: true). */
  run(kind: string, payload: Record<string, unknown>, onMessage: (m: WorkerReply) => void = () => {}, transfer: ArrayBuffer[] = []): Promise<void> {
    if (this.dead) return Promise.reject(nadirError('NADIR_ERR_INTERNAL', `worker thread failed: ${this.dead.message}`));
    const id = nextJobId++;
    return new Promise<void>((resolve, reject) => {
      this.jobs.set(id, { onMessage, resolve, reject });
      if (this.jobs.size === 1) this.worker.ref();
      this.worker.postMessage({ id, kind, ...payload }, transfer);
    });
  }

  private finish(id: number): void {
    this.jobs.delete(id);
    if (this.jobs.size === 0) this.worker.unref();
  }
}

const workers: PoolWorker[] = [];

function removeWorker(w: PoolWorker): void {
  const i = workers.indexOf(w);
  if (i >= 0) workers.splice(i, 1);
}

/** `n` pool workers (started on first use). */
export function getWorkers(n: number): PoolWorker[] {
  while (workers.length < n) workers.push(new PoolWorker(new URL('./worker.js', import.meta.url)));
  return workers.slice(0, n);
}

/** Stop every pool worker (tests and shutdown; the pool restarts on demand). */
export async function terminateWorkers(): Promise<void> {
  const all = workers.splice(0, workers.length);
  await Promise.all(all.map((w) => w.worker.terminate()));
}

/** Default thread count: the cores this process may use. */
export function defaultThreads(): number {
  return typeof availableParallelism === 'function' ? availableParallelism() : cpus().length;
}
