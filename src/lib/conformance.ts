/**
 * `studio-rig/conformance` — the engine contract suite, runnable on any engine: a registry of checks
 * with levels (as pluginval's strictness), each proven by the broken engines it fails.
 * `await runConformance(conformanceSubject(myEntry), { level: 2 })`.
 */
export {
  BLOCK_SIZES, SAMPLE_RATES, checkBlockSizeInvariance, checkDeterminism, checkFiniteNormal, checkNoAllocation,
  checkReset, checkStateRoundTrip, defaultInput, type CheckResult, type ConformanceSubject,
} from '../conformance/checks.ts';
export {
  CONFORMANCE_LEVELS, MAX_CONFORMANCE_LEVEL, conformanceChecks, registerConformanceCheck, runConformance, selectChecks,
  type BrokenEngine, type ConformanceCheck, type ConformanceLevel, type ConformanceNeed, type ConformanceOutcome,
  type ConformanceSelection, type RunConformanceOptions,
} from '../conformance/conformanceSuite.ts';
export { conformanceSubject, defaultPerformance } from '../conformance/conformanceSubject.ts';
export * as brokenEngines from '../conformance/brokenEngines.ts';
