import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeTyped, encodeTyped, parseTyped, stringifyTyped, TYPED_ARRAY_NAMES } from './typed-json.js';
import { NadirError } from '../errors.js';

function roundTrip(v: unknown): unknown {
  return decodeTyped(JSON.parse(JSON.stringify(encodeTyped(v))));
}

function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

test('every supported typed array kind round-trips exactly, nested in objects and arrays', () => {
  const value = {
    f32: new Float32Array([1.5, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1e-45]),
    f64: new Float64Array([Math.PI, -0, NaN, Number.MIN_VALUE, -Number.MAX_VALUE]),
    i32: new Int32Array([-2147483648, 2147483647, 0, -1]),
    u32: new Uint32Array([0, 4294967295, 123456789]),
    u8: new Uint8Array([0, 255, 7]),
    i8: new Int8Array([-128, 127, 0]),
    i16: new Int16Array([-32768, 32767, 1]),
    u16: new Uint16Array([0, 65535, 2]),
    empty: new Float64Array(0),
    nested: { list: [1, 'a', null, true, [new Int32Array([5, 6])], { deep: new Uint16Array([9]) }] },
  };
  const back = roundTrip(value) as typeof value;
  for (const k of Object.keys(value) as (keyof typeof value)[]) {
    const a = value[k];
    if (ArrayBuffer.isView(a)) {
      const b = back[k] as ArrayBufferView;
      assert.equal(b.constructor, a.constructor, `${k} kind`);
      assert.ok(sameBits(a, b), `${k} bits`);
    }
  }
  assert.ok(Object.is((back.f32 as Float32Array)[1], -0));
  assert.ok(Number.isNaN((back.f64 as Float64Array)[2]));
  assert.deepEqual(back.nested, value.nested);
  assert.equal(TYPED_ARRAY_NAMES.length, 8);
});

test('encoding is little-endian and uses the documented marker', () => {
  const enc = encodeTyped(new Uint32Array([1, 0x01020304])) as { $typed: string; base64: string };
  assert.deepEqual(Object.keys(enc), ['$typed', 'base64']);
  assert.equal(enc.$typed, 'Uint32Array');
  assert.deepEqual([...Buffer.from(enc.base64, 'base64')], [1, 0, 0, 0, 4, 3, 2, 1]);
});

test('views into a larger buffer encode only their own elements; decoded arrays are aligned copies', () => {
  const big = new Float64Array([1, 2, 3, 4, 5]);
  const view = big.subarray(1, 3);
  const back = roundTrip({ v: view }) as { v: Float64Array };
  assert.deepEqual([...back.v], [2, 3]);
  assert.equal(back.v.byteOffset, 0);
  // Uint8 view at an odd offset of a Float32 buffer: still exact
  const odd = new Uint8Array(new Float32Array([1, 2]).buffer, 1, 5);
  assert.ok(sameBits(odd, (roundTrip([odd]) as Uint8Array[])[0]!));
});

test('stringifyTyped / parseTyped are the JSON text shortcuts', () => {
  const v = { coef: new Float64Array([0.1, 0.2]), classes: ['normal', 'attack'] };
  const back = parseTyped(stringifyTyped(v)) as typeof v;
  assert.deepEqual([...back.coef], [0.1, 0.2]);
  assert.deepEqual(back.classes, v.classes);
});

test('undefined members are dropped like JSON; unsupported values are an internal error', () => {
  assert.deepEqual(encodeTyped({ a: 1, b: undefined }), { a: 1 });
  assert.deepEqual(encodeTyped([undefined]), [null]);
  for (const bad of [{ f: () => 1 }, { m: new Map() }, { b: 1n }, { d: new DataView(new ArrayBuffer(4)) }, { c: new Uint8ClampedArray(2) }, { $typed: 'x' }]) {
    assert.throws(() => encodeTyped(bad), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_INTERNAL');
  }
});

test('malformed input is rejected as a corrupt model with a clear reason', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ $typed: 'Float16Array', base64: '' }, /unknown typed array kind "Float16Array"/],
    [{ $typed: 'Float32Array' }, /exactly the keys/],
    [{ $typed: 'Float32Array', base64: 'AAAA', extra: 1 }, /exactly the keys/],
    [{ $typed: 'Float32Array', base64: 'AA$A' }, /invalid base64/],
    [{ $typed: 'Float32Array', base64: 'AAA' }, /invalid base64/],
    [{ $typed: 'Float32Array', base64: 42 }, /invalid base64/],
    [{ $typed: 'Float64Array', base64: 'AAAAAA==' }, /4 bytes, not a multiple of 8/],
    [{ w: { $typed: 'Int32Array', base64: 'AAA=' } }, /at \$\.w/],
    [JSON.parse('{"__proto__": {"polluted": true}}'), /forbidden key '__proto__'/],
    [{ x: () => 1 }, /unexpected function/],
    [{ x: new Float32Array(1) }, /raw Float32Array/],
    [{ x: Infinity }, /non-finite number/],
    [new Date(0), /unexpected Date/],
  ];
  for (const [input, re] of cases) {
    assert.throws(
      () => decodeTyped(input, 'm.json'),
      (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_CORRUPT' && re.test(e.message) && e.message.startsWith('m.json: not a valid nadir model'),
      `${JSON.stringify(input)} → ${re}`,
    );
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('nesting depth is bounded (no stack overflow on hostile input)', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.throws(() => decodeTyped(deep), /nesting deeper than 64/);
  assert.throws(() => parseTyped('{"a": '), (e: unknown) => e instanceof NadirError && e.code === 'NADIR_ERR_MODEL_CORRUPT' && /invalid JSON/.test(e.message));
});
