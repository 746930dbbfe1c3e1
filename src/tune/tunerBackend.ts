import type { TunableValues } from './tunableParams.ts';
import type { TuningCapture } from './tuningMetrics.ts';

/**
 * What differs between an offline and a live tuner — where parameters go and where audio comes from.
 * Everything else (checking values, metrics, spectrogram, description) is the Tuner's, shared, so the
 * two modes answer the same calls with the same figures.
 */
export interface TunerBackend {
  readonly mode: 'offline' | 'live';
  /** Applies already-checked values (live: over OSC, confirmed by reading them back). */
  setValues(values: TunableValues): Promise<void>;
  /** The tunable values the engine runs with now. */
  getValues(): Promise<TunableValues>;
  /** Loads a preset of the engine by name (live: on the server, with its smoothing). */
  loadPreset(name: string): Promise<void>;
  /**
   * Input and output over the analysis window, and the impulse response (or why there is none).
   * `tailSeconds`: the latest measured decay (T30), which live waits out after a change so the window
   * holds no tail of the audio before it.
   */
  capture(hint?: { tailSeconds?: number }): Promise<TuningCapture>;
  /** Saves the present parameters as a preset; returns where it went. */
  savePreset(name: string, force: boolean): Promise<string>;
  close(): Promise<void>;
}
