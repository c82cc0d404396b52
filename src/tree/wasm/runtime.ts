/**
 * The few WebAssembly JS-API types the engine uses (the project compiles without the DOM lib,
 * which is where TypeScript declares `WebAssembly`).
 */
export interface WasmMemory {
  /** The whole memory (a SharedArrayBuffer for shared memories; a new object after grow). */
  readonly buffer: SharedArrayBuffer;
  /** Grow by `delta` 64 KiB pages; returns the previous size in pages. */
  grow(delta: number): number;
}

// An opaque compiled module (structured-cloneable to worker threads).
export type WasmModule = object;

interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
}

export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export const PAGE = 65536;
