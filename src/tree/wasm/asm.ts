/**
 * A minimal WebAssembly assembler: enough of the binary format (WebAssembly Core Specification
 * 2.0, §5) to emit the tree engine's kernels — one imported shared memory, functions over i32 /
 * f32 / f64 locals, structured control flow, loads and stores. Kernels are written as nested
 * expressions (each helper returns its bytes in evaluation order).
 *
 * Why WebAssembly for the hot loops: V8 re-checks every typed array (map, length, base pointer)
 * on every iteration of a JavaScript loop; the same loop in WebAssembly runs about twice as fast.
 */

export type Code = number[];
export type ValType = 'i32' | 'f32' | 'f64';

const VT: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, f64: 0x7c };

export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    let b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    if (!done) b |= 0x80;
    out.push(b);
    if (done) return out;
  }
}

function name(s: string): Code {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

/**
 * The byte runs one after another. Structural helpers use this instead of spreads: a kernel is
 * tens of kilobytes, nested many levels deep, and spreading it at every level is slow.
 */
export function cat(...parts: Code[]): Code {
  const out: Code = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) out.push(p[i]!);
  return out;
}

function vec(items: Code[]): Code {
  return cat(uleb(items.length), ...items);
}

function section(id: number, body: Code): Code {
  return cat([id], uleb(body.length), body);
}

/** A function being written: named parameters and locals resolve to indices. */
export class Fn {
  readonly name: string;
  readonly params: [string, ValType][];
  readonly result: ValType | null;
  readonly locals: [string, ValType][];
  private readonly index = new Map<string, number>();
  body: Code = [];

  constructor(name: string, params: [string, ValType][], result: ValType | null, locals: [string, ValType][]) {
    this.name = name;
    this.params = params;
    this.result = result;
    this.locals = locals;
    [...params, ...locals].forEach(([n], i) => {
      if (this.index.has(n)) throw new Error(`wasm: duplicate local ${n} in ${name}`);
      this.index.set(n, i);
    });
  }

  private idx(n: string): number {
    const i = this.index.get(n);
    if (i === undefined) throw new Error(`wasm: unknown local ${n} in ${this.name}`);
    return i;
  }

  get(n: string): Code {
    return [0x20, ...uleb(this.idx(n))];
  }
  set(n: string, v: Code): Code {
    return [...v, 0x21, ...uleb(this.idx(n))];
  }
  tee(n: string, v: Code): Code {
    return [...v, 0x22, ...uleb(this.idx(n))];
  }
}

// ---- instructions (operands first, as the stack machine evaluates them)
export const i32 = (n: number): Code => [0x41, ...sleb(n | 0)];
export const f64c = (x: number): Code => {
  const b = new Uint8Array(new Float64Array([x]).buffer);
  return [0x44, ...b];
};
const bin =
  (op: number) =>
  (a: Code, b: Code): Code => [...a, ...b, op];
const un =
  (op: number) =>
  (a: Code): Code => [...a, op];
