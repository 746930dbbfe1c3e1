import type { Engine } from '../engine/engine.ts';
import {
  AllocatingToy, BlockDependentToy, EventAtBlockStartToy, ForgetfulToy, InfToy, NanToy, RandomToy,
  SilentToy, StickyResetToy, SubnormalToy,
} from './brokenEngines.ts';
import {
  type CheckResult, type ConformanceSubject, SAMPLE_RATES, checkBlockSizeInvariance, checkDeterminism,
  checkFiniteNormal, checkNoAllocation, checkReset, checkStateRoundTrip,
} from './checks.ts';

/**
 * Strictness, as pluginval's: level N runs every check of level ≤ N.
 * 1 — the output is usable: finite, normal, not silent, the same twice;
 * 2 — the output does not depend on how it is cut: block sizes, reset();
 * 3 — the state can be saved and restored;
 * 4 — real-time safety: no allocation in process() (slow: thousands of warm-up blocks).
 */
export const CONFORMANCE_LEVELS = [1, 2, 3, 4] as const;
export type ConformanceLevel = (typeof CONFORMANCE_LEVELS)[number];
export const MAX_CONFORMANCE_LEVEL: ConformanceLevel = 4;

/**
 * What a check needs of the engine beyond `process()`:
 * - `reset`: a `reset()` that returns the engine to its fresh state;
 * - `state`: `getState()`/`setState()` with structured-cloneable state;
 * - `v8-heap`: V8's heap statistics and a forced GC (node:v8; the check turns on --expose-gc itself).
 */
export type ConformanceNeed = 'reset' | 'state' | 'v8-heap';

/** A broken engine that a check must fail: the evidence that the check can fail at all. */
export interface BrokenEngine {
  /** The defect, in words. */
  defect: string;
  create: () => Engine;
}

export interface ConformanceCheck {
  /** Stable kebab-case name, for selection and reports. */
  name: string;
  level: ConformanceLevel;
  /** What the check asserts, one sentence. */
  description: string;
  needs: readonly ConformanceNeed[];
  /** Run once per sample rate of the run (SAMPLE_RATES by default), or once at 48 kHz. */
  perSampleRate: boolean;
  run(subject: ConformanceSubject, sampleRate: number): CheckResult | Promise<CheckResult>;
  /**
   * Broken engines this check fails (driven with the subject's events and input of the reference toy,
   * see conformance.test.ts). A check with none has never been seen to fail: the meta-test rejects it.
   */
  failsOn: readonly BrokenEngine[];
}

const registry = new Map<string, ConformanceCheck>();

/** Adds a check to the suite; a name may be registered once. */
export function registerConformanceCheck(check: ConformanceCheck): void {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(check.name)) throw new Error(`conformance check name "${check.name}": expected kebab-case`);
  if (registry.has(check.name)) throw new Error(`conformance check "${check.name}" is already registered`);
  if (!CONFORMANCE_LEVELS.includes(check.level)) throw new Error(`conformance check "${check.name}": level ${check.level} is not one of ${CONFORMANCE_LEVELS.join(', ')}`);
  registry.set(check.name, check);
}

/** Every registered check, by level then registration order. */
export function conformanceChecks(): ConformanceCheck[] {
  return [...registry.values()].sort((a, b) => a.level - b.level);
}

export interface ConformanceSelection {
  /** Run the checks of this level and below (default MAX_CONFORMANCE_LEVEL). */
  level?: number;
  /** Only these checks (names); unknown names are an error listing the known ones. */
  only?: readonly string[];
  /** Skip checks that need something the engine does not offer. */
  without?: readonly ConformanceNeed[];
}

export function selectChecks(selection: ConformanceSelection = {}): ConformanceCheck[] {
  const level = selection.level ?? MAX_CONFORMANCE_LEVEL;
  if (!Number.isInteger(level) || level < 1) throw new RangeError(`conformance level must be a whole number ≥ 1, got ${level}`);
  const known = conformanceChecks();
  for (const name of selection.only ?? []) {
    if (!registry.has(name)) throw new Error(`unknown conformance check "${name}"; known: ${known.map((c) => c.name).join(', ')}`);
  }
  return known.filter((c) => c.level <= level
    && (!selection.only || selection.only.includes(c.name))
    && !c.needs.some((n) => selection.without?.includes(n)));
}

