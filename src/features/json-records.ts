/**
 * A JSON request body straight to feature rows: the bytes of one record (`{…}`) or of a batch
 * (`{"records":[{…},…]}`) read in one pass into the rows the record encoder writes for what
 * JSON.parse would give — no string of the whole body, no object per record, no property lookups.
 * The HTTP API's predict routes try it first; JSON.parse, the schema and the general path stay
 * for everything it does not take.
 *
 * It takes a strict subset and gives up (null) on anything else, without saying why: the caller
 * then parses the body as before, so every error (malformed JSON, a missing field, a wrong type,
 * an empty or oversized batch…) is still found and worded by the general path. It takes:
 * - JSON whitespace anywhere between tokens; a batch's top-level object has the one key `records`
 *   (first), an array of 1 … maxRecords records;
 * - a record: an object with every input field exactly once, each of its kind (numeric: a number
 *   or null; categorical: a string, a number or null), numbers finite, at least one value not
 *   missing (the record encoder's rule), and any other keys with a string, number, true, false or
 *   null value (ignored, as the general path ignores them); not a key named `records` (the schema
 *   would read the body as a batch);
 * - strings of printable ASCII without escapes (keys and input values; other keys' values may
 *   hold escapes and any UTF-8), numbers in JSON's exact grammar.
 *
 * Numbers come out as JSON.parse reads them: exactly, with Clinger's fast path (an integer
 * mantissa of at most 15 digits times or over an exact power of ten ≤ 10^22: one correctly
 * rounded operation), else Number() of the token, which rounds the way JSON.parse does.
 */
import { BACKSLASH, COLON, COMMA, LBRACE, LBRACKET, literal, LOWER_N, NINE, NULL, NUM, plainEnd, QUOTE, RBRACE, RBRACKET, readNumber, skipScalar, skipWs, ZERO } from './json-bytes.js';
import { resolveNumber, resolveString, unseenSpelling, type CategoryResolver, type EncoderField, type RecordEncoder } from './record-encoder.js';

/** Records read from a JSON body: their feature rows, and the values never seen in training (for warnings). */
export class JsonRecords {
  constructor(
    /** The body was a batch (`{"records":[…]}`), not one record. */
    readonly batch: boolean,
    readonly nRows: number,
    /** nRows × nCols feature rows (row-major). */
    readonly data: Float32Array,
    /** Per record with a categorical value never seen in training: its index and those values. */
    readonly unseen: ReadonlyMap<number, Array<{ field: string; value: string }>> | null,
  ) {}
}

const EMPTY_VIEW: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
const RECORDS = Uint8Array.from(Buffer.from('"records"', 'latin1'));

/** A reader for one encoder (jsonRecordsReader). */
export interface JsonRecordsReader {
  /** The body's records as rows, or null: not a body it takes (parse it as JSON; the general path decides). */
  read(body: Buffer): JsonRecords | null;
}

/** A reader of JSON bodies for `enc`'s model; batches of more than maxRecords are left to the general path (its 413). */
export function jsonRecordsReader(enc: RecordEncoder, maxRecords: number): JsonRecordsReader {
  return new Reader(enc, maxRecords);
}

/** Keys that are not input fields (a label, an id…) remembered by a reader, at most. */
const MAX_EXTRA_KEYS = 32;
/** Keys per record whose order a reader remembers, at most. */
const MAX_ORDER = 256;
const NUMERIC = 0;
const CATEGORICAL = 1;
/** Added to category()'s result when the value was missing (bodies are far shorter than 2^40 bytes). */
const MISSING_BIT = 2 ** 40;

