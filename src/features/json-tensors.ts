/**
 * The JSON bytes of an Open Inference Protocol v2 (KServe) infer request — one tensor per input
 * column — read in one pass straight into the model's feature rows: no JSON.parse of the body, no
 * record per row. The /v2 infer route tries it first; JSON.parse, the schema and the general path
 * stay for everything it does not take.
 *
 * Like json-records it takes a strict subset and gives up (null) on anything else, without saying
 * why: the general path then finds and words the error, so this reader decides nothing the general
 * path would decide differently. It takes:
 * - `{"inputs":[tensor, …]}` with an optional `"id"` (a string of printable ASCII without escapes),
 *   nothing else at the top level (an `outputs` filter or `parameters` go to the general path);
 * - one tensor per input field of the model, and any others (ignored, as the general path ignores
 *   them: their data a flat array of scalars), no name twice, at most 4,096; each an object with
 *   the keys `name`, `datatype`, `shape` and `data` once each, `name` and `shape` before `data`;
 * - an input's `shape` `[n]` or `[n, 1]`, the same n ≥ 1 for every input, at most maxRows, its
 *   `data` a flat array of exactly n values;
 * - a numeric field: a numeric datatype other than BOOL, values numbers (finite) or null; a
 *   categorical field: BYTES, values strings of printable ASCII without escapes, numbers or null;
 * - every row with at least one value that is not missing (the record encoder's rule).
 * Numbers are read as JSON.parse reads them (json-bytes), and every value is encoded with the
 * record encoder's arithmetic, so the rows are the ones the general path builds, bit for bit.
 */
import { CAT, categoryBytes, JsonRecords, readCategory } from './json-records.js';
import { COLON, COMMA, LBRACE, LBRACKET, literal, LOWER_N, NULL, NUM, plainEnd, QUOTE, RBRACE, RBRACKET, readNumber, skipScalar, skipWs, ZERO, NINE, MINUS } from './json-bytes.js';
import type { EncoderField, RecordEncoder } from './record-encoder.js';

/** Feature rows read from a v2 infer request, and the request's id (echoed in the answer). */
export class JsonTensorRows extends JsonRecords {
  constructor(
    nRows: number,
    data: Float32Array,
    readonly id: string | null,
  ) {
    super(true, nRows, data, null);
  }
}

/** A reader of v2 infer request bodies for one model (jsonTensorsReader). */
export interface JsonTensorsReader {
  /** The request's rows, or null: not a body it takes (parse it as JSON; the general path decides). */
  read(body: Buffer): JsonTensorRows | null;
}

