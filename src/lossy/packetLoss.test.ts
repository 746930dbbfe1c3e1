import { describe, expect, it } from 'vitest';
import { LossyControls } from './lossyControls.ts';
import { LossyParamIndex, type PacketLossParams, packetLossSchema } from './lossyParams.ts';
import { PacketLoss } from './packetLoss.ts';

const FS = 48000;

function lose(params: Partial<PacketLossParams>, x: Float64Array, seed = 1): Float64Array {
  const p = packetLossSchema.parse({ enabled: true, ...params });
  const stage = new PacketLoss(p, seed, LossyControls.withValue(LossyParamIndex.lossPercent, p.lossPercent));
  stage.prepare(FS);
  const l = x.slice();
  stage.process(l, x.slice(), 0, l.length);
  return l;
}

const ramp = Float64Array.from({ length: FS }, (_, i) => 0.1 + i / FS / 2);

describe('PacketLoss', () => {
  it('mutes whole 10 ms packets with silence concealment and no fade, and leaves the others bit-exact', () => {
    const y = lose({ packetMs: 10, lossPercent: 30, concealment: 'silence', fadeMs: 0 }, ramp);
    let lostPackets = 0;
    for (let p = 0; p < 100; p++) {
      const packet = Array.from(y.subarray(p * 480, (p + 1) * 480));
      const original = Array.from(ramp.subarray(p * 480, (p + 1) * 480));
      if (packet.every((v) => v === 0)) lostPackets++;
      else expect(packet).toEqual(original);
    }
    expect(lostPackets).toBeGreaterThan(15);
    expect(lostPackets).toBeLessThan(45);
  });

  it('repeats the last received packet, 6 dB quieter on each further repeat', () => {
    const y = lose({ packetMs: 10, lossPercent: 60, burstiness: 0.5, concealment: 'repeat', fadeMs: 0, repeatAttenuationDb: 6 }, ramp, 7);
    let checked = 0;
    let lastReceived = -1;
    let repeats = 0;
    for (let p = 0; p < 100; p++) {
      const received = y[p * 480] === ramp[p * 480] && y[p * 480 + 479] === ramp[p * 480 + 479];
      if (received) {
        lastReceived = p;
        repeats = 0;
        continue;
      }
      repeats++;
      if (lastReceived < 0) continue;
      const gain = 10 ** ((-6 * (repeats - 1)) / 20);
      for (let k = 0; k < 480; k += 97) expect(y[p * 480 + k]).toBeCloseTo(gain * ramp[lastReceived * 480 + k], 12);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('crossfades into a loss: no step larger than the signal itself over a 2 ms fade', () => {
    const ones = new Float64Array(FS).fill(0.5);
    const y = lose({ packetMs: 20, lossPercent: 20, concealment: 'silence', fadeMs: 2 }, ones);
    let maxStep = 0;
    for (let i = 1; i < y.length; i++) maxStep = Math.max(maxStep, Math.abs(y[i] - y[i - 1]));
    expect(maxStep).toBeLessThan(0.5 / 96 + 1e-9);
    expect(y.some((v) => v === 0)).toBe(true);
  });
});
