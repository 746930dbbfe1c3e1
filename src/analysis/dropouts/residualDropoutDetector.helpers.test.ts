import { describe, expect, it } from 'vitest';
import { capturesLoud, firstLoudWindow, followsAsMove, hasContentToAlign, loudSearchFrom, predictedEnergy, provesShift, residualEnergy, soundingFrom, verifiedAfter } from './residualDropoutDetector.ts';

/**
 * The detector's pure steps on given arrays, at the edges of their ranges and at their limits exactly: which frames a
 * window, a scan or a check reads, and which side of each limit equality falls on (values that are powers of two, so
 * every sum is exact). The detector's own tests show what each step decides; these pin what each one reads.
 */
const W = 4;
/** A capture of `frames` zeros held from storage index `offset` on (frame n at x[n + offset]), with `set` frames at `value`. */
function held(frames: number, offset: number, set: number[], value = 1): Float32Array {
  const x = new Float32Array(frames + offset);
  for (const n of set) x[n + offset] = value;
  return x;
}
const frames = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('firstLoudWindow: the first window of W frames in [from, to) whose capture energy is over the limit', () => {
  const offset = 3;

  it('finds a loud window that is the last whole one in [from, to), and none that starts at `to`', () => {
    expect(firstLoudWindow(held(64, offset, frames(28, W)), offset, 8, 32, W, 1)).toBe(28);
    expect(firstLoudWindow(held(64, offset, frames(32, W)), offset, 8, 32, W, 1)).toBeUndefined();
  });

  it('sums each window over its own W frames: a loud frame just after a window makes the next window loud', () => {
    expect(firstLoudWindow(held(64, offset, [12]), offset, 8, 32, W, 0.5)).toBe(12);
  });

  it('needs energy over the limit: a window exactly at it is not loud', () => {
    expect(firstLoudWindow(held(64, offset, frames(8, W)), offset, 8, 32, W, W)).toBeUndefined();
    expect(firstLoudWindow(held(64, offset, frames(8, W)), offset, 8, 32, W, W - 1)).toBe(8);
  });
});

describe('soundingFrom: where a search starts when the capture may be silent at `from`', () => {
  const offset = 5;

  it('starts at `from` where the capture sounds there already', () => {
    expect(soundingFrom(held(64, offset, frames(8, 40)), offset, 8, 48, W, 1)).toBe(8);
  });

  it('starts one window after the first loud one when it is silent at `from`, and at `from` when it never sounds', () => {
    expect(soundingFrom(held(64, offset, frames(16, 32)), offset, 8, 48, W, 1)).toBe(20);
    expect(soundingFrom(held(64, offset, []), offset, 8, 48, W, 1)).toBe(8);
  });
});

describe("loudSearchFrom: where a loud misfit's search starts", () => {
  const offset = 5;
  const floor = 1 / 8; // loud: a window's energy over 16·W·floor² = 1
  const eventStart = 8;
  const n0 = 40;
  const shortFrames = 16;

  it("starts the event's first search at its third window where the capture sounds there", () => {
    expect(loudSearchFrom(held(64, offset, frames(16, 40)), offset, eventStart, n0, W, floor, shortFrames, false)).toBe(eventStart + 2 * W);
  });

  it('scans up to the end of the window examined for where a silent capture sounds again, and starts one window after that', () => {
    expect(loudSearchFrom(held(64, offset, frames(n0, W)), offset, eventStart, n0, W, floor, shortFrames, false)).toBe(n0 + W);
    expect(loudSearchFrom(held(64, offset, frames(n0 + W, W)), offset, eventStart, n0, W, floor, shortFrames, false)).toBe(eventStart + 2 * W);
  });

  it("starts a later search at the last short span, which ends with the window examined, or later where the capture sounds again later", () => {
    expect(loudSearchFrom(held(64, offset, frames(16, 40)), offset, eventStart, n0, W, floor, shortFrames, true)).toBe(n0 + W - shortFrames);
    expect(loudSearchFrom(held(64, offset, frames(n0, W)), offset, eventStart, n0, W, floor, shortFrames, true)).toBe(n0 + W);
  });
});

