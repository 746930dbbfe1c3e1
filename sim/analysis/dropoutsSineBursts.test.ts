import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DropoutEvent } from '../../src/analysis/dropouts/dropoutEvent.ts';
import { detectResidualDropouts } from '../../src/analysis/dropouts/residualDetector.ts';
import { type Fault, type FaultKind, type InjectedFault, injectFaults } from '../../src/analysis/testSignals/faultInjection.ts';
import { fractionalDelay } from '../../src/analysis/testSignals/fractionalDelay.ts';
import { addNoiseAtSnr, seededRandom } from '../../src/analysis/testSignals/seededRandom.ts';
import { addSineBursts, type SineBurst } from '../../src/analysis/testSignals/sine.ts';

/**
 * The residual detector on what the haptic HIL actually captures: one sine per burst (65 Hz … 1 kHz,
 * log-uniform), 2 ms attack, 35 ms note, 5–20 ms release, 10–40 ms of silence between bursts — a tone fits
 * itself shifted by whole periods, and silence leaves nothing to align on. Every third burst carries a fault
 * at a seeded random place of its sustain: zeroed blocks (1 frame and HIL block sizes), repeated blocks,
 * dropped blocks, single dropped and single inserted samples. At 60 dB SNR, integer and fractional latency:
 * every fault found within 1 ms with its kind (zeroed blocks with their length within 1 ms, shifts exact),
 * nothing else reported, and the clean capture gives no event. Seeds come from fast-check (FC_SEED replays).
 *
 * Physically invisible draws are redrawn, not forgiven: a block of whole periods of the tone repeated or
 * dropped leaves the capture identical to the render (|sin(π·len·f/fs)| < 0.05 is redrawn), and a zeroed
 * sample at a zero crossing changes nothing (moved to a sample ≥ 30 % of the amplitude).
 */
const FS = 48000;
const TOLERANCE_FRAMES = FS / 1000;
const BURSTS = 150;
const BLOCKS = [16, 32, 48, 64, 96, 128, 192, 256, 384, 480, 512, 1024];
const PLAN: Array<{ kind: FaultKind; block: boolean }> = [
  { kind: 'zeroed', block: true },
  { kind: 'repeated', block: true },
  { kind: 'dropped', block: false },
  { kind: 'inserted', block: false },
  { kind: 'dropped', block: true },
  { kind: 'zeroed', block: false },
];

interface Case {
  clean: Float32Array;
  faults: Fault[];
}

function sineBurstCase(seed: number): Case {
  const rng = seededRandom(seed);
  const bursts: SineBurst[] = [];
  const faults: Fault[] = [];
  const attackFrames = 96;
  const sustainFrames = Math.round(0.035 * FS) - attackFrames;
  let t = Math.round(0.05 * FS);
  for (let k = 0; k < BURSTS; k++) {
    const releaseFrames = Math.round((0.005 + 0.015 * rng.next()) * FS);
    const plan = k % 3 === 1 ? PLAN[Math.floor(k / 3) % PLAN.length] : undefined;
    const lengthFrames = plan ? (plan.block ? BLOCKS[rng.int(plan.kind === 'zeroed' ? 9 : BLOCKS.length)] : 1) : 0;
    let frequencyHz = 65 * (1000 / 65) ** rng.next();
    while (plan && plan.kind !== 'zeroed' && Math.abs(Math.sin((Math.PI * lengthFrames * frequencyHz) / FS)) < 0.05) frequencyHz = 65 * (1000 / 65) ** rng.next();
    bursts.push({ startFrame: t, frequencyHz, amplitude: 0.5, attackFrames, sustainFrames, releaseFrames });
    if (plan) {
      const room = sustainFrames - (plan.kind === 'zeroed' ? lengthFrames : 0) - 48;
      faults.push({ kind: plan.kind, atFrame: t + attackFrames + 24 + rng.int(room), lengthFrames });
    }
    t += attackFrames + sustainFrames + releaseFrames + Math.round((0.01 + 0.03 * rng.next()) * FS);
  }
  const clean = addSineBursts(new Float32Array(t + Math.round(0.05 * FS)), FS, bursts);
  for (const f of faults) {
    if (f.kind === 'zeroed' && f.lengthFrames === 1) while (Math.abs(clean[f.atFrame]) < 0.15) f.atFrame++;
  }
  return { clean, faults };
}

