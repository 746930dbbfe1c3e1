import { describe, expect, it } from 'vitest';
import { wiringSummary } from './rigWiring.ts';

const rig = (inputIndexPerOutput: number[] | undefined, pilot?: { outputIndex: number; inputIndex: number }) => ({ inputChannels: 4, outputChannels: 4, inputIndexPerOutput, pilot });

describe('wiringSummary: a rig file\'s wiring counted from 1', () => {
  it('reads a straight rig (given or by default) as one run', () => {
    expect(wiringSummary(rig(undefined))).toBe('outputs 1–4 → inputs 1–4');
    expect(wiringSummary(rig([0, 1, 2, 3]))).toBe('outputs 1–4 → inputs 1–4');
  });

  it('names each exception by channel, never by index, and the pilot pair', () => {
    expect(wiringSummary(rig([0, 1, 3, -1], { outputIndex: 3, inputIndex: 2 }))).toBe('outputs 1–2 → inputs 1–2, output 3 → input 4, output 4 → not wired; pilot output 4 → input 3');
    expect(wiringSummary(rig([-1, -1, 1, 0]))).toBe('outputs 1–2 → not wired, output 3 → input 2, output 4 → input 1');
    expect(wiringSummary({ inputChannels: 2, outputChannels: 4, inputIndexPerOutput: undefined })).toBe('outputs 1–2 → inputs 1–2, outputs 3–4 → not wired');
  });

  it('sums up a long list of exceptions', () => {
    const reversed = Array.from({ length: 32 }, (_, k) => 31 - k);
    expect(wiringSummary({ inputChannels: 32, outputChannels: 32, inputIndexPerOutput: reversed })).toBe(`${Array.from({ length: 8 }, (_, k) => `output ${k + 1} → input ${32 - k}`).join(', ')}, … 24 more`);
  });
});