describe('verifiedAfter: whether the 3 windows from `from` confirm the alignment', () => {
  const offset = 2;
  const from = 16;
  const floor = 1 / 8;
  /** The render predicted at frame n: `value` on the given frames, 0 elsewhere; the capture carries it (`carried` of it). */
  function check(set: number[], value: number, carried = 1, end = 64): boolean {
    const on = new Set(set);
    const x = held(64, offset, set, value * carried);
    return verifiedAfter(x, offset, (n) => (on.has(n) ? value : 0), from, end, W, floor);
  }

  it("reads the 3 windows' frames only: render from their second frame on confirms; render from their end on does not", () => {
    expect(check(frames(from + 1, 3 * W - 1), 1)).toBe(true);
    expect(check(frames(from + 3 * W, 8), 1)).toBe(false);
  });

  it('stops at the end of the capture', () => {
    expect(check(frames(from + 2 * W, W), 1, 1, from + 2 * W)).toBe(false);
    expect(check(frames(from + 2 * W, W), 1, 1, from + 2 * W + 1)).toBe(true);
  });

  it("needs render energy over the floor's (floor² a frame, 3·W frames): a render under it, or exactly at it, confirms nothing", () => {
    expect(check(frames(from, 3 * W), floor / 2)).toBe(false);
    expect(check(frames(from, 3 * W), floor)).toBe(false);
    expect(check(frames(from, 3 * W), 2 * floor)).toBe(true);
    expect(check(frames(from, 3 * W), floor / 1024)).toBe(false);
  });

  it("takes a residual of ¼ of the render's energy, not more", () => {
    expect(check(frames(from, 3 * W), 1, 1 / 2)).toBe(true);
    expect(check(frames(from, 3 * W), 1, 1 / 4)).toBe(false);
  });
});

describe('hasContentToAlign: a shift search has something to align on', () => {
  const offset = 7;
  const c0 = 10;
  const shortLen = 8;
  const floor = 1 / 4;
  const noise = shortLen * floor * floor; // 0.5
  const loudRef = () => new Float64Array(32).fill(1);

  it('needs render content within reach: a silent reference has none, whatever the capture holds', () => {
    expect(hasContentToAlign(held(40, offset, frames(c0, shortLen)), offset, c0, shortLen, new Float64Array(32), 1, floor)).toBe(false);
    expect(hasContentToAlign(held(40, offset, frames(c0, shortLen)), offset, c0, shortLen, loudRef(), 1, floor)).toBe(true);
  });

  it('needs the capture to sound over its short span, not just after it', () => {
    expect(hasContentToAlign(held(40, offset, [c0 + shortLen]), offset, c0, shortLen, loudRef(), 1, floor)).toBe(false);
    expect(hasContentToAlign(held(40, offset, [c0 + shortLen - 1]), offset, c0, shortLen, loudRef(), 1, floor)).toBe(true);
  });

  it('weighs the render by the gain squared', () => {
    // Render energy 1 (the noise's 2 times over): with gain 1/2 it is 1/4, under the noise.
    const ref = new Float64Array(32);
    ref[5] = 1;
    expect(noise).toBe(0.5);
    expect(hasContentToAlign(held(40, offset, frames(c0, shortLen)), offset, c0, shortLen, ref, 1, floor)).toBe(true);
    expect(hasContentToAlign(held(40, offset, frames(c0, shortLen)), offset, c0, shortLen, ref, 1 / 2, floor)).toBe(false);
  });

  it("takes energies exactly at the noise's as content", () => {
    const ref = new Float64Array(32);
    ref[0] = ref[1] = 1 / 2; // 0.5, the noise's
    const x = held(40, offset, [c0, c0 + 1], 1 / 2); // 0.5
    expect(hasContentToAlign(x, offset, c0, shortLen, ref, 1, floor)).toBe(true);
  });
});

