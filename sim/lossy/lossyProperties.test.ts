import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/engine/render.ts';
import { LossyEngine } from '../../src/lossy/lossyEngine.ts';
import type { LossyParamsInput } from '../../src/lossy/lossyParams.ts';

/** Seeded stereo test signal: noise at a random level plus a sine (fast-check supplies the numbers). */
function signal(frames: number, seed: number, levelDb: number, frequencyHz: number, sampleRate: number): Float32Array[] {
  let x = seed >>> 0 || 1;
  const amp = 10 ** (levelDb / 20);
  return [0, 1].map((c) => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = amp * (0.5 * (((x >>> 0) / 4294967296) * 2 - 1) + 0.5 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate + c));
    }
    return out;
  });
}

/** Largest |a − b| in dB re full scale (−Infinity when bit-identical). */
function worstErrorDbfs(a: Float32Array[], b: Float32Array[]): number {
  let err = 0;
  for (let c = 0; c < b.length; c++) for (let i = 0; i < b[c].length; i++) err = Math.max(err, Math.abs(a[c][i] - b[c][i]));
  return err === 0 ? -Infinity : 20 * Math.log10(err);
}

const allOff: LossyParamsInput = { codec: { enabled: false }, limiter: { enabled: false } };
const sampleRates = fc.constantFrom(44100, 48000, 96000);
const blockFrames = fc.constantFrom(1, 17, 64, 128, 512);

describe('lossy identities', () => {
  it('24-bit bitcrush without rate reduction is the identity within −120 dBFS (largest sample error)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.double({ min: -40, max: 0, noNaN: true }), fc.double({ min: 20, max: 15000, noNaN: true }), sampleRates, blockFrames,
        (seed, levelDb, frequencyHz, sampleRate, block) => {
          const frames = 2048;
          const input = signal(frames, seed, levelDb, frequencyHz, sampleRate);
          const engine = new LossyEngine({ ...allOff, bitcrush: { enabled: true, bitDepth: 24, holdRateHz: null } });
          const out = render(engine, { sampleRate, blockFrames: block, frames, input });
          expect(worstErrorDbfs(out, input)).toBeLessThanOrEqual(-120);
        }),
      { numRuns: 40 },
    );
  });

  it('0 % packet loss changes nothing, bit for bit, whatever the packet length, burstiness, concealment and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.double({ min: 1, max: 100, noNaN: true }), fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.constantFrom('repeat' as const, 'silence' as const), sampleRates, blockFrames,
        (seed, packetMs, burstiness, concealment, sampleRate, block) => {
          const frames = 4096;
          const input = signal(frames, seed + 1, -6, 440, sampleRate);
          const engine = new LossyEngine({ ...allOff, seed, packetLoss: { enabled: true, lossPercent: 0, packetMs, burstiness, concealment } });
          const out = render(engine, { sampleRate, blockFrames: block, frames, input });
          expect(worstErrorDbfs(out, input)).toBe(-Infinity);
        }),
      { numRuns: 40 },
    );
  });

  it('the whole chain is deterministic for a seed and differs between seeds when packets are lost', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 2 }), blockFrames, (seed, block) => {
        const params = (s: number): LossyParamsInput => ({
          seed: s, codec: { bitrateKbps: 48, frameSize: 512, hopSize: 256 },
          packetLoss: { enabled: true, packetMs: 5, lossPercent: 30, burstiness: 0.5, concealment: 'silence' },
        });
        const frames = 9600;
        const input = signal(frames, 99, -12, 300, 48000);
        const a = render(new LossyEngine(params(seed)), { sampleRate: 48000, blockFrames: block, frames, input });
        const b = render(new LossyEngine(params(seed)), { sampleRate: 48000, blockFrames: 128, frames, input });
        const c = render(new LossyEngine(params(seed + 1)), { sampleRate: 48000, blockFrames: block, frames, input });
        expect(worstErrorDbfs(a, b)).toBe(-Infinity);
        expect(worstErrorDbfs(a, c)).toBeGreaterThan(-120);
      }),
      { numRuns: 15 },
    );
  });
});

describe('the identity checks can fail', () => {
  it('16-bit bitcrush is caught by the −120 dBFS identity limit', () => {
    const input = signal(2048, 3, -6, 1000, 48000);
    const out = render(new LossyEngine({ ...allOff, bitcrush: { enabled: true, bitDepth: 16 } }), { sampleRate: 48000, blockFrames: 64, frames: 2048, input });
    expect(worstErrorDbfs(out, input)).toBeGreaterThan(-120);
  });
  it('10 % packet loss is caught by the bit-exact check', () => {
    const input = signal(48000, 3, -6, 1000, 48000);
    const out = render(new LossyEngine({ ...allOff, packetLoss: { enabled: true, lossPercent: 10 } }), { sampleRate: 48000, blockFrames: 64, frames: 48000, input });
    expect(worstErrorDbfs(out, input)).toBeGreaterThan(-120);
  });
});