/** The capture: `signal` delayed by `latencySamples` (fractional allowed), faults applied on the capture's clock, 60 dB SNR. */
function captureOf(signal: Float32Array, latencySamples: number, faults: Fault[], seed: number): { capture: Float32Array; injected: InjectedFault[] } {
  const padded = new Float32Array(signal.length + Math.ceil(latencySamples) + 64);
  padded.set(signal);
  const delayed = fractionalDelay(padded, latencySamples, 16);
  const shift = Math.round(latencySamples);
  const { signal: capture, injected } = injectFaults(delayed, faults.map((f) => ({ ...f, atFrame: f.atFrame + shift })));
  addNoiseAtSnr(capture, 60, seed);
  return { capture, injected };
}

function score(injected: InjectedFault[], events: DropoutEvent[]) {
  const matched = new Map<InjectedFault, DropoutEvent>();
  const missed = injected.filter((f) => {
    const e = events.find((ev) => ![...matched.values()].includes(ev) && Math.abs(ev.startFrame - f.faultyFrame) <= TOLERANCE_FRAMES);
    if (e) matched.set(f, e);
    return !e;
  });
  const values = [...matched.values()];
  return { matched, missed, spurious: events.filter((e) => !values.includes(e)) };
}

const expectedShift = (f: Fault): number => (f.kind === 'repeated' || f.kind === 'inserted' ? f.lengthFrames : f.kind === 'dropped' ? -f.lengthFrames : 0);

function withSeed(check: (seed: number) => void): void {
  fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => check(seed)), { numRuns: 1 });
}

describe('prediction-residual detector on sine bursts (65 Hz … 1 kHz, silences between)', () => {
  it('reports no event on the clean capture, at an integer and at a fractional latency', () => {
    withSeed((seed) => {
      const { clean } = sineBurstCase(seed);
      for (const latencySamples of [256, 480.37]) {
        const { capture } = captureOf(clean, latencySamples, [], seed + 1);
        expect(detectResidualDropouts(clean, capture, { sampleRate: FS, latencySamples, gain: 1 })).toEqual([]);
      }
    });
  });

  for (const latencySamples of [256, 480.37]) {
    it(`finds every fault within 1 ms with its kind, exact shift and zeroed length, and nothing else (latency ${latencySamples})`, () => {
      withSeed((seed) => findsEveryFault(seed, latencySamples));
    });
  }

  // Seeds that once failed, replayed on every run (the seed the property drew; FC_SEED of the run in brackets).
  // 437806711 (FC_SEED=-327432839): a 1024-frame drop 3 frames before the end of a burst's audible release
  // left the capture silent while the render's tail stayed just above the noise floor; that tail passed the
  // window rule, was taken as proof of the old alignment, and the run was reported as a zeroed block with the
  // drop 26 ms later where the next burst arrived early.
  // 943421661 (FC_SEED=1880647635): a 384-frame drop just before a 113 Hz burst's audible end left the capture a
  // few ms of release against the render's longer one: a glitch, whose closing search found nothing to align on (the
  // capture silent after it) yet held the next search back 125 ms, so the next burst, arriving 384 frames early, was
  // a second glitch and the drop was found 112 ms late. Now the glitch stays pending (the render fell silent after
  // it: nothing confirms the alignment) and the shift found at the next burst explains it; a search that found
  // nothing to search holds nothing back.
  it.each([437806711, 943421661])('finds every fault of the once-failing seed %i (both latencies)', (seed) => {
    for (const latencySamples of [256, 480.37]) findsEveryFault(seed, latencySamples);
  });
});

function findsEveryFault(seed: number, latencySamples: number): void {
  const { clean, faults } = sineBurstCase(seed);
  const { capture, injected } = captureOf(clean, latencySamples, faults, seed + 2);

  const events = detectResidualDropouts(clean, capture, { sampleRate: FS, latencySamples, gain: 1 });

  const { matched, missed, spurious } = score(injected, events);
  expect(missed, `seed ${seed}, latency ${latencySamples}`).toEqual([]);
  expect(spurious, `seed ${seed}, latency ${latencySamples}`).toEqual([]);
  for (const [f, e] of matched) {
    if (f.kind === 'zeroed') {
      expect(e.kind, `zeroed ${f.lengthFrames} at ${f.faultyFrame}`).toBe('zeroed');
      expect(Math.abs(e.lengthFrames - f.lengthFrames)).toBeLessThanOrEqual(TOLERANCE_FRAMES);
    } else {
      expect(e.shiftFrames, `${f.kind} ${f.lengthFrames} at ${f.faultyFrame}`).toBe(expectedShift(f));
    }
  }
}
