/**
 * The one catalogue of nadir's errors. Every failure a user can cause has a code here,
 * a message template and the HTTP status the API answers with. The CLI prints
 * `nadir: <message>` on one line; the API returns `{ error: { code, message } }`.
 */
export const ERRORS = {
  NADIR_ERR_FILE_NOT_FOUND: { status: 404, message: (p: string) => `file not found: ${p}` },
  NADIR_ERR_FILE_UNREADABLE: { status: 400, message: (p: string, why: string) => `cannot read ${p}: ${why}` },
  NADIR_ERR_FILE_WRITE: { status: 500, message: (p: string, why: string) => `cannot write ${p}: ${why}` },
  NADIR_ERR_EMPTY_FILE: { status: 400, message: (p: string) => `${p} is empty: no rows to load` },
  NADIR_ERR_BAD_FORMAT: { status: 400, message: (p: string, why: string) => `${p}: ${why}` },
  NADIR_ERR_GZIP: { status: 400, message: (p: string, why: string) => `${p}: gzip data is corrupt or truncated (${why})` },
  NADIR_ERR_BINARY: { status: 400, message: (p: string) => `${p} looks like binary data, not CSV/JSONL text` },
  NADIR_ERR_NO_LABEL: { status: 400, message: (p: string, detail: string) => `${p}: ${detail}` },
  NADIR_ERR_MISSING_COLUMN: { status: 400, message: (col: string, where: string) => `missing column '${col}' in ${where}` },
  NADIR_ERR_BAD_VALUE: { status: 400, message: (where: string, why: string) => `${where}: ${why}` },
  NADIR_ERR_BAD_OPTION: { status: 400, message: (name: string, why: string) => `invalid option ${opt(name)}: ${why}` },
  NADIR_ERR_BAD_INPUT: { status: 400, message: (why: string) => why },
  NADIR_ERR_NOT_FITTED: { status: 500, message: (what: string) => `${what} is not fitted: call fit() first` },
  NADIR_ERR_MODEL_CORRUPT: { status: 400, message: (p: string, why: string) => `${p}: not a valid nadir model (${why})` },
  NADIR_ERR_MODEL_VERSION: { status: 400, message: (p: string, why: string) => `${p}: ${why}` },
  NADIR_ERR_TOO_LARGE: { status: 413, message: (why: string) => why },
  NADIR_ERR_UNAUTHORIZED: { status: 401, message: (why: string) => why },
  NADIR_ERR_NOT_FOUND: { status: 404, message: (what: string, hint = '') => `${what} not found${hint}` },
  NADIR_ERR_NOT_ACCEPTABLE: { status: 406, message: (why: string) => why },
  NADIR_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: (type: string, expected: string) => `unsupported content type ${type} (expected ${expected})` },
  NADIR_ERR_RATE_LIMITED: { status: 429, message: (why: string) => why },
  NADIR_ERR_UNAVAILABLE: { status: 503, message: (why: string) => why },
  NADIR_ERR_INTERNAL: { status: 500, message: (why: string) => `internal error: ${why}` },
} as const;

export type ErrorCode = keyof typeof ERRORS;
type Args<C extends ErrorCode> = Parameters<(typeof ERRORS)[C]['message']>;

/**
 * Use cases name their options (`cv`, `maxFpr`, `learningRate`), never a front end's spelling of
 * them (`--cv`, `?maxFpr=`, a form field). A message that mentions an option wraps its name with
 * `opt('cv')`; `message` shows it as the plain name, and each front end renders the template its
 * own way in one place (the CLI: `renderMessage(e, flagOf)` → `--cv`).
 */
const OPEN = '\u2983';
const CLOSE = '\u2984';
const TOKEN = /\u2983([^\u2983\u2984]*)\u2984/g;

/** An option's name inside an error message, for the front end to spell (see renderMessage). */
export function opt(name: string): string {
  return `${OPEN}${name}${CLOSE}`;
}

/** A message template with its option names spelled by `spell` (default: as they are). */
export function renderMessage(template: string, spell: (option: string) => string = (o) => o): string {
  return template.replace(TOKEN, (_, name: string) => spell(name));
}

export class NadirError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** The message with option names marked (see opt); `message` is it rendered with plain names. */
  readonly template: string;
  /** NADIR_ERR_BAD_OPTION: the option at fault, by its use-case name. */
  readonly option: string | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; option?: string }) {
    super(renderMessage(message), options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NadirError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.template = message;
    this.option = options?.option;
  }
  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Build a catalogued error: `nadirError('NADIR_ERR_FILE_NOT_FOUND', path)`. */
export function nadirError<C extends ErrorCode>(code: C, ...args: Args<C>): NadirError;
export function nadirError<C extends ErrorCode>(code: C, ...args: unknown[]): NadirError {
  const last = args[args.length - 1];
  let cause: unknown;
  if (last && typeof last === 'object' && 'cause' in (last as object) && args.length > ERRORS[code].message.length) {
    cause = (last as { cause: unknown }).cause;
    args = args.slice(0, -1);
  }
  const msg = (ERRORS[code].message as (...a: unknown[]) => string)(...args);
  return new NadirError(code, msg, { cause, ...(code === 'NADIR_ERR_BAD_OPTION' ? { option: String(args[0]) } : {}) });
}

/** Same as nadirError, with a cause passed through. */
export function nadirErrorWithCause<C extends ErrorCode>(code: C, cause: unknown, ...args: Args<C>): NadirError {
  const msg = (ERRORS[code].message as (...a: unknown[]) => string)(...args);
  return new NadirError(code, msg, { cause, ...(code === 'NADIR_ERR_BAD_OPTION' ? { option: String(args[0]) } : {}) });
}

export function isNadirError(e: unknown): e is NadirError {
  return e instanceof NadirError;
}
