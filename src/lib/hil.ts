/**
 * `studio-rig/hil` — the hardware-in-the-loop harness and the live host it measures: run scenarios
 * against the rig server (any registered engine: scenario `engineName`) on the virtual rig, a JACK
 * loopback or an interface, and write the reports.
 */
export { resolveScenarios, runHil, type HilOptions } from '../../hil/runner/runHil.ts';
export { loadScenario, type LoadedScenario } from '../../hil/scenario/loadScenario.ts';
export { scenarioSchema, type Scenario } from '../../hil/scenario/scenarioSchema.ts';
export { loadRig, type LoadRigOverrides } from '../../hil/rigs/loadRig.ts';
export { VirtualRig } from '../../hil/rigs/virtualRig.ts';
export { writeRunReport, type WrittenReport } from '../../hil/report/writeRunReport.ts';
export type { RunReport, ScenarioResult } from '../../hil/report/runReport.ts';
export { upgradeRunReport } from '../../hil/report/upgradeRunReport.ts';
export { RigServer } from '../host/rigServer.ts';
export type { AudioRig } from '../host/audioRig.ts';
