/**
 * The memory the tree engine works in: one shared WebAssembly memory per fit (or per model, for
 * prediction) with the kernels instantiated over it. Arrays are typed-array views into it, so
 * JavaScript code reads and writes them as usual while the WebAssembly kernels take their byte
 * offsets. The memory is shared (a SharedArrayBuffer underneath): worker threads instantiate the
 * same kernels over it, and growing it never detaches existing views.
 *
 * Allocation is a bump pointer; nothing is freed until the whole heap is dropped (a fit's
 * working set is allocated up front and reused). A worker gets an arena — a slice reserved by
 * the main thread — and allocates only inside it.
 */
import { nadirError } from '../errors.js';
import { MAX_PAGES } from './wasm/asm.js';
import { type Kernels, kernelModule } from './wasm/kernels.js';
import { PAGE, type WasmMemory, wasmApi } from './wasm/runtime.js';

export interface Arena {
  readonly start: number;
  readonly end: number;
}

/** Bytes needed for a set of arrays allocated in sequence (16-byte alignment each). */
export function bytesFor(...sizes: number[]): number {
  let s = 0;
  for (const b of sizes) s += Math.ceil(b / 16) * 16;
  return s;
}

export class Heap {
  readonly memory: WasmMemory;
  readonly k: Kernels;
  private top: number;
  private readonly end: number;

  private constructor(memory: WasmMemory, top: number, end: number) {
    this.memory = memory;
    this.top = top;
    this.end = end;
    const inst = new wasmApi.Instance(kernelModule(), { env: { mem: memory } });
    this.k = inst.exports as unknown as Kernels;
  }

  /** A new shared memory of at least `bytes` (it grows on demand up to 2 GiB). */
  static create(bytes = PAGE): Heap {
    const memory = new wasmApi.Memory({ initial: Math.max(1, Math.ceil((bytes + 64) / PAGE)), maximum: MAX_PAGES, shared: true });
    // Offset 0 stays unused so that no array starts at the null address.
    return new Heap(memory, 64, Infinity);
  }

  /** Kernels over an existing memory, allocating only inside `arena` (a worker's view of a fit's heap). */
  static attach(memory: WasmMemory, arena: Arena = { start: 0, end: 0 }): Heap {
    return new Heap(memory, arena.start, arena.end);
  }

  /** Reserve `bytes` for another thread's allocations. */
  arena(bytes: number): Arena {
    const start = this.alloc(bytes);
    return { start, end: start + bytes };
  }

  /** Byte offset of `bytes` fresh, 16-byte-aligned, zeroed bytes. */
  alloc(bytes: number): number {
    const at = Math.ceil(this.top / 16) * 16;
    const next = at + Math.ceil(bytes / 16) * 16;
    if (next > this.end) throw nadirError('NADIR_ERR_INTERNAL', `tree engine arena exhausted (${next - this.end} bytes short)`);
    const have = this.memory.buffer.byteLength;
    if (next > have) {
      const pages = Math.ceil((next - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw nadirError('NADIR_ERR_TOO_LARGE', `the tree engine needs ${Math.ceil(next / 2 ** 20)} MiB, more than its 2 GiB memory`);
      }
      // Grow by at least a quarter, to keep the number of grows small.
      this.memory.grow(Math.min(MAX_PAGES - have / PAGE, Math.max(pages, Math.ceil(have / PAGE / 4))));
    }
    this.top = next;
    return at;
  }

  // one method per element type, written out by hand: each returns its own concrete view type, with no constructor passed per call
  u8(n: number): Uint8Array {
    const at = this.alloc(n); // before reading .buffer: alloc may grow the memory
    return new Uint8Array(this.memory.buffer, at, n);
  }
  i32(n: number): Int32Array {
    const at = this.alloc(4 * n);
    return new Int32Array(this.memory.buffer, at, n);
  }
  u32(n: number): Uint32Array {
    const at = this.alloc(4 * n);
    return new Uint32Array(this.memory.buffer, at, n);
  }
  f32(n: number): Float32Array {
    const at = this.alloc(4 * n);
    return new Float32Array(this.memory.buffer, at, n);
  }
  f64(n: number): Float64Array {
    const at = this.alloc(8 * n);
    return new Float64Array(this.memory.buffer, at, n);
  }

  /** A view of n doubles at byte offset `at` (e.g. one histogram of a pool chunk). */
  f64At(at: number, n: number): Float64Array {
    return new Float64Array(this.memory.buffer, at, n);
  }
}