class Reader implements JsonRecordsReader {
  private readonly fields: readonly EncoderField[];
  private readonly nF: number;
  private readonly nCols: number;
  /**
   * Keys as records spell them (`name":`, with the closing quote and colon): ids 0 … nF − 1 are
   * the input fields, nF … the other keys met so far (their values are skipped), learnt as they come.
   */
  private readonly keys: Uint8Array[] = [];
  /** Per key: its bytes as little-endian 32-bit words (the whole words of it; the rest compared byte by byte). */
  private readonly keyWords: Int32Array[] = [];
  private readonly extraIds = new Map<string, number>();
  /** The key ids of the last record, in its order: the guess for the next record's keys (records of a body share a layout). */
  private readonly lastOrder = new Int32Array(MAX_ORDER).fill(-1);
  private lastLen = 0;
  private readonly order = new Int32Array(MAX_ORDER);
  // per field, in flat arrays (monomorphic loads in the hot loop)
  private readonly kind: Uint8Array;
  private readonly offset: Int32Array;
  private readonly logs: Uint8Array;
  private readonly means: Float64Array;
  private readonly scales: Float64Array;
  private readonly filled: Float64Array;
  private readonly onehot: Uint8Array;
  /** The body being read, for reading four bytes at a time. */
  private view: DataView<ArrayBufferLike> = EMPTY_VIEW;
  /** Per categorical field: its training categories by the hash of their bytes (see categoryBytes). */
  private readonly categories: Array<Map<number, { bytes: Uint8Array; index: number }> | null>;
  private readonly byName: Map<string, number>;
  /** Every field name is printable ASCII without quotes or backslashes (else no key could match one: the general path reads every body). */
  private readonly usable: boolean;
  /** Per field: the record (stamp) that last set it, to find a missing or repeated field. */
  private readonly seen: Float64Array;
  private stamp = 0;
  // one body's state
  /** Rows being read: a scratch buffer kept between bodies (zero beyond `dirty`), copied out at the end. */
  private data = new Float32Array(0);
  private dirty = 0;
  private n = 0;
  private unseen: Map<number, Array<{ field: string; value: string }>> | null = null;

  constructor(
    enc: RecordEncoder,
    private readonly maxRecords: number,
  ) {
    this.fields = enc.fields;
    this.nF = enc.fields.length;
    this.nCols = enc.nCols;
    for (const f of enc.fields) this.addKey(f.name);
    this.categories = enc.fields.map((f) => (f.kind === 'categorical' ? categoryBytes(f.resolver) : null));
    this.byName = new Map(enc.fields.map((f, k) => [f.name, k]));
    const nF = this.nF;
    this.kind = new Uint8Array(nF);
    this.offset = new Int32Array(nF);
    this.logs = new Uint8Array(nF);
    this.means = new Float64Array(nF);
    this.scales = new Float64Array(nF);
    this.filled = new Float64Array(nF);
    this.onehot = new Uint8Array(nF);
    enc.fields.forEach((f, k) => {
      this.offset[k] = f.offset;
      if (f.kind === 'numeric') {
        this.kind[k] = NUMERIC;
        this.logs[k] = f.log ? 1 : 0;
        this.means[k] = f.mean;
        this.scales[k] = f.scale;
        this.filled[k] = f.filled;
      } else {
        this.kind[k] = CATEGORICAL;
        this.onehot[k] = f.onehot ? 1 : 0;
      }
    });
    // the first record's guess: the fields in the schema's order
    for (let k = 0; k < Math.min(nF, MAX_ORDER); k++) this.lastOrder[k] = k;
    this.lastLen = Math.min(nF, MAX_ORDER);
    this.usable = enc.fields.every((f) => /^[\x20-\x7e]*$/.test(f.name) && !f.name.includes('"') && !f.name.includes('\\'));
    this.seen = new Float64Array(this.nF);
  }

  /** A key's id: its bytes as records spell it (`name":`) and as words. */
  private addKey(name: string): number {
    const k = Uint8Array.from(Buffer.from(`${name}":`, 'latin1'));
    const words = new Int32Array(k.length >> 2);
    const v = new DataView(k.buffer, k.byteOffset, k.length);
    for (let q = 0; q < words.length; q++) words[q] = v.getInt32(4 * q, true);
    this.keys.push(k);
    this.keyWords.push(words);
    return this.keys.length - 1;
  }

