import { describe, expect, it } from 'vitest';
import { parseParamsReply, shortestFloat32 } from './liveBackend.ts';

describe('reading the server\'s /<engine>/params reply', () => {
  it('pairs names with values of every type, keeping numbers and nulling the rest', () => {
    const reply = parseParamsReply({
      address: '/reverb/params',
      args: [
        { type: 's', value: 'matrix' }, { type: 's', value: 'hadamard' },
        { type: 's', value: 'wetDry' }, { type: 'f', value: Math.fround(0.3) },
        { type: 's', value: 'rt60HighSeconds' }, { type: 'N', value: null },
        { type: 's', value: 'lines' }, { type: 'i', value: 8 },
        { type: 's', value: 'seed' }, { type: 'd', value: 4294967295 },
        { type: 's', value: 'enabled' }, { type: 'T', value: true },
      ],
    });
    expect(Object.fromEntries(reply)).toEqual({ matrix: null, wetDry: 0.3, rt60HighSeconds: null, lines: 8, seed: 4294967295, enabled: null });
  });

  it('reads every part of a reply split into several messages, in order', () => {
    const reply = parseParamsReply([
      { address: '/reverb/params', args: [{ type: 's', value: 'wetDry' }, { type: 'f', value: Math.fround(0.3) }] },
      { address: '/reverb/params', args: [{ type: 's', value: 'lines' }, { type: 'i', value: 16 }] },
    ]);
    expect(Object.fromEntries(reply)).toEqual({ wetDry: 0.3, lines: 16 });
  });

  it('refuses a reply whose names and values are out of step', () => {
    expect(() => parseParamsReply({ address: '/reverb/params', args: [{ type: 'f', value: 1 }, { type: 's', value: 'wetDry' }] })).toThrow(/argument 1 should be a parameter name/);
  });

  it.each([[0.2, 0.2], [0.35, 0.35], [1e-7, 1e-7], [1.2345678, 1.2345678], [48000, 48000]])('reads float32(%f) back as %f', (sent, read) => {
    expect(shortestFloat32(Math.fround(sent))).toBe(read);
  });
});
