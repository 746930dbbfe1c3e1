/**
 * `studio-rig/golden` — presets and goldens for any registered engine: register the user's engines and
 * folders, load and render presets, compare renders with approved goldens, approve new ones.
 */
export { engineEntry, engineNames, loadEngineModule, registerEngine } from '../presets/engineRegistry.ts';
export { GOLDEN_DIR, PRESETS_DIR, SCENARIOS_DIR, setWorkspace, workspace, type Workspace } from '../presets/workspace.ts';
export { CONFIG_FILE_NAME, applyWorkspaceOptions, readStudioRigConfig, studioRigConfigSchema, type StudioRigConfig, type WorkspaceOptions } from '../presets/studioRigConfig.ts';
export { listPresetRefs, listPresets, loadPreset, resolvePresetRef, type Preset, type PresetRef } from '../presets/presetStore.ts';
export { PRESET_FORMAT_VERSION, presetFileSchema, type PresetTargets } from '../presets/presetFile.ts';
export { performanceEvents, performanceSchema, type Performance } from '../presets/performance.ts';
export { createPresetEngine, renderGolden, renderPreset, type PresetRenderOptions } from '../golden/renderPreset.ts';
export { checkGolden, compareMetrics, residualDb, type GoldenCheck, type GoldenStatus, type MetricDelta } from '../golden/compareGolden.ts';
export { GOLDEN_TOLERANCES, goldenSettingsFor, type GoldenRenderSettings } from '../golden/goldenSettings.ts';
export { allPresets, approveGolden, approveGoldens, reviewGoldens } from '../golden/goldenWorkflow.ts';
export { goldenPaths, readSidecar, type GoldenSidecar } from '../golden/goldenStore.ts';
export { goldenTestSignal } from '../golden/testSignal.ts';
