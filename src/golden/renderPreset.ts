import type { Engine } from '../engine/engine.ts';
import { render } from '../engine/render.ts';
import { engineRegistry } from '../presets/engineRegistry.ts';
import { performanceEvents } from '../presets/performance.ts';
import type { Preset } from '../presets/presetStore.ts';
import type { GoldenRenderSettings } from './goldenSettings.ts';
import { goldenTestSignal } from './testSignal.ts';

/** A fresh engine for a preset (its parameters were validated when the preset was loaded). */
export function createPresetEngine(preset: Preset): Engine {
  return engineRegistry[preset.engine].create(preset.params);
}

export interface PresetRenderOptions {
  sampleRate: number;
  blockFrames?: number;
  seconds: number;
  /** Input of an effect; channels beyond the engine's inputs are ignored, missing ones are silent. */
  input?: readonly Float32Array[];
}

/**
 * Renders a preset offline through the one render path (src/engine/render.ts): an effect processes
 * `input`; an instrument plays its preset's performance (events at round(atMs·fs/1000)).
 */
export function renderPreset(preset: Preset, options: PresetRenderOptions): Float32Array[] {
  const engine = createPresetEngine(preset);
  const isInstrument = engineRegistry[preset.engine].kind === 'instrument';
  return render(engine, {
    sampleRate: options.sampleRate,
    blockFrames: options.blockFrames ?? 128,
    seconds: options.seconds,
    input: isInstrument ? undefined : options.input,
    events: isInstrument && preset.performance ? performanceEvents(preset.performance, options.sampleRate) : [],
  });
}

/** The golden render of a preset under `settings` (see goldenSettings.ts). */
export function renderGolden(preset: Preset, settings: GoldenRenderSettings): Float32Array[] {
  const input = settings.input === 'test-signal'
    ? goldenTestSignal(settings.sampleRate, settings.irSeconds ?? 0, settings.seconds)
    : undefined;
  return renderPreset(preset, { sampleRate: settings.sampleRate, blockFrames: settings.blockFrames, seconds: settings.seconds, input });
}