  read(b: Buffer): JsonRecords | null {
    if (!this.usable) return null;
    try {
      return this.readBody(b);
    } finally {
      // hold no reference to the body between calls
      this.view = EMPTY_VIEW;
      // the scratch rows stay (zeroed now), unless one huge body made them large
      if (this.data.length > SCRATCH_KEEP) this.data = EMPTY_ROWS;
      else this.data.fill(0, 0, this.dirty);
      this.dirty = 0;
      this.unseen = null;
    }
  }

  private readBody(b: Buffer): JsonRecords | null {
    const len = b.length;
    this.view = new DataView(b.buffer, b.byteOffset, len);
    this.n = 0;
    this.unseen = null;
    let i = skipWs(b, 0, len);
    if (i >= len || b[i] !== LBRACE) return null;
    const open = i;
    i = skipWs(b, i + 1, len);
    let batch = i + RECORDS.length <= len;
    for (let k = 0; batch && k < RECORDS.length; k++) if (b[i + k] !== RECORDS[k]) batch = false;
    if (batch) {
      i = skipWs(b, i + RECORDS.length, len);
      if (i >= len || b[i] !== COLON) return null;
      i = skipWs(b, i + 1, len);
      if (i >= len || b[i] !== LBRACKET) return null;
      i = skipWs(b, i + 1, len);
      for (;;) {
        if (this.n >= this.maxRecords) return null; // over the limit: the general path answers 413
        i = this.record(b, i, len);
        if (i < 0) return null;
        i = skipWs(b, i, len);
        if (i >= len) return null;
        const d = b[i];
        if (d === COMMA) {
          i = skipWs(b, i + 1, len);
          continue;
        }
        if (d !== RBRACKET) return null;
        i++;
        break;
      }
      i = skipWs(b, i, len);
      if (i >= len || b[i] !== RBRACE) return null;
      i++;
    } else {
      i = this.record(b, open, len);
      if (i < 0) return null;
    }
    if (skipWs(b, i, len) !== len) return null;
    const n = this.n;
    // a copy of exactly the rows read (set is a memory copy; slice on a typed array is slower)
    const data = new Float32Array(n * this.nCols);
    data.set(this.data.subarray(0, n * this.nCols));
    return new JsonRecords(batch, n, data, this.unseen);
  }

