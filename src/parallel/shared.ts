/**
 * Typed arrays that can live on a SharedArrayBuffer, so worker threads read the same memory
 * without copying (training data, gradients, row partitions, histograms).
 */
type Ctor<T> = { new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T; readonly BYTES_PER_ELEMENT: number };

function alloc<T>(C: Ctor<T>, n: number, shared: boolean): T {
  const bytes = Math.max(1, n) * C.BYTES_PER_ELEMENT;
  const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return new C(buf, 0, n);
}

export const allocUint8 = (n: number, shared = false): Uint8Array => alloc(Uint8Array, n, shared);
export const allocInt32 = (n: number, shared = false): Int32Array => alloc(Int32Array, n, shared);
export const allocUint32 = (n: number, shared = false): Uint32Array => alloc(Uint32Array, n, shared);
export const allocFloat32 = (n: number, shared = false): Float32Array => alloc(Float32Array, n, shared);
export const allocFloat64 = (n: number, shared = false): Float64Array => alloc(Float64Array, n, shared);

/** True when the array's memory is a SharedArrayBuffer (visible to workers without a copy). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** The same values on shared memory (a copy unless already shared). */
export function toShared<T extends Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T): T {
  if (isShared(a)) return a;
  const C = a.constructor as unknown as Ctor<T>;
  const out = alloc(C, a.length, true) as unknown as T;
  (out as unknown as { set(x: ArrayLike<number>): void }).set(a);
  return out;
}
