import { describe, expect, it } from 'vitest';
import { addGaussianNoise, addNoiseAtSnr } from '../testSignals/seededRandom.ts';
import { addSineBursts, type SineBurst } from '../testSignals/sine.ts';
import { detectOnsets, onsetAfter } from './detectOnsets.ts';

const FS = 48000;
const burst = (startFrame: number, frequencyHz = 180, amplitude = 0.5, attackFrames = 96): SineBurst => ({ startFrame, frequencyHz, amplitude, attackFrames, sustainFrames: 2400, releaseFrames: 480 });

/** Bursts plus white noise `snrDb` under the bursts' own RMS (not the average over the silence). */
function channel(bursts: SineBurst[], snrDb: number, seed: number, frames = FS): Float32Array {
  const x = addSineBursts(new Float32Array(frames), FS, bursts);
  return Number.isFinite(snrDb) ? addGaussianNoise(x, (bursts[0].amplitude / Math.SQRT2) * 10 ** (-snrDb / 20), seed) : x;
}

describe('detectOnsets', () => {
  it('moves the onset by exactly a fractional delay (0.25, 17.5, 123.37 samples): bias under 0.05 sample', () => {
    const base = detectOnsets(channel([burst(10000)], Infinity, 0), FS);
    expect(base).toHaveLength(1);
    for (const delay of [0.25, 17.5, 123.37]) {
      const delayed = detectOnsets(channel([burst(10000 + delay)], Infinity, 0), FS);
      expect(delayed).toHaveLength(1);
      expect(Math.abs(delayed[0].frame - base[0].frame - delay)).toBeLessThan(0.05);
    }
  });

  it('keeps the noise jitter under 0.3 sample RMS at 40 dB SNR (2 ms attack, 180 Hz; measured 0.24)', () => {
    const [clean] = detectOnsets(channel([burst(10000)], Infinity, 0), FS);
    let sum = 0;
    const runs = 16;
    for (let seed = 1; seed <= runs; seed++) {
      const delay = 17.5 + seed / 10;
      const [o] = detectOnsets(channel([burst(10000 + delay)], 40, seed), FS);
      sum += (o.frame - clean.frame - delay) ** 2;
    }
    expect(Math.sqrt(sum / runs)).toBeLessThan(0.3);
  });

  it('does not move with gain: a burst 20 dB quieter has the same onset within 0.05 sample', () => {
    const loud = detectOnsets(channel([burst(5000.3, 250, 0.5)], Infinity, 0), FS);
    const quiet = detectOnsets(channel([burst(5000.3, 250, 0.05)], Infinity, 0), FS);
    expect(Math.abs(loud[0].frame - quiet[0].frame)).toBeLessThan(0.05);
  });

  it('puts the onset of a 10 ms raised-cosine attack on a 2 kHz carrier at its middle, within 0.5 sample', () => {
    const [onset] = detectOnsets(channel([burst(8000, 2000, 0.5, 480)], 60, 3), FS);
    expect(Math.abs(onset.frame - (8000 + 240))).toBeLessThan(0.5);
  });

  it.each([
    [0.25, 1 / 3],
    [0.75, 2 / 3],
  ])('puts the onset at threshold %f of a 10 ms raised-cosine attack where the analytic envelope (1 − cos πn/A)/2 crosses it (A·%f), within 0.5 sample', (fraction, ofAttack) => {
    // (1 − cos(π·n/A))/2 = f  ⇔  n = A·acos(1 − 2f)/π: A/3 at f = ¼, 2A/3 at f = ¾.
    const [onset] = detectOnsets(channel([burst(8000, 2000, 0.5, 480)], 60, 3), FS, { thresholdFraction: fraction });

    expect(Math.abs(onset.frame - (8000 + 480 * ofAttack))).toBeLessThan(0.5);
  });

  it('reads the peak over the whole 50 ms level window: a clean 40 ms raised-cosine attack has its onset at its middle (A/2), within 0.05 sample (measured 0.009)', () => {
    const [onset] = detectOnsets(channel([burst(8000, 2000, 0.5, 1920)], Infinity, 0), FS);
    expect(Math.abs(onset.frame - (8000 + 960))).toBeLessThan(0.05);
  });

  it('ends the level window at its last frame: a burst still rising through it reads the envelope there as its peak, the onset at half of it', () => {
    // A 3 kHz carrier under the ramp A(n) = (n − B)/2400 from B = 4800 (gate 0.001, so B's 1 ms block opens the burst):
    // the level window is frames B … B + 2399, so the peak is A(B + 2399) (the Hilbert envelope of this slow ramp is A
    // to 3e-5), and the onset, where A reaches half of it, is B + 1199.5 (linear interpolation is exact on a ramp). A
    // window one frame longer would read A(B + 2400) and put the onset half a frame later.
    const B = 4800;
    const amp = (n: number): number => Math.max(0, n - B) / 2400;
    const x = Float32Array.from({ length: B + 4000 }, (_, n) => amp(n) * Math.sin((2 * Math.PI * 3000 * (n - B)) / FS));
    const [onset, ...rest] = detectOnsets(x, FS, { gateLevel: 0.001 });
    expect(rest).toEqual([]);
    expect(Math.abs(onset.peak / amp(B + 2399) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(onset.frame - (B + 1199.5))).toBeLessThan(0.1);
  });

  it('finds each of several bursts on different carriers, each within a carrier period of its start', () => {
    const starts = [3000, 12000.5, 20000.25, 33000.75];
    const carriers = starts.map((_, i) => 90 + 60 * i);
    const onsets = detectOnsets(channel(starts.map((s, i) => burst(s, carriers[i])), 50, 4), FS);
    expect(onsets).toHaveLength(4);
    onsets.forEach((o, i) => {
      expect(o.frame).toBeGreaterThan(starts[i]);
      expect(o.frame - starts[i]).toBeLessThan(FS / carriers[i]);
    });
  });

  it('finds nothing in noise alone', () => {
    const x = new Float32Array(FS).fill(0.01);
    addNoiseAtSnr(x, 0, 5);
    for (let i = 0; i < x.length; i++) x[i] -= 0.01;
    expect(detectOnsets(x, FS)).toEqual([]);
  });

  it('returns the first onset after a given frame', () => {
    const x = channel([burst(3000), burst(20000.5)], 50, 6);
    const first = detectOnsets(x, FS);
    const o = onsetAfter(x, 15000, FS);
    expect(o && Math.abs(o.frame - first[1].frame)).toBeLessThan(0.05);
  });

  it('finds a burst that fills the whole search window, right at the frame searched from', () => {
    const long: SineBurst = { startFrame: 10000, frequencyHz: 150, amplitude: 0.5, attackFrames: 96, sustainFrames: 40000, releaseFrames: 480 };
    const clean = addSineBursts(new Float32Array(2 * FS), FS, [long]);
    const noisy = addGaussianNoise(clean.slice(), 0.5e-3, 8);
    const a = onsetAfter(clean, 10000, FS, { searchSeconds: 0.5 });
    const b = onsetAfter(noisy, 10000 - 240, FS, { searchSeconds: 0.5 });
    expect(a && b && Math.abs(a.frame - b.frame)).toBeLessThan(1);
  });

  it('finds a burst in a search window shorter than the taper (16 ms, cut at the next note), within 0.5 sample of the full-length onset', () => {
    const x = channel([burst(10000)], Infinity, 0, 2 * FS);
    const full = onsetAfter(x, 10000 - 240, FS, { searchSeconds: 0.5, gateLevel: 1e-5 });
    const cut = onsetAfter(x, 10000 - 240, FS, { searchSeconds: (768 + 240) / FS, gateLevel: 1e-5 });
    const cutFromEvent = onsetAfter(x, 10000, FS, { searchSeconds: 768 / FS, gateLevel: 1e-5 });
    expect(full && cut && Math.abs(cut.frame - full.frame)).toBeLessThan(0.5);
    expect(full && cutFromEvent && Math.abs(cutFromEvent.frame - full.frame)).toBeLessThan(0.5);
  });

  it('tapers each segment over its own length, whichever length came before: full, cut short, full, cut short again give the same onsets', () => {
    const x = channel([burst(10000)], 40, 3, 2 * FS);
    const full = () => onsetAfter(x, 10000 - 240, FS, { searchSeconds: 0.5, gateLevel: 1e-3 });
    const cut = () => onsetAfter(x, 10000 - 240, FS, { searchSeconds: (768 + 240) / FS, gateLevel: 1e-3 });
    const [a, b] = [full(), cut()];
    expect(a && b && a.frame !== b.frame).toBe(true); // the two tapers differ, and so do their onsets
    expect([full(), cut(), cut(), full()]).toEqual([a, b, b, a]);
  });

  it('reports the onset of a window on the longer signal\'s axis: frameOffset 100 000 adds 100 000 frames', () => {
    const x = channel([burst(20000.5)], 50, 6);
    const own = onsetAfter(x, 15000, FS);
    const shifted = onsetAfter(x, 15000, FS, { frameOffset: 100_000 });

    expect(own).toBeDefined();
    // Within rounding: the window's frame and the offset are added as one integer (start + frameOffset).
    expect(Math.abs((shifted?.frame ?? Number.NaN) - (own?.frame ?? Number.NaN) - 100_000)).toBeLessThan(1e-9);
  });

  it('gives no onset after a frame when only noise follows', () => {
    const x = addGaussianNoise(new Float32Array(FS), 1e-3, 9);
    expect(onsetAfter(x, 20000, FS)).toBeUndefined();
  });

  it('honours an explicit gateLevel after 100 ms of signal (no gate from the frames before then): a gate above the burst finds nothing', () => {
    const x = channel([burst(20000.5)], 50, 6);
    // The burst's 1 ms blocks reach an RMS of 0.5/√2 ≈ 0.35: a gate of 0.5 is above every one of them.
    expect(onsetAfter(x, 15000, FS, { gateLevel: 0.5 })).toBeUndefined();
    expect(onsetAfter(x, 15000, FS, { gateLevel: 0.05 })).toBeDefined();
  });

  it('raises the gate to a previous note still in the 100 ms before the frame searched from: a burst under it gives undefined', () => {
    // A 0.3 tone over frames 12 000…13 000 (RMS 0.21), then silence, then a 0.01 burst (RMS 0.007) at 16 000.
    const loud: SineBurst = { startFrame: 12000, frequencyHz: 1000, amplitude: 0.3, attackFrames: 48, sustainFrames: 900, releaseFrames: 48 };
    const x = addSineBursts(new Float32Array(FS), FS, [loud, burst(16000, 180, 0.01)]);
    expect(onsetAfter(x, 14000, FS)).toBeUndefined();
    // The burst itself is there to be found under a lower gate, and is found when the note is over 100 ms earlier.
    expect(onsetAfter(x, 15500, FS, { gateLevel: 1e-4 })).toBeDefined();
    const earlier = addSineBursts(new Float32Array(FS), FS, [{ ...loud, startFrame: 5000 }, burst(16000, 180, 0.01)]);
    expect(onsetAfter(earlier, 14000, FS)).toBeDefined();
  });

  it('takes each burst\'s peak from its own level window: a burst 20 dB louder 83 ms later does not move the first onset', () => {
    // The first burst ends 54 ms after its start, 29 ms before the second (its segment spans −5 … +70 ms).
    const first: SineBurst = { startFrame: 5000, frequencyHz: 180, amplitude: 0.05, attackFrames: 96, sustainFrames: 2000, releaseFrames: 480 };
    const alone = detectOnsets(addSineBursts(new Float32Array(FS), FS, [first]), FS);
    const both = detectOnsets(addSineBursts(new Float32Array(FS), FS, [first, { ...first, startFrame: 9000, amplitude: 0.5 }]), FS);
    expect(both).toHaveLength(2);
    expect(Math.abs(both[0].frame - alone[0].frame)).toBeLessThan(0.05);
  });
});

/**
 * One 1 ms block (48 frames at 48 kHz, one period of 1 kHz) per entry: a 1 kHz cosine whose block RMS is
 * exactly that entry (Σcos² over a period is half the period). Cosine, so each block's first frame is its
 * largest: a block that took one frame of its neighbour would read ~2 % louder.
 */
function toneBlocks(rmsPerBlock: readonly number[]): Float32Array {
  const x = new Float32Array(48 * rmsPerBlock.length);
  for (let i = 0; i < x.length; i++) x[i] = Math.SQRT2 * rmsPerBlock[Math.floor(i / 48)] * Math.cos((2 * Math.PI * i) / 48);
  return x;
}
const repeat = (n: number, rms: number): number[] => new Array<number>(n).fill(rms);
/** 100 blocks rising 3 % of 1e-3 per block: the 10th-percentile block (rank 9 of 100) reads 1.27e-3, its neighbours 1.24e-3 and 1.30e-3. */
const risingFloor = Array.from({ length: 100 }, (_, b) => 1e-3 * (1 + 0.03 * b));

describe('detectOnsets: where the gate and the regions draw their lines', () => {
  it('gates at 20 dB over the 10th-percentile block (rank ⌊0.1·(blocks − 1)⌋): a burst 1 % above it is found, 1 % under it is not', () => {
    // 100 rising blocks and 20 burst blocks: rank ⌊11.9⌋ = 11 reads 1.33e-3, the gate 10× that.
    const gate = 10 * risingFloor[11];
    expect(detectOnsets(toneBlocks([...risingFloor, ...repeat(20, 1.01 * gate)]), FS)).toHaveLength(1);
    expect(detectOnsets(toneBlocks([...risingFloor, ...repeat(20, 0.99 * gate)]), FS)).toHaveLength(0);
  });

  it('merges regions closer than minGapSeconds (19 silent 1 ms blocks: one burst) and keeps those that far apart apart (20 blocks: two)', () => {
    const bursts = (gapBlocks: number) => toneBlocks([...repeat(30, 0), ...repeat(10, 0.1), ...repeat(gapBlocks, 0), ...repeat(10, 0.1), ...repeat(100, 0)]);
    expect(detectOnsets(bursts(19), FS)).toHaveLength(1);
    expect(detectOnsets(bursts(20), FS)).toHaveLength(2);
  });

  it('gives no onset for a burst already sounding at the first frame: its crossing is not in the signal', () => {
    // At a quarter of the peak the envelope is above the threshold from the first frame on.
    const x = toneBlocks([...repeat(60, 0.1), ...repeat(100, 0)]);
    expect(detectOnsets(x, FS, { thresholdFraction: 0.25 })).toEqual([]);
  });
});

describe('onsetAfter: the gate from the 100 ms before', () => {
  it('gates at 20 dB over the 10th-percentile 1 ms block of the 100 ms before (rank 9 of 100): a burst 1 % above it is found, 1 % under it is not', () => {
    const gate = 10 * risingFloor[9];
    for (const [level, found] of [[1.01 * gate, true], [0.99 * gate, false]] as const) {
      // The burst starts 5 ms after the frame searched from (its crossing is inside the window searched).
      const x = toneBlocks([...risingFloor, ...repeat(5, 1e-4), ...repeat(60, level), ...repeat(100, 0)]);
      expect(onsetAfter(x, 100 * 48, FS) !== undefined).toBe(found);
    }
  });

  it('counts the last 1 ms block before the frame searched from: a note ending there raises the gate over a burst 1 dB under it', () => {
    const x = toneBlocks([...repeat(149, 1e-4), 0.05, ...repeat(5, 1e-4), ...repeat(60, 0.05 * 10 ** (-1 / 20)), ...repeat(100, 0)]);
    expect(onsetAfter(x, 150 * 48, FS)).toBeUndefined();
    expect(onsetAfter(x, 150 * 48, FS, { gateLevel: 1e-3 })).toBeDefined();
  });

  it('takes the gate from the frames before only when there are at least 10 ms of them (479 frames: not; 480: a louder tone there hides the burst)', () => {
    const at = (fromFrame: number) => {
      const x = new Float32Array(FS / 2);
      const burst = fromFrame + 240;
      for (let i = 0; i < x.length; i++) x[i] = (i < fromFrame ? 0.1 : i < burst ? 0 : i < burst + 2400 ? 0.01 : 0) * Math.cos((2 * Math.PI * i) / 48);
      return onsetAfter(x, fromFrame, FS);
    };
    expect(at(479)).toBeDefined();
    expect(at(480)).toBeUndefined();
  });

  it('searches only searchSeconds after the frame searched from: a burst 300 ms on is found within 0.4 s, not within 0.2 s', () => {
    const x = toneBlocks([...repeat(400, 0), ...repeat(30, 0.1), ...repeat(100, 0)]);
    expect(onsetAfter(x, 100 * 48, FS, { searchSeconds: 0.4 })).toBeDefined();
    expect(onsetAfter(x, 100 * 48, FS, { searchSeconds: 0.2 })).toBeUndefined();
  });
});
