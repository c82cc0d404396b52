/**
 * Request validation: JSON schemas compiled once (at route registration) by Ajv, and Ajv's
 * errors in words that name the field at fault.
 *
 * Two validators. Bodies are checked as sent — no type coercion ("12" is not a number, and
 * Ajv's coercion would even turn "Infinity" into a number), no defaults, no removal of extra
 * fields (a record may carry its label or other columns: they are ignored). Query strings and
 * path parameters are text by nature and are coerced (`?explain=true` → true), with defaults.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { JsonRecords } from '../features/json-records.js';

const bodyAjv = new Ajv({ coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false, strict: false, verbose: true });
const textAjv = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, allErrors: false, strict: false, verbose: true });

/**
 * Fastify's validator compiler for every route of the server (see the module comment). A body
 * the predict routes' JSON reader took (JsonRecords) passes: the reader only takes records that
 * the schema accepts (features/json-records).
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  if (httpPart !== 'body') return textAjv.compile(schema as object);
  const validate = bodyAjv.compile(schema as object);
  const check = (data: unknown): boolean => {
    if (data instanceof JsonRecords) return true;
    const ok = validate(data) as boolean;
    check.errors = validate.errors;
    return ok;
  };
  check.errors = null as ValidateFunction['errors'];
  return check;
};

/** A body-part validator compiled once, e.g. for the records of a batch (each checked on its own). */
export function compileBodyValidator(schema: object): ValidateFunction {
  return bodyAjv.compile(schema);
}

/** A validation failure in words: the field at fault (null: the value as a whole) and why. */
export interface Invalid {
  field: string | null;
  message: string;
  /** 413 for a batch over the record limit, else 400. */
  status: number;
}

type AnyValidationError = ErrorObject | FastifySchemaValidationError;

/**
 * The first meaningful error of a failed validation, in words. `part` names what was checked:
 * 'body' (a record or a batch), 'record' (one record of a batch: its index is reported beside),
 * 'querystring', 'params'.
 */
export function describeValidation(errors: readonly AnyValidationError[], part: string): Invalid {
  // if/then/else adds an 'if' error after the branch's own: the branch's error says what is wrong
  const e = (errors.find((x) => x.keyword !== 'if') ?? errors[0]) as ErrorObject | undefined;
  if (!e) return { field: null, message: `invalid ${part}`, status: 400 };
  const path = pointerPath(e.instancePath);
  const data = (e as { data?: unknown }).data;
  if (part === 'querystring' || part === 'params') {
    const what = part === 'querystring' ? 'query parameter' : 'path parameter';
    if (e.keyword === 'additionalProperties') {
      const name = String(e.params.additionalProperty);
      const known = Object.keys(((e as { parentSchema?: { properties?: object } }).parentSchema?.properties ?? {}) as object);
      return { field: name, message: `unknown ${what} '${name}'${known.length ? ` (known: ${known.join(', ')})` : ''}`, status: 400 };
    }
    const name = e.keyword === 'required' ? String(e.params.missingProperty) : path.join('.');
    return { field: name, message: `${what} '${name}' ${e.keyword === 'required' ? 'is missing' : (e.message ?? 'is invalid')}`, status: 400 };
  }
  if (path[0] === 'records' && part === 'body') {
    if (e.keyword === 'maxItems') {
      const n = Array.isArray(data) ? data.length : 0;
      return { field: 'records', message: `a batch holds at most ${e.params.limit} records, this one has ${n}: split it, or send a CSV file to the predict/csv route`, status: 413 };
    }
    if (e.keyword === 'minItems') return { field: 'records', message: 'records is empty: send at least one record', status: 400 };
    if (path.length === 1 && e.keyword === 'type') return { field: 'records', message: `records must be an array of records, got ${jsonType(data)}`, status: 400 };
  }
  if (e.keyword === 'required') {
    const field = String(e.params.missingProperty);
    return { field, message: `field '${field}' is missing (send null for a missing value)`, status: 400 };
  }
  if (path.length === 0) {
    const what = part === 'record' ? 'a record must be a JSON object' : 'the body must be a JSON object: one record, or { "records": [...] }';
    return { field: null, message: `${what}, got ${jsonType(data)}`, status: 400 };
  }
  const field = path.join('.');
  if (e.keyword === 'type') {
    const types = ([] as string[]).concat(e.params.type as string | string[]);
    return { field, message: `field '${field}' must be ${expected(types)}, got ${shown(data)}`, status: 400 };
  }
  return { field, message: `field '${field}' ${e.message ?? 'is invalid'}`, status: 400 };
}

/** A JSON pointer ('/a/b~1c') as its parts (['a', 'b/c']). */
function pointerPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function expected(types: readonly string[]): string {
  const words = types.map((t) => (t === 'null' ? 'null' : t === 'integer' ? 'a whole number' : t === 'array' ? 'an array' : t === 'object' ? 'an object' : `a ${t}`));
  return words.length <= 1 ? (words[0] ?? 'valid') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** A value's JSON type in words. */
export function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'boolean') return `${v}`;
  return `a ${typeof v}`;
}

/** A value's type, with a short excerpt of a string (the sender's own data, cut to 40 characters). */
function shown(v: unknown): string {
  if (typeof v !== 'string') return jsonType(v);
  const text = JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return `a string (${text})`;
}
