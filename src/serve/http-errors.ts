/**
 * Every failure a request can meet, as the one JSON shape the API answers with:
 * `{ "error": { "code": "NADIR_ERR_…", "message": "…", "field"?: "…" } }` and the catalogue's
 * HTTP status. Fastify's own errors (body too large, unsupported media type, invalid JSON,
 * schema validation) are mapped onto the catalogue; anything unexpected is a 500 whose message
 * says nothing about the server's internals (no stack, no path) — the log has the details.
 */
import { ERRORS, isNadirError, nadirError, type ErrorCode, type NadirError } from '../errors.js';
import { describeValidation, type Invalid } from './validation.js';
import type { FastifySchemaValidationError } from 'fastify';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
  /** Not a user error: log it. */
  internal: boolean;
}

/** What the mapping needs to know about the request. */
export interface ErrorContext {
  /** The request's content type, as sent. */
  contentType?: string;
  /** What the route accepts (its config.accepts), for a 415. */
  accepts?: string;
  /** The JSON body limit in bytes, for a 413. */
  bodyBytes: number;
  requestId?: string;
}

/** An error carrying the field at fault (set by the API's own checks). */
export interface FieldError {
  field?: string | null;
}

const PART: Record<string, string> = { body: 'request body', querystring: 'query', params: 'path', headers: 'headers' };

export function httpError(e: unknown, ctx: ErrorContext): HttpError {
  if (isNadirError(e)) {
    const field = (e as FieldError).field;
    return make(e.code, e.message, field ?? undefined, e.status);
  }
  const err = (e ?? {}) as { code?: string; statusCode?: number; validation?: FastifySchemaValidationError[]; validationContext?: string; message?: string };
  if (Array.isArray(err.validation)) {
    const part = err.validationContext ?? 'body';
    const v = describeValidation(err.validation, part);
    return make(v.status === 413 ? 'NADIR_ERR_TOO_LARGE' : 'NADIR_ERR_BAD_VALUE', `${PART[part] ?? part}: ${v.message}`, v.field ?? undefined, v.status);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return make('NADIR_ERR_TOO_LARGE', `request body is larger than the limit of ${ctx.bodyBytes.toLocaleString('en-US')} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return make('NADIR_ERR_UNSUPPORTED_MEDIA_TYPE', ERRORS.NADIR_ERR_UNSUPPORTED_MEDIA_TYPE.message(shownType(ctx.contentType), ctx.accepts ?? 'application/json'));
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return make('NADIR_ERR_BAD_FORMAT', 'request body: empty; send one JSON record or { "records": [...] }');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return make('NADIR_ERR_BAD_FORMAT', 'request body: not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return make('NADIR_ERR_BAD_INPUT', 'request body size does not match its Content-Length');
  }
  if (typeof err.code === 'string' && err.code.startsWith('FST_') && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's own request errors (bad URL, …): its message is about the request, never the server
    return make('NADIR_ERR_BAD_INPUT', String(err.message ?? 'bad request'), undefined, err.statusCode);
  }
  const id = ctx.requestId ? ` (request ${ctx.requestId}; see the server log)` : '';
  return { ...make('NADIR_ERR_INTERNAL', `internal error: the request could not be completed${id}`), internal: true };
}

function make(code: ErrorCode, message: string, field?: string, status: number = ERRORS[code].status): HttpError {
  const error: ErrorBody['error'] = { code, message };
  if (field !== undefined) error.field = field;
  return { status, body: { error }, internal: false };
}

/** A content type as sent, fit to quote in a message. */
function shownType(t: string | undefined): string {
  if (!t) return '(none)';
  const clean = t.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}

/** A validation failure found by the API's own checks, as a catalogued error that names its field. */
export function invalidError(where: string, v: Invalid): NadirError & FieldError {
  const e: NadirError & FieldError = v.status === 413 ? nadirError('NADIR_ERR_TOO_LARGE', `${where}: ${v.message}`) : nadirError('NADIR_ERR_BAD_VALUE', where, v.message);
  e.field = v.field;
  return e;
}

/** 404 for a model id no model has, listing the ids there are. */
export function unknownModel(id: string, ids: Iterable<string>): NadirError {
  const all = [...ids];
  const shown = all.slice(0, 20).join(', ') + (all.length > 20 ? ', …' : '');
  return nadirError('NADIR_ERR_NOT_FOUND', `model ${JSON.stringify(id.slice(0, 128))}`, ` (models: ${shown})`);
}