/** The datatypes the general path accepts for a numeric input, but BOOL (its true/false values go there). */
const NUMERIC_TYPES = new Set(['UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);

/** A reader for `enc`'s model; requests of more than maxRows rows are left to the general path (its 413). */
export function jsonTensorsReader(enc: RecordEncoder, maxRows: number): JsonTensorsReader {
  return new TensorReader(enc, maxRows);
}

/** Parse state: the token reader's position, or -1 once the body is not one this reader takes. */
type At = number;

class TensorReader implements JsonTensorsReader {
  private readonly fields: readonly EncoderField[];
  private readonly byName: Map<string, number>;
  private readonly categories: Array<Map<number, { bytes: Uint8Array; index: number }> | null>;
  /** Per numeric field, the encoding of each small integer 0 … SMALL − 1 (the arithmetic below, done once; most values are such). */
  private readonly small: Array<Float64Array | null>;
  // one body's state
  private n = -1;
  private data = new Float32Array(0);
  private any = new Uint8Array(0);
  private seen = new Uint8Array(0);
  /** Names of the tensors that are not inputs (ignored, but not twice). */
  private extra = new Set<string>();
  private tensors = 0;
  /** The current tensor's parts: its input field (-1: no name yet, -2: not an input), datatype and shape. */
  private field = -1;
  private datatype: string | null = null;
  private shapeLen = 0;
  private s0 = 0;
  private s1 = 0;

  constructor(
    private readonly enc: RecordEncoder,
    private readonly maxRows: number,
  ) {
    this.fields = enc.fields;
    this.byName = new Map(enc.fields.map((f, k) => [f.name, k]));
    this.categories = enc.fields.map((f) => (f.kind === 'categorical' ? categoryBytes(f.resolver) : null));
    this.small = enc.fields.map((f) => (f.kind === 'numeric' ? Float64Array.from({ length: SMALL }, (_, v) => encodeNumber(f, v)) : null));
  }

  read(b: Buffer): JsonTensorRows | null {
    this.n = -1;
    this.seen = new Uint8Array(this.fields.length);
    this.extra = new Set();
    this.tensors = 0;
    try {
      return this.body(b);
    } finally {
      this.data = EMPTY;
      this.any = EMPTY_U8;
    }
  }

  private body(b: Buffer): JsonTensorRows | null {
    const len = b.length;
    let i = skipWs(b, 0, len);
    if (i >= len || b[i] !== LBRACE) return null;
    let id: string | null = null;
    let inputs = false;
    i = skipWs(b, i + 1, len);
    for (;;) {
      if (i >= len || b[i] !== QUOTE) return null;
      const ke = plainEnd(b, i + 1, len);
      if (ke < 0) return null;
      const key = b.toString('latin1', i + 1, ke);
      i = skipWs(b, ke + 1, len);
      if (i >= len || b[i] !== COLON) return null;
      i = skipWs(b, i + 1, len);
      if (key === 'inputs' && !inputs) {
        inputs = true;
        i = this.inputs(b, i, len);
      } else if (key === 'id' && id === null) {
        if (i >= len || b[i] !== QUOTE) return null;
        const e = plainEnd(b, i + 1, len);
        if (e < 0) return null;
        id = b.toString('latin1', i + 1, e);
        i = e + 1;
      } else return null;
      if (i < 0) return null;
      i = skipWs(b, i, len);
      if (i >= len) return null;
      if (b[i] === COMMA) {
        i = skipWs(b, i + 1, len);
        continue;
      }
      if (b[i] !== RBRACE) return null;
      i++;
      break;
    }
    if (!inputs || skipWs(b, i, len) !== len) return null;
    // every input field given, and every row has a value
    for (let k = 0; k < this.seen.length; k++) if (this.seen[k] !== 1) return null;
    const n = this.n;
    for (let r = 0; r < n; r++) if (this.any[r] !== 1) return null;
    return new JsonTensorRows(n, this.data, id);
  }

  /** At i: the inputs array. The index after its ']', or -1. */
  private inputs(b: Buffer, i: number, len: number): At {
    if (i >= len || b[i] !== LBRACKET) return -1;
    i = skipWs(b, i + 1, len);
    for (;;) {
      i = this.tensor(b, i, len);
      if (i < 0) return -1;
      i = skipWs(b, i, len);
      if (i >= len) return -1;
      if (b[i] === COMMA) {
        i = skipWs(b, i + 1, len);
        continue;
      }
      if (b[i] !== RBRACKET) return -1;
      return i + 1;
    }
  }

  /** At i: one tensor object. The index after its '}', or -1. */
  private tensor(b: Buffer, i: number, len: number): At {
    if (i >= len || b[i] !== LBRACE || ++this.tensors > MAX_TENSORS) return -1;
    this.field = -1;
    this.datatype = null;
    this.shapeLen = 0;
    let hasData = false;
    i = skipWs(b, i + 1, len);
    for (;;) {
      if (i >= len || b[i] !== QUOTE) return -1;
      const ke = plainEnd(b, i + 1, len);
      if (ke < 0) return -1;
      const key = b.toString('latin1', i + 1, ke);
      i = skipWs(b, ke + 1, len);
      if (i >= len || b[i] !== COLON) return -1;
      i = skipWs(b, i + 1, len);
      if (key === 'name' && this.field < 0) {
        if (i >= len || b[i] !== QUOTE) return -1;
        const e = plainEnd(b, i + 1, len);
        if (e < 0) return -1;
        const name = b.toString('latin1', i + 1, e);
        const k = this.byName.get(name);
        if (k === undefined) {
          // not an input: ignored, as the general path ignores it (but not given twice)
          if (this.extra.has(name)) return -1;
          this.extra.add(name);
          this.field = -2;
        } else {
          if (this.seen[k] === 1) return -1; // given twice
          this.seen[k] = 1;
          this.field = k;
        }
        i = e + 1;
      } else if (key === 'datatype' && this.datatype === null) {
        if (i >= len || b[i] !== QUOTE) return -1;
        const e = plainEnd(b, i + 1, len);
        if (e < 0) return -1;
        this.datatype = b.toString('latin1', i + 1, e);
        i = e + 1;
      } else if (key === 'shape' && this.shapeLen === 0) {
        i = this.shape(b, i, len);
      } else if (key === 'data' && !hasData && this.field !== -1 && this.shapeLen > 0) {
        hasData = true;
        i = this.field >= 0 ? (this.rows() ? this.values(b, i, len) : -1) : skipScalars(b, i, len);
      } else return -1;
      if (i < 0) return -1;
      i = skipWs(b, i, len);
      if (i >= len) return -1;
      if (b[i] === COMMA) {
        i = skipWs(b, i + 1, len);
        continue;
      }
      if (b[i] !== RBRACE) return -1;
      i++;
      break;
    }
    if (!hasData || this.datatype === null) return -1;
    if (this.field < 0) return i;
    const f = this.fields[this.field]!;
    if (f.kind === 'numeric' ? !NUMERIC_TYPES.has(this.datatype) : this.datatype !== 'BYTES') return -1;
    return i;
  }

  /** At i: a shape, one or two integers ≥ 0 (the schema's rule for every tensor). The index after it, or -1. */
  private shape(b: Buffer, i: number, len: number): At {
    if (i >= len || b[i] !== LBRACKET) return -1;
    i = skipWs(b, i + 1, len);
    for (;;) {
      const e = readNumber(b, i, len);
      if (e < 0) return -1;
      const v = NUM[0]!;
      if (!Number.isInteger(v) || v < 0 || this.shapeLen === 2) return -1;
      if (this.shapeLen++ === 0) this.s0 = v;
      else this.s1 = v;
      i = skipWs(b, e, len);
      if (i < len && b[i] === COMMA) {
        i = skipWs(b, i + 1, len);
        continue;
      }
      if (i >= len || b[i] !== RBRACKET) return -1;
      return i + 1;
    }
  }

  /** The current input's shape is `[n]` or `[n, 1]` with the body's n (the first input sets it, and the rows). */
  private rows(): boolean {
    if (!(this.shapeLen === 1 || this.s1 === 1)) return false;
    const n = this.s0;
    if (n < 1 || n > this.maxRows) return false;
    if (this.n < 0) {
      this.n = n;
      this.data = new Float32Array(n * this.enc.nCols);
      this.any = new Uint8Array(n);
    }
    return n === this.n;
  }

  /** At i: the current tensor's flat array of n values, each encoded into its row. The index after ']', or -1. */
  private values(b: Buffer, i: number, len: number): At {
    if (i >= len || b[i] !== LBRACKET) return -1;
    const n = this.n;
    const nCols = this.enc.nCols;
    const data = this.data;
    const any = this.any;
    const f = this.fields[this.field]!;
    const small = this.small[this.field]!;
    i = skipWs(b, i + 1, len);
    let r = 0;
    for (;;) {
      if (r >= n || i >= len) return -1;
      const c = b[i]!;
      const off = r * nCols + f.offset;
      if (f.kind === 'numeric') {
        if (c === LOWER_N) {
          i = literal(b, i, len, NULL);
          if (i < 0) return -1;
          data[off] = f.filled;
        } else {
          // a small integer alone (0, 1, 255…: most values), from the field's table
          let x = -1;
          if (c >= ZERO && c <= NINE) {
            let e = i + 1;
            x = c - ZERO;
            if (x !== 0) {
              let d = 0;
              while (e < len && (d = b[e]!) >= ZERO && d <= NINE && x < SMALL) {
                x = x * 10 + (d - ZERO);
                e++;
              }
            }
            const d = e < len ? b[e]! : 0;
            if (x < SMALL && (d === COMMA || d === RBRACKET || d <= 0x20)) {
              data[off] = small[x]!;
              i = e;
            } else x = -1;
          } else if (c !== MINUS) return -1;
          if (x < 0) {
            i = readNumber(b, i, len);
            if (i < 0) return -1;
            data[off] = encodeNumber(f, NUM[0]!);
          }
          any[r] = 1;
        }
      } else {
        const res = f.resolver;
        i = readCategory(b, i, len, this.categories[this.field]!, res);
        if (i < 0) return -1;
        let cat = CAT.index;
        if (cat < 0) cat = res.fill;
        else any[r] = 1;
        if (f.onehot) data[off + cat] = 1;
        else data[off] = cat;
      }
      r++;
      if (i < len && b[i]! <= 0x20) i = skipWs(b, i, len);
      if (i >= len) return -1;
      if (b[i] === COMMA) {
        i++;
        if (i < len && b[i]! <= 0x20) i = skipWs(b, i, len);
        continue;
      }
      if (b[i] !== RBRACKET || r !== n) return -1;
      return i + 1;
    }
  }
}

/** At i: a flat array of JSON scalars (a tensor that is not an input). The index after ']', or -1. */
function skipScalars(b: Buffer, i: number, len: number): At {
  if (i >= len || b[i] !== LBRACKET) return -1;
  i = skipWs(b, i + 1, len);
  if (i < len && b[i] === RBRACKET) return i + 1;
  for (;;) {
    i = skipScalar(b, i, len);
    if (i < 0) return -1;
    i = skipWs(b, i, len);
    if (i >= len) return -1;
    if (b[i] === COMMA) {
      i = skipWs(b, i + 1, len);
      continue;
    }
    return b[i] === RBRACKET ? i + 1 : -1;
  }
}

/** Numeric field f's encoding of the finite number v: exactly Pipeline.transform's arithmetic (see record-encoder). */
function encodeNumber(f: Extract<EncoderField, { kind: 'numeric' }>, v: number): number {
  return ((f.log ? (v >= 0 ? Math.log1p(v) : -Math.log1p(-v)) : v) - f.mean) * f.scale;
}

/** Small integers whose encoding each numeric field keeps in a table: 0 … SMALL − 1. */
const SMALL = 256;
/** The schema's limit on the number of input tensors. */
const MAX_TENSORS = 4096;
const EMPTY = new Float32Array(0);
const EMPTY_U8 = new Uint8Array(0);
