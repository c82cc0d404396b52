import { spawn } from 'node:child_process';

export interface ChildResult<T> {
  value: T;
  /** Wall time of the whole child process, seconds. */
  wallSeconds: number;
}

/**
 * Run a command whose LAST stdout line is one JSON document (what it measured); stderr is
 * passed through so progress and errors stay visible. Rejects with the tail of stderr on a
 * non-zero exit.
 */
export function runJson<T>(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ChildResult<T>> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      if (err.length > 20000) err = err.slice(-10000);
    });
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const wallSeconds = (performance.now() - t0) / 1000;
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${err.trim().split('\n').slice(-15).join('\n')}`));
        return;
      }
      const lines = out.trim().split('\n');
      try {
        resolvePromise({ value: JSON.parse(lines[lines.length - 1]!) as T, wallSeconds });
      } catch {
        reject(new Error(`${cmd} ${args.join(' ')}: last stdout line is not JSON:\n${out.slice(-2000)}`));
      }
    });
  });
}

/** Peak resident set size of this process so far, MB (getrusage ru_maxrss). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Current resident set size, MB. */
export function rssMB(): number {
  return process.memoryUsage.rss() / 2 ** 20;
}