export interface ConformanceOutcome extends CheckResult {
  check: string;
  level: ConformanceLevel;
  /** The rate the check ran at. */
  sampleRate: number;
  durationMs: number;
}

export interface RunConformanceOptions extends ConformanceSelection {
  sampleRates?: readonly number[];
  /** Called after each outcome (progress for a CLI). */
  onOutcome?: (o: ConformanceOutcome) => void;
}

/**
 * Runs the selected checks on `subject`, each per-rate check at every rate in `sampleRates`; a check that
 * throws is a failure whose detail is the error (an engine that throws breaks the contract).
 */
export async function runConformance(subject: ConformanceSubject, options: RunConformanceOptions = {}): Promise<ConformanceOutcome[]> {
  const rates = options.sampleRates ?? SAMPLE_RATES;
  const out: ConformanceOutcome[] = [];
  for (const check of selectChecks(options)) {
    for (const sampleRate of check.perSampleRate ? rates : [48000]) {
      const t0 = performance.now();
      let r: CheckResult;
      try {
        r = await check.run(subject, sampleRate);
      } catch (err) {
        r = { ok: false, detail: `threw: ${(err as Error).message}` };
      }
      const o = { check: check.name, level: check.level, sampleRate, durationMs: performance.now() - t0, ...r };
      out.push(o);
      options.onOutcome?.(o);
    }
  }
  return out;
}

registerConformanceCheck({
  name: 'finite-normal', level: 1, needs: [], perSampleRate: true,
  description: 'writes no NaN, Inf or subnormal sample, and the test signal makes it sound',
  run: (s, fs) => checkFiniteNormal(s, fs),
  failsOn: [
    { defect: 'writes NaN', create: () => new NanToy() },
    { defect: 'writes −Infinity', create: () => new InfToy() },
    { defect: 'writes a subnormal (1e-40)', create: () => new SubnormalToy() },
    { defect: 'ignores its input (silent render)', create: () => new SilentToy() },
  ],
});
registerConformanceCheck({
  name: 'determinism', level: 1, needs: [], perSampleRate: false,
  description: 'two renders of the same input and events are bit-identical',
  run: (s, fs) => checkDeterminism(s, fs),
  failsOn: [{ defect: 'unseeded Math.random()', create: () => new RandomToy() }],
});
registerConformanceCheck({
  name: 'block-size-invariance', level: 2, needs: [], perSampleRate: true,
  description: 'blocks of 1, 17, 64, 128, 512, 1024 frames render the same bits as one block',
  run: (s, fs) => checkBlockSizeInvariance(s, fs),
  failsOn: [
    { defect: 'a per-block effect', create: () => new BlockDependentToy() },
    { defect: 'events applied at the block start instead of their sample', create: () => new EventAtBlockStartToy() },
  ],
});
registerConformanceCheck({
  name: 'reset', level: 2, needs: ['reset'], perSampleRate: false,
  description: 'after reset() the engine renders exactly what a fresh engine renders',
  run: (s, fs) => checkReset(s, fs),
  failsOn: [{ defect: 'reset() keeps the filter state', create: () => new StickyResetToy() }],
});
registerConformanceCheck({
  name: 'state-round-trip', level: 3, needs: ['state'], perSampleRate: false,
  description: 'save → load → save is identical and a restored engine continues bit-identically',
  run: (s, fs) => checkStateRoundTrip(s, fs),
  failsOn: [{ defect: 'getState() drops the filter state', create: () => new ForgetfulToy() }],
});
registerConformanceCheck({
  name: 'no-allocation', level: 4, needs: ['v8-heap'], perSampleRate: false,
  description: 'process() allocates nothing on the JS heap over 1000 blocks, events included',
  run: (s, fs) => checkNoAllocation(s, fs),
  failsOn: [{ defect: 'allocates a Float32Array per block', create: () => new AllocatingToy() }],
});
