/**
 * JSON for values that hold typed arrays (model arrays, trees, coefficients).
 *
 * `encodeTyped` replaces every typed array found inside plain objects and arrays with
 *   `{ "$typed": "Float32Array", "base64": "…" }`
 * whose bytes are the elements in little-endian order; `decodeTyped` turns those back into
 * typed arrays, bit for bit (NaN payloads, -0 and ±Infinity included). Everything else must
 * already be JSON data (note that plain `number` NaN/±Infinity become `null` in JSON.stringify,
 * so models keep such values inside typed arrays).
 *
 * Decoding is for untrusted input (a model file): it never executes code, refuses keys that
 * could touch prototypes, bounds the nesting depth and rejects malformed markers with
 * NADIR_ERR_MODEL_CORRUPT.
 */
import { endianness } from 'node:os';
import { nadirError, nadirErrorWithCause } from '../errors.js';

/** The typed-array kinds that survive a round trip. */
export const TYPED_ARRAY_NAMES = [
  'Float32Array',
  'Float64Array',
  'Int32Array',
  'Uint32Array',
  'Uint8Array',
  'Int8Array',
  'Int16Array',
  'Uint16Array',
] as const;
export type TypedArrayName = (typeof TYPED_ARRAY_NAMES)[number];

export type SupportedTypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint32Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array;

type TypedCtor = { new (buffer: ArrayBuffer): SupportedTypedArray; readonly BYTES_PER_ELEMENT: number };

const CTORS: Readonly<Record<TypedArrayName, TypedCtor>> = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Uint8Array,
  Int8Array,
  Int16Array,
  Uint16Array,
};

/** Marker key of an encoded typed array. */
const TYPED_KEY = '$typed';
/** Deepest nesting `decodeTyped` accepts (a model is a few levels deep). */
const MAX_DEPTH = 64;

const LITTLE_ENDIAN_HOST = endianness() === 'LE';
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function typedName(v: ArrayBufferView): TypedArrayName | undefined {
  for (const name of TYPED_ARRAY_NAMES) if (v instanceof CTORS[name]) return name;
  return undefined;
}

/** Swap the bytes of each element in place (only used on big-endian hosts). */
function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i < bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Copy `value`, replacing typed arrays with `{ $typed, base64 }` markers. Accepts plain objects,
 * arrays, strings, numbers, booleans and null (`undefined` object members are dropped, as in
 * JSON). Throws NADIR_ERR_INTERNAL for anything JSON cannot carry (functions, Maps, BigInt,
 * other ArrayBuffer views) — that is a bug in the caller's serialiser, not bad user input.
 */
export function encodeTyped(value: unknown): unknown {
  return encode(value, '$');
}

function encode(value: unknown, at: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value !== 'object') {
    throw nadirError('NADIR_ERR_INTERNAL', `encodeTyped: cannot serialise a ${typeof value} at ${at}`);
  }
  if (ArrayBuffer.isView(value)) {
    const name = typedName(value);
    if (!name) {
      throw nadirError('NADIR_ERR_INTERNAL', `encodeTyped: unsupported ${value.constructor.name} at ${at}`);
    }
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!LITTLE_ENDIAN_HOST) {
      const copy = Uint8Array.from(bytes);
      swapBytes(copy, CTORS[name].BYTES_PER_ELEMENT);
      buf = Buffer.from(copy.buffer);
    }
    return { [TYPED_KEY]: name, base64: buf.toString('base64') };
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => (v === undefined ? null : encode(v, `${at}[${i}]`)));
  }
  if (!isPlainObject(value)) {
    throw nadirError('NADIR_ERR_INTERNAL', `encodeTyped: cannot serialise a ${value.constructor?.name ?? 'object'} at ${at}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    if (k === TYPED_KEY) {
      throw nadirError('NADIR_ERR_INTERNAL', `encodeTyped: key '${TYPED_KEY}' is reserved (at ${at})`);
    }
    defineKey(out, k, encode(v, `${at}.${k}`));
  }
  return out;
}

/** Assign without ever invoking the `__proto__` setter. */
function defineKey(out: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/**
 * Inverse of `encodeTyped`, for data that came out of `JSON.parse`. Returns fresh objects,
 * arrays and typed arrays (each typed array owns an aligned buffer). `source` names the input
 * in error messages (e.g. the model file path).
 */
export function decodeTyped(value: unknown, source = 'model'): unknown {
  return decode(value, '$', 0, source);
}

function corrupt(source: string, why: string): Error {
  return nadirError('NADIR_ERR_MODEL_CORRUPT', source, why);
}

function decode(value: unknown, at: string, depth: number, source: string): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw corrupt(source, `non-finite number at ${at}`);
    return value;
  }
  if (typeof value !== 'object') throw corrupt(source, `unexpected ${typeof value} at ${at}`);
  if (depth >= MAX_DEPTH) throw corrupt(source, `nesting deeper than ${MAX_DEPTH} levels at ${at}`);
  if (ArrayBuffer.isView(value)) throw corrupt(source, `raw ${value.constructor.name} at ${at}: expected JSON data`);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = decode(value[i], `${at}[${i}]`, depth + 1, source);
    return out;
  }
  if (!isPlainObject(value)) throw corrupt(source, `unexpected ${value.constructor?.name ?? 'object'} at ${at}`);
  if (Object.prototype.hasOwnProperty.call(value, TYPED_KEY)) return decodeArray(value as Record<string, unknown>, at, source);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    if (k === '__proto__') {
      throw corrupt(source, `forbidden key '${k}' at ${at}`);
    }
    defineKey(out, k, decode((value as Record<string, unknown>)[k], `${at}.${k}`, depth + 1, source));
  }
  return out;
}

function decodeArray(obj: Record<string, unknown>, at: string, source: string): SupportedTypedArray {
  const keys = Object.keys(obj);
  if (keys.length !== 2 || !keys.includes('base64')) {
    throw corrupt(source, `typed array at ${at} must have exactly the keys '${TYPED_KEY}' and 'base64'`);
  }
  const name = obj[TYPED_KEY];
  if (typeof name !== 'string' || !(TYPED_ARRAY_NAMES as readonly string[]).includes(name)) {
    throw corrupt(source, `unknown typed array kind ${JSON.stringify(name)} at ${at}`);
  }
  const b64 = obj.base64;
  if (typeof b64 !== 'string' || b64.length % 4 !== 0 || !BASE64_RE.test(b64)) {
    throw corrupt(source, `invalid base64 for ${name} at ${at}`);
  }
  const Ctor = CTORS[name as TypedArrayName];
  const decoded = Buffer.from(b64, 'base64');
  if (decoded.length % Ctor.BYTES_PER_ELEMENT !== 0) {
    throw corrupt(source, `${name} at ${at} has ${decoded.length} bytes, not a multiple of ${Ctor.BYTES_PER_ELEMENT}`);
  }
  const bytes = new Uint8Array(decoded.length);
  bytes.set(decoded);
  if (!LITTLE_ENDIAN_HOST) swapBytes(bytes, Ctor.BYTES_PER_ELEMENT);
  return new Ctor(bytes.buffer);
}

/** `JSON.stringify(encodeTyped(value))`. */
export function stringifyTyped(value: unknown, space?: number): string {
  return JSON.stringify(encodeTyped(value), null, space);
}

/** `decodeTyped(JSON.parse(text))`, with a JSON syntax error reported as a corrupt model. */
export function parseTyped(text: string, source = 'model'): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw nadirErrorWithCause('NADIR_ERR_MODEL_CORRUPT', e, source, `invalid JSON: ${(e as Error).message}`);
  }
  return decodeTyped(raw, source);
}
