import { performanceEvents, performanceSchema } from '../../presets/performance.ts';
import { EngineNode } from '../engineNode.ts';
import { type AudioSource, type ToneKind, createFileSource, createToneSource, openMicrophone, wireFileInput } from './sources.ts';
import { enableWiredControls } from './wiredControls.ts';

/**
 * sources.html: a preset in an EngineNode on a real-time AudioContext, fed by a test tone, a file or the
 * microphone (sources.ts), with the engine's meters. Pure browser: the presets come from presets.json
 * (written by scripts/build-browser.mjs). `window.studioRig` exposes the context, engine and source to tests.
 */
interface PresetEntry {
  engine: string;
  name: string;
  description: string;
  params: unknown;
  performance?: unknown;
}

interface PageState {
  ctx: AudioContext | null;
  engine: EngineNode | null;
  source: AudioSource | null;
  preset: PresetEntry | null;
}
const state: PageState = { ctx: null, engine: null, source: null, preset: null };
(globalThis as { studioRig?: PageState }).studioRig = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const presetSelect = $<HTMLSelectElement>('preset');
const engineStatus = $('engine-status');
const sourceStatus = $('source-status');

function say(text: string, problem = false): void {
  sourceStatus.textContent = text;
  sourceStatus.classList.toggle('problem', problem);
}

const presets: PresetEntry[] = await fetch('presets.json').then((r) => r.json() as Promise<PresetEntry[]>);
for (const [i, p] of presets.entries()) {
  const option = document.createElement('option');
  option.value = String(i);
  option.textContent = `${p.engine} / ${p.name}`;
  option.title = p.description;
  presetSelect.append(option);
}
const wanted = new URLSearchParams(location.search).get('preset'); // e.g. ?preset=reverb/small-room
const initial = presets.findIndex((p) => (wanted ? `${p.engine}/${p.name}` === wanted : p.engine === 'reverb'));
if (initial >= 0) presetSelect.value = String(initial);

async function startEngine(): Promise<void> {
  const preset = presets[Number(presetSelect.value)];
  // ?sampleRate=44100 runs the context at that rate (else the device's): no resampling of a source at that rate.
  const rate = Number(new URLSearchParams(location.search).get('sampleRate'));
  state.ctx ??= new AudioContext({ latencyHint: 'interactive', ...(rate >= 8000 && rate <= 192000 ? { sampleRate: rate } : {}) });
  await state.ctx.resume();
  state.engine?.dispose();
  engineStatus.textContent = `starting ${preset.engine} / ${preset.name}…`;
  try {
    state.engine = await EngineNode.create(state.ctx, { engine: preset.engine, preset: preset.name, params: preset.params });
  } catch (err) {
    engineStatus.textContent = (err as Error).message;
    return;
  }
  state.preset = preset;
  state.engine.node.connect(state.ctx.destination);
  if (state.source && state.engine.shape.numInputs > 0) state.source.node.connect(state.engine.node);
  engineStatus.textContent = `${preset.engine} / ${preset.name} running at ${state.ctx.sampleRate} Hz (${state.engine.shape.numInputs} in, ${state.engine.shape.numOutputs} out)`;
  watchMeters(state.engine);
}

function watchMeters(engine: EngineNode): void {
  const body = $('meters').querySelector('tbody') as HTMLTableSectionElement;
  body.replaceChildren();
  const cells = Array.from({ length: engine.shape.numOutputs }, (_, c) => {
    const row = body.insertRow();
    row.insertCell().textContent = String(c + 1);
    return [row.insertCell(), row.insertCell()];
  });
  engine.onMeters((m) => {
    for (let c = 0; c < cells.length; c++) {
      cells[c][0].textContent = m.peakDb[c].toFixed(1);
      cells[c][1].textContent = m.rmsDb[c].toFixed(1);
    }
  });
}

async function ensureEngine(): Promise<EngineNode | null> {
  if (!state.engine) await startEngine();
  return state.engine;
}

function useSource(source: AudioSource): void {
  state.source?.stop();
  state.source = source;
  if (state.engine && state.engine.shape.numInputs > 0) source.node.connect(state.engine.node);
  else say(`${source.label} — the instrument ${state.preset?.name ?? ''} takes no input: play its performance instead`);
  if (state.engine?.shape.numInputs) say(`playing: ${source.label}`);
}

$('start').addEventListener('click', () => void startEngine());
presetSelect.addEventListener('change', () => {
  if (state.engine) void startEngine();
});
$('play-tone').addEventListener('click', async () => {
  const engine = await ensureEngine();
  if (!engine || !state.ctx) return;
  useSource(createToneSource(state.ctx, $<HTMLSelectElement>('tone').value as ToneKind));
});
wireFileInput($('drop-zone'), $<HTMLInputElement>('file'), async (file) => {
  const engine = await ensureEngine();
  if (!engine || !state.ctx) return;
  try {
    useSource(await createFileSource(state.ctx, file));
  } catch (err) {
    say((err as Error).message, true);
  }
});
$('microphone').addEventListener('click', async () => {
  const engine = await ensureEngine();
  if (!engine || !state.ctx) return;
  const mic = await openMicrophone(state.ctx);
  if (mic.ok) useSource(mic.source);
  else say(`${mic.message}`, true);
});
$('stop-source').addEventListener('click', () => {
  state.source?.stop();
  state.source = null;
  say('no source');
});
$('performance').addEventListener('click', async () => {
  const engine = await ensureEngine();
  const preset = state.preset;
  if (!engine || !state.ctx || !preset) return;
  if (!preset.performance) {
    say(`${preset.name} has no performance (an effect: choose a source)`, true);
    return;
  }
  // A little ahead of now, so every event lands at its own sample (the same frames as `rig render`).
  const start = Math.ceil((state.ctx.currentTime + 0.1) * state.ctx.sampleRate);
  const performance = performanceSchema.parse(preset.performance);
  const events = performanceEvents(performance, state.ctx.sampleRate);
  engine.postEvents(events.map((e) => ({ ...e, atFrame: start + e.atFrame })));
  say(`playing the performance of ${preset.name} (${performance.seconds} s)`);
});
// Every handler is in place: the controls that waited disabled for them take clicks now (wiredControls.ts).
enableWiredControls(document);
