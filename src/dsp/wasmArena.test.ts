import { describe, expect, it } from 'vitest';
import { WasmArena } from './wasmArena.ts';

describe('WasmArena', () => {
  it('starts after the reserved bytes rounded up to 16, aligns every view to 16 bytes, and refuses to carve past its reservation', () => {
    const arena = new WasmArena(64, 20);
    const a = arena.f64(3); // 24 bytes, takes 32
    const b = arena.f32(2);
    expect([a.byteOffset, b.byteOffset]).toEqual([32, 64]);
    expect(() => arena.f64(5)).toThrow(/40 more bytes asked, 16 left of the reservation/);
  });

  it('sizes a reservation as the views will take it (each rounded up to 16 bytes), and gives their offsets in order', () => {
    expect(WasmArena.bytesFor([3, 4, 1], 8)).toBe(32 + 32 + 16);
    expect(WasmArena.offsetsOf([24, 16, 1])).toEqual({ offsets: [0, 32, 48], bytes: 64 });
  });
});
