/**
 * Injectable logger. Data-quality findings and other non-fatal observations go through
 * `warn`, so tests can collect and assert them and the CLI can print or embed them.
 */
export interface Warning {
  /** Stable machine-readable code, e.g. `missing-values`, `constant-column`. */
  code: string;
  message: string;
  column?: string;
  count?: number;
  /** Example locations (1-based line numbers, etc.). */
  examples?: Array<number | string>;
}

export interface Logger {
  warn(w: Warning): void;
  info(message: string): void;
}

export const silentLogger: Logger = { warn() {}, info() {} };

/** A logger that keeps everything: for tests and for collecting findings into reports. */
export class CollectingLogger implements Logger {
  readonly warnings: Warning[] = [];
  readonly infos: string[] = [];
  warn(w: Warning): void {
    this.warnings.push(w);
  }
  info(message: string): void {
    this.infos.push(message);
  }
}

/** Prints to stderr (the CLI's default when not in --json mode). */
export const stderrLogger: Logger = {
  warn(w) {
    process.stderr.write(`warning: ${w.message}\n`);
  },
  info(message) {
    process.stderr.write(`${message}\n`);
  },
};
