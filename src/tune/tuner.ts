import { join, resolve } from 'node:path';
import { computeSpectrogram, spectrogramPng } from '../plot/spectrogram.ts';
import { ParamError } from '../engine/params.ts';
import { engineEntry, engineNames } from '../presets/engineRegistry.ts';
import { PRESET_NAME } from '../presets/presetStore.ts';
import { workspace } from '../presets/workspace.ts';
import { describeMetrics } from './describeMetrics.ts';
import { LiveBackend } from './liveBackend.ts';
import { OfflineBackend } from './offlineBackend.ts';
import type { OscEndpoint } from './oscClient.ts';
import { checkTunableValues, type TunableParam, type TunableValues, tunableParams } from './tunableParams.ts';
import type { TunerBackend } from './tunerBackend.ts';
import { TunerPresets } from './tunerPresets.ts';
import { DEFAULT_SAMPLE_RATE_HZ, DEFAULT_TUNER_INPUT, inputLoop, type TunerInput } from './tunerInput.ts';
import { DRY_GAIN } from './wetResponse.ts';
import { measureTuning, type TuningCapture, type TuningMetrics } from './tuningMetrics.ts';

export type TunerMode = 'offline' | 'live';

export interface TunerOptions {
  mode: TunerMode;
  /** An effect engine: 'reverb', 'lossy', or one the user registered. */
  engine: string;
  /** A preset of that engine to start from (`name` or `engine/name`); default: the engine's defaults offline, the server's present state live. */
  preset?: string;
  /** Offline: what is played through the engine (default seeded noise). Live: the server plays its own input (`rig serve --input/--tone/--noise`). */
  input?: TunerInput;
  /** Length of the analysis window, s (default 3: the snapshot length live), 0.5…30. */
  windowSeconds?: number;
  /** Sample rate of generated inputs, Hz (offline; default 48000). */
  sampleRate?: number;
  /**
   * Live: the OSC bridge of `rig serve` (default 127.0.0.1:9000, replies on 9001), and how long to wait
   * after a change before a snapshot (default: the window, plus the last measured T30 or at least 1 s).
   */
  osc?: OscEndpoint & { settleMs?: number };
  /**
   * Live: the server's snapshots folder (`rig serve --snapshots`, default `<workspace reports>/snapshots`,
   * as rig serve's): the only folder a `snapshot_ready` reply may name files in.
   */
  snapshotsDir?: string;
  /** The shipped presets (default: the workspace's presets folder). */
  presetsDir?: string;
  /** Where presets are saved and looked for first (default: rig serve's user presets folder). Live, the server's own folders count. */
  userPresetsDir?: string;
}

/** The tuning interface: the same calls offline and live (see README "Tuning"). */
export interface Tuner {
  readonly mode: TunerMode;
  readonly engine: string;
  /** The parameters setParams accepts, with their ranges. */
  readonly params: readonly TunableParam[];
  /** Checks and applies some parameters (unknown name, wrong type or out of range: a ParamError naming each); returns them all. */
  setParams(partial: Record<string, unknown>): Promise<TunableValues>;
  getParams(): Promise<TunableValues>;
  /** Loads a preset of the engine by name; returns the parameters. */
  loadPreset(name: string): Promise<TunableValues>;
  /** The presets of the engine: user and shipped (live: those of this machine's folders; the server has its own). */
  listPresets(): string[];
  /** Measures the output (offline: renders; live: a snapshot). Repeated without a change, the same capture is measured. */
  getMetrics(): Promise<TuningMetrics>;
  /** PNG of the output's spectrogram (left channel, log frequency 20 Hz…fs/2, −120…0 dBFS, time left to right). */
  getSpectrogram(): Promise<Uint8Array>;
  /** Short readable lines; deltas against `previous`, by default the measurement before `metrics` from this tuner. */
  describe(metrics: TuningMetrics, previous?: TuningMetrics): string[];
  /** Saves the present parameters as a preset (a name, not a path; a shipped one only with `force`); returns the file. */
  savePreset(name: string, options?: { force?: boolean }): Promise<string>;
  close(): Promise<void>;
}


function presetName(engine: string, text: string): string {
  const slash = text.indexOf('/');
  if (slash < 0) return text;
  if (text.slice(0, slash) !== engine) throw new ParamError(`preset "${text}"`, [`is not a ${engine} preset; give a ${engine} preset name`]);
  return text.slice(slash + 1);
}

class TunerSession implements Tuner {
  readonly params: readonly TunableParam[];
  private captured: Promise<{ capture: TuningCapture; metrics: TuningMetrics }> | null = null;
  private readonly history: TuningMetrics[] = [];

  constructor(readonly engine: string, private readonly backend: TunerBackend, private readonly presets: TunerPresets) {
    this.params = tunableParams(engine);
  }

  get mode(): TunerMode {
    return this.backend.mode;
  }

