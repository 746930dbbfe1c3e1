import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { portableFft, portableFftKernel } from './portableFft.ts';
import { cosOfTurn, sinOfTurn } from './portableMath.ts';

describe('portableFft', () => {
  it.each([8, 64, 1024])('holds cos and −sin of k/size turns in its twiddle table and transforms as fft.js does (size %i)', (size) => {
    const fft = portableFft(size) as FFT & { table: number[] };
    const expected = Array.from({ length: 2 * size }, (_, i) => (i % 2 === 0 ? cosOfTurn(i / 2, size) : 0 - sinOfTurn((i - 1) / 2, size)));
    expect(Array.from(fft.table)).toEqual(expected);

    const input = Float64Array.from({ length: size }, (_, n) => Math.sin(0.3 * n) + 0.5 * Math.cos(1.7 * n));
    const reference = new FFT(size);
    const a = new Float64Array(2 * size);
    const b = new Float64Array(2 * size);
    fft.realTransform(a, input);
    reference.realTransform(b, input);
    let worst = 0;
    for (let i = 0; i < 2 * size; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-12 * size);
  });

  it.each([8, 1024])('runs on the WebAssembly kernel with its own twiddles, to the last bit of every slot (size %i)', (size) => {
    const data = Float64Array.from({ length: 2 * size }, (_, n) => Math.sin(0.3 * n) - 0.25 * Math.cos(2.9 * n));
    const reference = new Float64Array(2 * size);
    const kernel = new Float64Array(2 * size);
    portableFft(size).transform(reference, data);
    portableFftKernel(size).transform(kernel, data);
    expect(Buffer.from(kernel.buffer).equals(Buffer.from(reference.buffer))).toBe(true);
    // and with portableFft's table, not fft.js's own (Math.cos/Math.sin, which differ from portableMath's in last bits)
    const mathTable = (new FFT(size) as FFT & { table: number[] }).table;
    const tablesDiffer = (portableFft(size) as FFT & { table: number[] }).table.some((v, i) => !Object.is(v, mathTable[i]));
    expect(tablesDiffer).toBe(true);
    const fftJs = new Float64Array(2 * size);
    new FFT(size).transform(fftJs, data);
    expect(Buffer.from(kernel.buffer).equals(Buffer.from(fftJs.buffer))).toBe(false);
    // one kernel a size, shared (a WebAssembly memory each otherwise)
    expect(portableFftKernel(size)).toBe(portableFftKernel(size));
  });
});
