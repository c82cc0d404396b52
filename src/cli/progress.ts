import cliProgress from 'cli-progress';

export interface Progress {
  start(label: string, total: number): void;
  update(done: number, total?: number): void;
  stop(): void;
}

/** Bars on a TTY (stderr), nothing otherwise (pipes, CI, --json). */
export function createProgress(enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(label, total) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        // loading stages count bytes of the file: a percentage says more than raw byte counts
        { format: `${label.padEnd(24)} [{bar}] {percentage}% | ${label.startsWith('loading ') ? '' : '{value}/{total} | '}{duration_formatted}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    },
    update(done, total) {
      if (total !== undefined) bar?.setTotal(total);
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** A use case's onProgress(stage, done, total) drawn on one bar, restarted at each new stage. */
export function stagesOn(bar: Progress): (stage: string, done: number, total: number) => void {
  let stage = '';
  return (s, done, total) => {
    if (s !== stage) {
      stage = s;
      bar.start(s, total);
    }
    bar.update(done, total);
  };
}
