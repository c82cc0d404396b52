/**
 * Byte-level pieces of a strict JSON reader over a request body's bytes (no string of the body):
 * the tokens the body readers (json-records, json-tensors) meet, each returning the index after
 * the token or -1 when the bytes are not that token in JSON's grammar. A reader that gets -1
 * gives up, and the body goes to JSON.parse and the general path, which words the error.
 */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
export const ZERO = 0x30;
export const NINE = 0x39;
export const LOWER_N = 0x6e;
export const LOWER_T = 0x74;
export const LOWER_F = 0x66;

/** 10^0 … 10^22: the powers of ten a double holds exactly. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** The value of the last number read (readNumber). */
export const NUM = new Float64Array(1);

export function skipWs(b: Uint8Array, i: number, len: number): number {
  while (i < len) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/**
 * The number token at i in JSON's grammar, read as JSON.parse reads it, into NUM[0]; the index
 * after it, or -1 (not JSON's grammar, or not finite).
 */
export function readNumber(b: Buffer, i: number, len: number): number {
  const start = i;
  let neg = false;
  if (i < len && b[i] === MINUS) {
    neg = true;
    i++;
  }
  if (i >= len) return -1;
  let c = b[i]!;
  let m = 0;
  let digits = 0;
  if (c === ZERO) {
    i++;
    if (i < len && b[i]! >= ZERO && b[i]! <= NINE) return -1; // no leading zeros in JSON
  } else if (c > ZERO && c <= NINE) {
    do {
      m = m * 10 + (c - ZERO);
      digits++;
      i++;
    } while (i < len && (c = b[i]!) >= ZERO && c <= NINE);
  } else return -1;
  let exp = 0;
  if (i < len && b[i] === DOT) {
    i++;
    if (!(i < len && (c = b[i]!) >= ZERO && c <= NINE)) return -1;
    do {
      m = m * 10 + (c - ZERO);
      digits++;
      exp--;
      i++;
    } while (i < len && (c = b[i]!) >= ZERO && c <= NINE);
  }
  let exact = digits <= 15;
  if (i < len && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    let eneg = false;
    if (i < len && (b[i] === PLUS || b[i] === MINUS)) {
      eneg = b[i] === MINUS;
      i++;
    }
    if (!(i < len && (c = b[i]!) >= ZERO && c <= NINE)) return -1;
    let e = 0;
    let eDigits = 0;
    do {
      e = e * 10 + (c - ZERO);
      eDigits++;
      i++;
    } while (i < len && (c = b[i]!) >= ZERO && c <= NINE);
    if (eDigits > 4) exact = false;
    exp += eneg ? -e : e;
  }
  let v: number;
  // ≤ 15 digits: m < 10^15 < 2^53 is exact, and so is 10^|exp| for |exp| ≤ 22: one correctly rounded operation
  if (exact && exp >= -22 && exp <= 22) v = exp >= 0 ? m * POW10[exp]! : m / POW10[-exp]!;
  else v = Number(b.toString('latin1', neg ? start + 1 : start, i));
  if (v - v !== 0) return -1; // ±Infinity (1e400): the general path refuses it
  NUM[0] = neg ? -v : v;
  return i;
}

/** At i: the first byte after the opening quote. The index of the closing quote of a string of printable ASCII without escapes, or -1. */
export function plainEnd(b: Uint8Array, i: number, len: number): number {
  while (i < len) {
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c < 0x20 || c > 0x7e || c === BACKSLASH) return -1;
    i++;
  }
  return -1;
}

/** At i: the first byte after the opening quote of any valid JSON string (escapes, UTF-8). The index after its closing quote, or -1. */
export function skipString(b: Uint8Array, i: number, len: number): number {
  while (i < len) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      if (i + 1 >= len) return -1;
      const e = b[i + 1]!;
      if (e === 0x75) {
        if (i + 5 >= len) return -1;
        for (let k = 2; k < 6; k++) if (!isHex(b[i + k]!)) return -1;
        i += 6;
        continue;
      }
      if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== LOWER_F && e !== LOWER_N && e !== 0x72 && e !== LOWER_T) return -1;
      i += 2;
      continue;
    }
    i++;
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The literal `word` (true, false, null) at i: the index after it, or -1. */
export function literal(b: Uint8Array, i: number, len: number, word: Uint8Array): number {
  if (i + word.length > len) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}
export const TRUE = Uint8Array.from(Buffer.from('true'));
export const FALSE = Uint8Array.from(Buffer.from('false'));
export const NULL = Uint8Array.from(Buffer.from('null'));

/** At i: a value of a key that is not an input — a string, number, true, false or null; the index after it, or -1. */
export function skipScalar(b: Buffer, i: number, len: number): number {
  if (i >= len) return -1;
  const c = b[i]!;
  if (c === QUOTE) return skipString(b, i + 1, len);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return readNumber(b, i, len);
  if (c === LOWER_T) return literal(b, i, len, TRUE);
  if (c === LOWER_F) return literal(b, i, len, FALSE);
  if (c === LOWER_N) return literal(b, i, len, NULL);
  return -1;
}