  /** At i: a '{' starting a record, read into row n. The index after its '}', or -1. */
  private record(b: Buffer, i: number, len: number): number {
    if (i >= len || b[i] !== LBRACE) return -1;
    const nCols = this.nCols;
    const n = this.n;
    if ((n + 1) * nCols > this.data.length) {
      const grown = new Float32Array(Math.max(16, 2 * (n + 1)) * nCols);
      grown.set(this.data.subarray(0, this.dirty));
      this.data = grown;
    }
    this.dirty = (n + 1) * nCols;
    // everything the loop reads, in locals
    const data = this.data;
    const off = n * nCols;
    const nF = this.nF;
    const keys = this.keys;
    const keyWords = this.keyWords;
    const lastOrder = this.lastOrder;
    const order = this.order;
    const dv = this.view;
    const seen = this.seen;
    const kind = this.kind;
    const offset = this.offset;
    const logs = this.logs;
    const means = this.means;
    const scales = this.scales;
    const stamp = ++this.stamp;
    let count = 0;
    let any = false;
    let pos = 0;
    i++;
    if (i < len && b[i] !== QUOTE) i = skipWs(b, i, len);
    if (i >= len || b[i] === RBRACE) return -1;
    for (;;) {
      if (i >= len || b[i] !== QUOTE) return -1;
      let k = -1;
      // the key: the one at this position in the last record, most of the time (a body's records
      // share a layout), compared with its closing quote and colon four bytes at a time
      const guess = pos < MAX_ORDER ? lastOrder[pos]! : -1;
      if (guess >= 0) {
        const g = keys[guess]!;
        const gl = g.length;
        const p = i + 1;
        if (p + gl <= len) {
          const w = keyWords[guess]!;
          const nw = w.length;
          let q = 0;
          while (q < nw && dv.getInt32(p + 4 * q, true) === w[q]) q++;
          if (q === nw) {
            let j = 4 * nw;
            while (j < gl && b[p + j] === g[j]) j++;
            if (j === gl) {
              k = guess;
              i = p + gl;
            }
          }
        }
      }
      if (k < 0) {
        const ks = i + 1;
        const ke = plainEnd(b, ks, len);
        if (ke < 0) return -1;
        const name = b.toString('latin1', ks, ke);
        const f = this.byName.get(name);
        if (f !== undefined) k = f;
        else {
          // `records`: the schema would read the body as a batch; the other two Fastify's JSON parser refuses (prototype poisoning)
          if (name === 'records' || name === '__proto__' || name === 'constructor') return -1;
          const x = this.extraIds.get(name);
          if (x !== undefined) k = x;
          else if (this.extraIds.size < MAX_EXTRA_KEYS) this.extraIds.set(name, (k = this.addKey(name)));
          else k = -2; // another key, not remembered
        }
        i = skipWs(b, ke + 1, len);
        if (i >= len || b[i] !== COLON) return -1;
        i++;
      }
      if (pos < MAX_ORDER) order[pos] = k;
      pos++;
      if (i < len && b[i] <= 0x20) i = skipWs(b, i, len);
      if (i >= len) return -1;
      const c = b[i]!;
      if (k < 0 || k >= nF) {
        i = skipScalar(b, i, len);
        if (i < 0) return -1;
      } else {
        if (seen[k] === stamp) return -1; // twice: JSON.parse keeps the last; leave it to the general path
        seen[k] = stamp;
        count++;
        if (kind[k] === NUMERIC) {
          let v: number;
          // one digit alone (0, 1…): most values of most records
          const d = i + 1 < len ? b[i + 1]! : 0;
          if (c >= ZERO && c <= NINE && (d === COMMA || d === RBRACE)) {
            v = c - ZERO;
            i++;
          } else if (c === LOWER_N) {
            i = literal(b, i, len, NULL);
            if (i < 0) return -1;
            data[off + offset[k]!] = this.filled[k]!;
            v = NaN;
          } else {
            i = readNumber(b, i, len);
            if (i < 0) return -1;
            v = NUM[0]!;
          }
          if (v === v) {
            any = true;
            // exactly Pipeline.transform's arithmetic (see record-encoder)
            data[off + offset[k]!] = ((logs[k] === 1 ? (v >= 0 ? Math.log1p(v) : -Math.log1p(-v)) : v) - means[k]!) * scales[k]!;
          }
        } else {
          i = this.category(b, i, len, k, off, n);
          if (i < 0) return -1;
          if (i >= MISSING_BIT) i -= MISSING_BIT;
          else any = true;
        }
      }
      if (i < len && b[i] <= 0x20) i = skipWs(b, i, len);
      if (i >= len) return -1;
      const e = b[i];
      if (e === COMMA) {
        i++;
        if (i < len && b[i] !== QUOTE) i = skipWs(b, i, len);
        continue;
      }
      if (e !== RBRACE) return -1;
      i++;
      break;
    }
    if (count !== nF || !any) return -1;
    // this record's layout is the next one's guess
    const m = Math.min(pos, MAX_ORDER);
    for (let q = 0; q < m; q++) lastOrder[q] = order[q]!;
    for (let q = m; q < this.lastLen; q++) lastOrder[q] = -1;
    this.lastLen = m;
    this.n = n + 1;
    return i;
  }

  /**
   * At i: the value of categorical field k of row n; its column set. The index after the value
   * (plus MISSING_BIT when the value is missing: it does not count as a value), or -1.
   */
  private category(b: Buffer, i: number, len: number, k: number, off: number, n: number): number {
    const f = this.fields[k] as Extract<EncoderField, { kind: 'categorical' }>;
    const r = f.resolver;
    i = readCategory(b, i, len, this.categories[k]!, r);
    if (i < 0) return -1;
    let cat = CAT.index;
    const raw = CAT.raw;
    const missing = cat < 0;
    if (missing) cat = r.fill;
    else if (cat === r.unseen) this.addUnseen(n, k, unseenSpelling(r, raw)!);
    if (this.onehot[k] === 1) this.data[off + this.offset[k]! + cat] = 1;
    else this.data[off + this.offset[k]!] = cat;
    return missing ? i + MISSING_BIT : i;
  }