  async setParams(partial: Record<string, unknown>): Promise<TunableValues> {
    const values = checkTunableValues(this.engine, partial, `${this.engine} parameters`);
    this.captured = null;
    await this.backend.setValues(values);
    return this.backend.getValues();
  }

  getParams(): Promise<TunableValues> {
    return this.backend.getValues();
  }

  async loadPreset(name: string): Promise<TunableValues> {
    const bare = presetName(this.engine, name);
    this.captured = null;
    await this.backend.loadPreset(bare);
    return this.backend.getValues();
  }

  listPresets(): string[] {
    return this.presets.names();
  }

  private measured(): Promise<{ capture: TuningCapture; metrics: TuningMetrics }> {
    const tailSeconds = this.history.at(-1)?.figures.t30Seconds ?? undefined;
    this.captured ??= this.backend.capture({ tailSeconds }).then((capture) => {
      const metrics = measureTuning(this.engine, capture);
      this.history.push(metrics);
      return { capture, metrics };
    });
    const pending = this.captured;
    pending.catch(() => { if (this.captured === pending) this.captured = null; });
    return pending;
  }

  async getMetrics(): Promise<TuningMetrics> {
    return (await this.measured()).metrics;
  }

  async getSpectrogram(): Promise<Uint8Array> {
    const { capture } = await this.measured();
    const s = computeSpectrogram(capture.wet[0], capture.sampleRate, { frameSize: 1024, frequencyScale: 'log', logRows: 256, maxColumns: 600 });
    return spectrogramPng(s);
  }

  describe(metrics: TuningMetrics, previous?: TuningMetrics): string[] {
    const at = this.history.indexOf(metrics);
    return describeMetrics(metrics, previous ?? (at > 0 ? this.history[at - 1] : undefined));
  }

  async savePreset(name: string, options: { force?: boolean } = {}): Promise<string> {
    if (typeof name !== 'string' || !PRESET_NAME.test(name)) {
      throw new ParamError(`preset name ${JSON.stringify(String(name).slice(0, 60))}`, ['not a preset name: expected letters, digits, "-", "_" or "." (not first), at most 100 characters — a name, not a path']);
    }
    return this.backend.savePreset(name, Boolean(options.force));
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}

/**
 * Opens a tuner on an effect engine. Offline it renders `input` through the engine; live it talks to
 * `rig serve --engine <engine>` over the OSC bridge and analyses the server's snapshots. Both check
 * parameters the same way and measure with the same function (measureTuning), so the caller cannot
 * tell them apart except by speed.
 */
export async function openTuner(options: TunerOptions): Promise<Tuner> {
  const entry = (() => {
    try {
      return engineEntry(options.engine);
    } catch (e) {
      throw new ParamError('engine', [(e as Error).message.replace(/^engine "[^"]*": /, '')]);
    }
  })();
  if (entry.kind !== 'effect') {
    const effects = engineNames().filter((n) => engineEntry(n).kind === 'effect');
    throw new ParamError(`engine "${options.engine}"`, [`is an instrument; the tuner tunes effects: ${effects.join(', ')}`]);
  }
  const windowSeconds = options.windowSeconds ?? 3;
  if (!(windowSeconds >= 0.5 && windowSeconds <= 30)) throw new ParamError('windowSeconds', [`got ${windowSeconds}, allowed 0.5…30`]);
  const preset = options.preset === undefined ? undefined : presetName(options.engine, options.preset);
  const dryGain = DRY_GAIN[options.engine] ?? null;
  const presets = new TunerPresets(options.engine, { shippedDir: options.presetsDir, userDir: options.userPresetsDir });
  const noDecayReason = `${options.engine} is not a reverb: its output has no decay to read RT60, EDT, C50/C80 or echo density from`;
  let backend: TunerBackend;
  if (options.mode === 'offline') {
    const params = preset === undefined ? entry.paramsSchema.parse({}) : presets.load(preset).params;
    const probe = entry.create(params);
    const input = inputLoop(options.input ?? DEFAULT_TUNER_INPUT, probe.numInputs, options.sampleRate ?? DEFAULT_SAMPLE_RATE_HZ);
    backend = new OfflineBackend({ engine: options.engine, params, input, windowSeconds, dryGain, noDecayReason, presets });
  } else if (options.mode === 'live') {
    // The server loads the preset (its user presets first, then the shipped ones) and says what is wrong.
    const snapshotsDir = resolve(options.snapshotsDir ?? join(workspace.reportsDir, 'snapshots'));
    backend = await LiveBackend.connect({ engine: options.engine, osc: options.osc ?? {}, windowSeconds, dryGain, noDecayReason, preset, snapshotsDir });
  } else {
    throw new ParamError('mode', [`got ${JSON.stringify(options.mode)}, allowed "offline" or "live"`]);
  }
  return new TunerSession(options.engine, backend, presets);
}