describe("capturesLoud: a flagged window is loud where the capture carries ¼ of the render's energy", () => {
  it("sums the window's W frames only, and takes exactly ¼ as loud", () => {
    const x = held(16, 0, [8]);
    expect(capturesLoud(x, 4, W, 1)).toBe(false);
    expect(capturesLoud(x, 5, W, 1)).toBe(true);
    expect(capturesLoud(held(16, 0, frames(4, W), 1 / 2), 4, W, W)).toBe(true);
    expect(capturesLoud(held(16, 0, frames(4, W), 1 / 2), 4, W, W + 1)).toBe(false);
  });
});

describe('residualEnergy and predictedEnergy: sums over the frames [from, to) of a stretch', () => {
  const offset = 3;
  // Frames 4…7 of the capture at 1, the prediction ½ there and 2 just outside them (frames 3 and 8).
  const x = held(16, offset, frames(4, 4));
  const predicted = (n: number) => (n >= 4 && n < 8 ? 1 / 2 : n === 3 || n === 8 ? 2 : 0);

  it('sums (x − predicted)² over [from, to) only: 4 frames of ¼', () => {
    expect(residualEnergy(x, offset, predicted, 4, 8)).toBe(1);
    expect(residualEnergy(x, offset, predicted, 4, 4)).toBe(0);
  });

  it('sums predicted² over [from, to) only: 4 frames of ¼', () => {
    expect(predictedEnergy(predicted, 4, 8)).toBe(1);
  });
});

describe("provesShift: a search's first rule, a whole shift that cuts the residual over the noise by 6 dB, its fit confirmed", () => {
  it('proves a shift that cuts the residual over the noise (N = 4) by exactly 6 dB, not one that cuts it by less', () => {
    // E(0) − N = 96: E(s) − N = 24 is a quarter of it; 25 is not. Counted whole (N = 0), 28 is not a quarter of 100.
    expect(provesShift(-1, 28, 100, 28, 64, 4)).toBe(true);
    expect(provesShift(-1, 29, 100, 29, 64, 4)).toBe(false);
    expect(provesShift(-1, 28, 100, 28, 64, 0)).toBe(false);
  });

  it('takes the fit read whole or with its sub-sample rest followed, either one under the limit (or at it)', () => {
    expect(provesShift(-1, 2, 100, 10, 2, 0)).toBe(true);
    expect(provesShift(-1, 10, 100, 2, 2, 0)).toBe(true);
    expect(provesShift(-1, 3, 100, 3, 2, 0)).toBe(false);
  });

  it('proves no shift of 0', () => {
    expect(provesShift(0, 0, 100, 0, 2, 0)).toBe(false);
  });
});

describe("followsAsMove: a search's second rule, a move of less than a sample whose fit is confirmed and cuts 6 dB", () => {
  it('takes a move of less than a sample either way, not a move of 0 nor one of a sample or more', () => {
    expect(followsAsMove(0.5, 1, 2, 100)).toBe(true);
    expect(followsAsMove(-0.75, 1, 2, 100)).toBe(true);
    expect(followsAsMove(0, 1, 2, 100)).toBe(false);
    expect(followsAsMove(1, 1, 2, 100)).toBe(false);
    expect(followsAsMove(-1.25, 1, 2, 100)).toBe(false);
  });

  it('needs its fit under the limit (or at it)', () => {
    expect(followsAsMove(0.5, 2, 2, 100)).toBe(true);
    expect(followsAsMove(0.5, 2.5, 2, 100)).toBe(false);
  });

  it('needs it to cut the unshifted residual by 6 dB (to exactly ¼ of it, or less)', () => {
    expect(followsAsMove(0.5, 1, 2, 4)).toBe(true);
    expect(followsAsMove(0.5, 1, 2, 3.5)).toBe(false);
  });
});