  /** Field k of record `row` holds `value`, never seen in training; a record's list is in field order (as the general path lists them). */
  private addUnseen(row: number, k: number, value: string): void {
    this.unseen ??= new Map();
    let list = this.unseen.get(row);
    if (!list) this.unseen.set(row, (list = []));
    let at = list.length;
    while (at > 0 && this.byName.get(list[at - 1]!.field)! > k) at--;
    list.splice(at, 0, { field: this.fields[k]!.name, value });
  }
}

const EMPTY_ROWS = new Float32Array(0);
/** Scratch floats kept between bodies (4 MB); a larger body's are dropped after it. */
const SCRATCH_KEEP = 1 << 20;


/** What readCategory read last: the category index (≥ 0, the unseen bucket, or -1: missing) and, unless it is a training spelling, the raw value (for warnings). */
export const CAT: { index: number; raw: string | number | null } = { index: -1, raw: null };

/**
 * At i: a categorical value — a string of printable ASCII without escapes, a number or null —
 * resolved as the record encoder resolves it (`r`), a training category spelled as in training
 * found by the hash of its bytes (`known`, see categoryBytes) without making a string; into CAT.
 * The index after the value, or -1.
 */
export function readCategory(b: Buffer, i: number, len: number, known: Map<number, { bytes: Uint8Array; index: number }>, r: CategoryResolver): number {
  const c = b[i]!;
  if (c === QUOTE) {
    let h = 0;
    let e = i + 1;
    for (; e < len; e++) {
      const x = b[e]!;
      if (x === QUOTE) break;
      if (x < 0x20 || x > 0x7e || x === BACKSLASH) return -1;
      h = (Math.imul(h, 31) + x) | 0;
    }
    if (e >= len) return -1;
    const k = known.get(h);
    let same = k !== undefined && k.bytes.length === e - i - 1;
    for (let j = 0; same && j < k!.bytes.length; j++) if (b[i + 1 + j] !== k!.bytes[j]) same = false;
    if (same) {
      CAT.raw = null;
      CAT.index = k!.index;
    } else {
      const text = b.toString('latin1', i + 1, e);
      CAT.raw = text;
      CAT.index = r.cache.get(text) ?? resolveString(r, text);
    }
    return e + 1;
  }
  if (c === LOWER_N) {
    CAT.raw = null;
    CAT.index = -1;
    return literal(b, i, len, NULL);
  }
  i = readNumber(b, i, len);
  if (i < 0) return -1;
  CAT.raw = NUM[0]!;
  CAT.index = resolveNumber(r, CAT.raw);
  return i;
}

/** The hash the reader computes over a string's bytes. */
function hashBytes(bytes: Uint8Array): number {
  let h = 0;
  for (let j = 0; j < bytes.length; j++) h = (Math.imul(h, 31) + bytes[j]!) | 0;
  return h;
}

/**
 * A categorical field's spellings that resolve to a training category (its resolver's cache
 * before any request: each category as written in training), printable ASCII only, by hash; a
 * hash shared by two spellings keeps the first (the other is found by the resolver).
 */
export function categoryBytes(r: CategoryResolver): Map<number, { bytes: Uint8Array; index: number }> {
  const out = new Map<number, { bytes: Uint8Array; index: number }>();
  for (const [text, index] of r.cache) {
    if (index < 0 || index >= r.unseen || !/^[\x20-\x7e]*$/.test(text) || text.includes('"') || text.includes('\\')) continue;
    const bytes = Uint8Array.from(Buffer.from(text, 'latin1'));
    const h = hashBytes(bytes);
    if (!out.has(h)) out.set(h, { bytes, index });
  }
  return out;
}