export const add = bin(0x6a);
export const sub = bin(0x6b);
export const mul = bin(0x6c);
export const and = bin(0x71);
export const or = bin(0x72);
export const xor = bin(0x73);
export const shl = bin(0x74);
export const shrU = bin(0x76);
export const eq = bin(0x46);
export const ne = bin(0x47);
export const ltS = bin(0x48);
export const ltU = bin(0x49);
export const gtS = bin(0x4a);
export const leS = bin(0x4c);
export const geS = bin(0x4e);
export const geU = bin(0x4f);
export const eqz = un(0x45);
export const f64add = bin(0xa0);
export const f64sub = bin(0xa1);
export const f64mul = bin(0xa2);
export const f32gt = bin(0x5e);
export const f32lt = bin(0x5d);
export const f32ne = bin(0x5c);
export const f64promote = un(0xbb);
export const f64div = bin(0xa3);
export const f64max = bin(0xa5);
export const f64abs = un(0x99);
export const f64neg = un(0x9a);
export const f64nearest = un(0x9e);
export const f64ge = bin(0x66);
export const f64gt = bin(0x64);
export const f64eq = bin(0x61);
export const i32TruncF64 = un(0xaa);
export const f64FromI32 = un(0xb7);
export const f32demote = un(0xb6);
/** i32.load / f32.load / f64.load / i32.load8_u at addr + offset (align hint as log2 bytes). */
export const load32 = (addr: Code, off = 0): Code => [...addr, 0x28, 2, ...uleb(off)];
export const loadU8 = (addr: Code, off = 0): Code => [...addr, 0x2d, 0, ...uleb(off)];
export const loadF32 = (addr: Code, off = 0): Code => [...addr, 0x2a, 2, ...uleb(off)];
export const loadF64 = (addr: Code, off = 0): Code => [...addr, 0x2b, 3, ...uleb(off)];
export const store32 = (addr: Code, v: Code, off = 0): Code => [...addr, ...v, 0x36, 2, ...uleb(off)];
export const store8 = (addr: Code, v: Code, off = 0): Code => [...addr, ...v, 0x3a, 0, ...uleb(off)];
export const storeF64 = (addr: Code, v: Code, off = 0): Code => [...addr, ...v, 0x39, 3, ...uleb(off)];
export const storeF32 = (addr: Code, v: Code, off = 0): Code => [...addr, ...v, 0x38, 2, ...uleb(off)];
/** select(a, b, cond): a when cond ≠ 0, else b. */
export const select = (a: Code, b: Code, cond: Code): Code => [...a, ...b, ...cond, 0x1b];

export const block = (...body: Code[]): Code => cat([0x02, 0x40], ...body, [0x0b]);
export const loop = (...body: Code[]): Code => cat([0x03, 0x40], ...body, [0x0b]);
export const br = (depth: number): Code => [0x0c, ...uleb(depth)];
export const brIf = (depth: number, cond: Code): Code => [...cond, 0x0d, ...uleb(depth)];
/** br_table: branch to labels[index], or to `otherwise` when index ≥ labels.length. */
export const brTable = (index: Code, labels: number[], otherwise: number): Code => [...index, 0x0e, ...uleb(labels.length), ...labels.flatMap(uleb), ...uleb(otherwise)];
export const ifThen = (cond: Code, ...body: Code[]): Code => cat(cond, [0x04, 0x40], ...body, [0x0b]);
export const ifElse = (cond: Code, then: Code[], otherwise: Code[]): Code => cat(cond, [0x04, 0x40], ...then, [0x05], ...otherwise, [0x0b]);
export const ret = (v: Code = []): Code => [...v, 0x0f];

/**
 * `for (v = from; v < to; v += step) body` over i32 locals (signed compare). `to` is evaluated
 * every iteration (pass a local).
 */
export function forRange(f: Fn, v: string, from: Code, to: Code, step: number, ...body: Code[]): Code {
  return cat(f.set(v, from), block(loop(brIf(1, geS(f.get(v), to)), ...body, f.set(v, add(f.get(v), i32(step))), br(0))));
}

/** A module importing one memory ("env"."mem", shared when `shared`) and exporting `fns`. */
export function assemble(fns: Fn[], shared: boolean): Uint8Array {
  const types = fns.map((f) => [0x60, ...vec(f.params.map(([, t]) => [VT[t]])), ...vec(f.result ? [[VT[f.result]]] : [])]);
  const limits = shared ? [0x03, ...uleb(1), ...uleb(MAX_PAGES)] : [0x00, ...uleb(1)];
  const imports = vec([[...name('env'), ...name('mem'), 0x02, ...limits]]);
  const funcs = vec(fns.map((_, i) => uleb(i)));
  const exports = vec(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const codes = vec(
    fns.map((f) => {
      const locals = vec(f.locals.map(([, t]) => [...uleb(1), VT[t]]));
      const body = cat(locals, f.body, [0x0b]);
      return cat(uleb(body.length), body);
    }),
  );
  return Uint8Array.from(
    cat([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], section(1, vec(types)), section(2, imports), section(3, funcs), section(7, exports), section(10, codes)),
  );
}

/** Maximum size of a shared memory: 32768 pages of 64 KiB = 2 GiB (reserved, not committed). */
export const MAX_PAGES = 32768;
