import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DropoutEvent } from '../../src/analysis/dropouts/dropoutEvent.ts';
import { detectPilotDropouts, PILOT_CYCLES_PER_SAMPLE } from '../../src/analysis/dropouts/pilotToneDetector.ts';
import { detectResidualDropouts } from '../../src/analysis/dropouts/residualDetector.ts';
import { type Fault, type FaultKind, type InjectedFault, injectFaults, randomFaults } from '../../src/analysis/testSignals/faultInjection.ts';
import { programmeLike } from '../../src/analysis/testSignals/programmeLike.ts';
import { addNoiseAtSnr, seededRandom } from '../../src/analysis/testSignals/seededRandom.ts';
import { sine } from '../../src/analysis/testSignals/sine.ts';

/**
 * Both dropout detectors on 10 minutes of 48 kHz signal at 60 dB SNR: zeroed blocks, repeated blocks,
 * single dropped and single inserted samples at seeded random positions (the seed comes from fast-check:
 * FC_SEED replays it). Every injected event must be found within 1 ms (100 % recall), every reported event
 * must be an injected one, and the clean 10 minutes must give no event at all.
 */
const FS = 48000;
const FRAMES = 10 * 60 * FS;
const TOLERANCE_FRAMES = FS / 1000;
const KINDS: FaultKind[] = ['zeroed', 'repeated', 'dropped', 'inserted'];
/** Block sizes the HIL's audio stacks use; the pilot frequency was chosen against these. */
const BLOCKS = [16, 32, 48, 64, 96, 128, 192, 256, 384, 480, 512, 1024];

/** The residual describe's loop latency (the capture is delayed by it). */
const LATENCY = 1234;
/**
 * Where every test writes its 10-minute capture (a clean copy or a faulty one), reused: a fresh 115 MB array
 * costs as much CPU in page faults as the copy itself (~0.3 s here), and the five captures were five of them.
 * Long enough for the latency and 60 faults of up to 1024 frames of growth each.
 */
const scratch = new Float32Array(FRAMES + LATENCY + 60 * 1024);
/** `signal` copied into the scratch buffer: a capture to add noise to, the clean signal left as it was. */
const copied = (signal: Float32Array): Float32Array => {
  const capture = scratch.subarray(0, signal.length);
  capture.set(signal);
  return capture;
};

function faultsFor(seed: number, count: number): Fault[] {
  const rng = seededRandom(seed);
  return randomFaults(FRAMES, count, KINDS, (kind, rnd) => (kind === 'dropped' || kind === 'inserted' ? 1 : BLOCKS[Math.floor(rnd() * BLOCKS.length)]), rng.next, FS);
}

function score(injected: InjectedFault[], events: DropoutEvent[]): { missed: InjectedFault[]; spurious: DropoutEvent[] } {
  const matched = new Set<DropoutEvent>();
  const missed = injected.filter((f) => {
    const e = events.find((ev) => !matched.has(ev) && Math.abs(ev.startFrame - f.faultyFrame) <= TOLERANCE_FRAMES);
    if (e) matched.add(e);
    return !e;
  });
  return { missed, spurious: events.filter((e) => !matched.has(e)) };
}

/** Runs `check` once with a fast-check-drawn seed, so a failure prints a replayable seed. */
function withSeed(check: (seed: number) => void): void {
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => check(seed)), { numRuns: 1 });
}

describe('pilot-tone detector over 10 minutes', () => {
  const pilot = sine(FRAMES, PILOT_CYCLES_PER_SAMPLE * FS, FS, 0.5);

  it('reports no event on the clean pilot', () => {
    const capture = copied(pilot);
    addNoiseAtSnr(capture, 60, 11);
    expect(detectPilotDropouts(capture, { sampleRate: FS })).toEqual([]);
  });

  it('finds every injected zeroed block, repeated block, dropped and inserted sample within 1 ms, and nothing else', () => {
    withSeed((seed) => {
      const { signal, injected } = injectFaults(pilot, faultsFor(seed, 60), scratch);
      addNoiseAtSnr(signal, 60, seed + 1);
      const { missed, spurious } = score(injected, detectPilotDropouts(signal, { sampleRate: FS }));
      expect(missed).toEqual([]);
      expect(spurious).toEqual([]);
    });
  });
});

describe('prediction-residual detector over 10 minutes of haptic-like programme', () => {
  const expected = programmeLike(FRAMES, FS, 7);
  const delayed = new Float32Array(FRAMES + LATENCY);
  delayed.set(expected, LATENCY);

  it('reports no event on the clean capture', () => {
    const capture = copied(delayed);
    addNoiseAtSnr(capture, 60, 12);
    expect(detectResidualDropouts(expected, capture, { sampleRate: FS, latencySamples: LATENCY })).toEqual([]);
  });

  it('finds every injected fault within 1 ms, re-aligns after each shift, and reports nothing else', () => {
    withSeed((seed) => {
      const faults = faultsFor(seed, 60).map((f) => ({ ...f, atFrame: f.atFrame + LATENCY }));
      const { signal, injected } = injectFaults(delayed, faults, scratch);
      addNoiseAtSnr(signal, 60, seed + 2);
      const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY });
      const { missed, spurious } = score(injected, events);
      expect(missed).toEqual([]);
      expect(spurious).toEqual([]);
      const shifts = events.map((e) => e.shiftFrames ?? 0);
      const injectedShifts = injected.map((f) => (f.kind === 'repeated' || f.kind === 'inserted' ? f.lengthFrames : f.kind === 'dropped' ? -f.lengthFrames : 0));
      expect(shifts).toEqual(injectedShifts);
    });
  });

  /**
   * A stall: the output played silence for a block and then went on where it was (the capture gains the block).
   * The detector reads it as a shift of the block's length — an `inserted` event, its split somewhere in the
   * silence, which fits either alignment — and the silence on either side of the split as a zeroed run. So:
   * each stall has exactly one shift, its length, within the stall; every event lies within some stall.
   */
  it('finds every stall (silence, then the programme resumed where it was) as a shift of its length, and reports nothing outside the stalls', () => {
    withSeed((seed) => {
      const rng = seededRandom(seed);
      const stalls = randomFaults(FRAMES, 60, ['stalled'], () => BLOCKS[Math.floor(rng.next() * BLOCKS.length)], rng.next, FS).map((f) => ({ ...f, atFrame: f.atFrame + LATENCY }));
      const { signal, injected } = injectFaults(delayed, stalls, scratch);
      addNoiseAtSnr(signal, 60, seed + 3);
      const events = detectResidualDropouts(expected, signal, { sampleRate: FS, latencySamples: LATENCY });
      const within = (e: DropoutEvent, f: InjectedFault, reach: number) => e.startFrame >= f.faultyFrame - TOLERANCE_FRAMES && e.startFrame <= f.faultyFrame + reach + TOLERANCE_FRAMES;
      const unmatched = injected.filter((f) => events.filter((e) => e.shiftFrames !== undefined && within(e, f, f.lengthFrames)).map((e) => e.shiftFrames).join() !== String(f.lengthFrames));
      expect(unmatched).toEqual([]);
      expect(events.filter((e) => !injected.some((f) => within(e, f, 2 * f.lengthFrames)))).toEqual([]);
    });
  });
});
