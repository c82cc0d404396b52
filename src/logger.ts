import { renderMessage } from './errors.js';

/**
 * Injectable logger. Data-quality findings and other non-fatal observations go through
 * `warn`, so tests can collect and assert them and the CLI can print or embed them.
 */
export interface Warning {
  /** Stable machine-readable code, e.g. `missing-values`, `constant-column`. */
  code: string;
  message: string;
  /** The message with option names marked (errors.ts opt()), for a front end to spell them its way. */
  template?: string;
  column?: string;
  count?: number;
  /** Example locations (1-based line numbers, etc.). */
  examples?: Array<number | string>;
}

export interface Logger {
  warn(w: Warning): void;
  info(message: string): void;
}

/** A warning whose message may name options with opt(): `message` spells them plainly, `template` keeps them marked. */
export function warning(code: string, template: string, extra: Omit<Warning, 'code' | 'message' | 'template'> = {}): Warning {
  return { code, message: renderMessage(template), template, ...extra };
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
