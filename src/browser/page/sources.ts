import { calibrationProbe } from '../../analysis/latency/calibrationProbe.ts';
import { gaussianNoise } from '../../analysis/testSignals/seededRandom.ts';

/**
 * The audio sources of the page, each an AudioNode to connect to an EngineNode:
 * - test tones: sine, exponential sweep (the HIL's calibration probe), white noise (seeded: the same
 *   noise every time), impulse (one sample at full scale, once per period) — the generated ones looped;
 * - a file: whatever the browser decodes (decodeAudioData), from a file input or drag & drop;
 * - the microphone (getUserMedia with echo cancellation, noise suppression and gain control off, so the
 *   engine hears the signal as captured). Without permission (or device) it says so and why.
 */
export type ToneKind = 'sine' | 'sweep' | 'noise' | 'impulse';
export const TONE_KINDS: readonly ToneKind[] = ['sine', 'sweep', 'noise', 'impulse'];

export interface AudioSource {
  readonly node: AudioNode;
  /** What is playing, for the page ("sine 440 Hz −18 dBFS", "file take3.wav (2.1 s, 44.1 kHz)", …). */
  readonly label: string;
  stop(): void;
}

export interface ToneOptions {
  /** Sine frequency (default 440 Hz). */
  frequencyHz?: number;
  /** Peak level of sine and sweep, RMS of the noise (default −18 dBFS; the impulse is always 0 dBFS). */
  levelDb?: number;
  /** Period of the looped sweep / noise / impulse (default 2 s). */
  periodSeconds?: number;
  /** Sweep band (default 50 Hz … min(20 kHz, 0.45·fs)) and the noise's seed (default 1). */
  startHz?: number;
  endHz?: number;
  seed?: number;
}

function loopBuffer(ctx: BaseAudioContext, samples: Float32Array, label: string, when = 0): AudioSource {
  const buffer = ctx.createBuffer(1, samples.length, ctx.sampleRate);
  buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
  const node = ctx.createBufferSource();
  node.buffer = buffer;
  node.loop = true;
  node.start(when);
  return { node, label, stop: () => node.stop() };
}

/** A test tone, started at once (or at context time `when`). */
export function createToneSource(ctx: BaseAudioContext, kind: ToneKind, o: ToneOptions = {}, when = 0): AudioSource {
  const fs = ctx.sampleRate;
  const levelDb = o.levelDb ?? -18;
  const period = Math.max(1, Math.round((o.periodSeconds ?? 2) * fs));
  switch (kind) {
    case 'sine': {
      const osc = ctx.createOscillator();
      osc.frequency.value = o.frequencyHz ?? 440;
      const gain = ctx.createGain();
      gain.gain.value = 10 ** (levelDb / 20);
      osc.connect(gain);
      osc.start(when);
      return { node: gain, label: `sine ${osc.frequency.value} Hz ${levelDb} dBFS`, stop: () => osc.stop() };
    }
    case 'sweep': {
      const sweepSeconds = Math.min(period / fs, 1);
      const sweep = calibrationProbe({ sampleRate: fs, seconds: sweepSeconds, startHz: o.startHz, endHz: o.endHz, levelDb });
      const samples = new Float32Array(period);
      samples.set(sweep);
      return loopBuffer(ctx, samples, `sweep ${o.startHz ?? 50} Hz … ${Math.round(o.endHz ?? Math.min(20000, 0.45 * fs))} Hz in ${sweepSeconds} s, ${levelDb} dBFS`, when);
    }
    case 'noise':
      return loopBuffer(ctx, gaussianNoise(period, 10 ** (levelDb / 20), o.seed ?? 1), `white noise ${levelDb} dBFS RMS (seed ${o.seed ?? 1})`, when);
    case 'impulse': {
      const samples = new Float32Array(period);
      samples[0] = 1;
      return loopBuffer(ctx, samples, `impulse every ${period / fs} s`, when);
    }
  }
}

/** A decoded file, looped or once. Rejects with the browser's reason when it cannot decode it. */
export async function createFileSource(ctx: BaseAudioContext, file: Blob & { name?: string }, o: { loop?: boolean } = {}): Promise<AudioSource> {
  const name = file.name ?? 'audio';
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(await file.arrayBuffer());
  } catch (err) {
    throw new Error(`${name}: the browser cannot decode this file (${(err as Error).message || 'unknown format'})`);
  }
  const node = ctx.createBufferSource();
  node.buffer = buffer;
  node.loop = o.loop ?? true;
  node.start();
  return { node, label: `file ${name} (${buffer.duration.toFixed(1)} s, ${buffer.numberOfChannels} ch)`, stop: () => node.stop() };
}

export type MicrophoneResult =
  | { ok: true; source: AudioSource; settings: MediaTrackSettings }
  | { ok: false; reason: 'denied' | 'no-device' | 'unsupported' | 'failed'; message: string };

/** The microphone, unprocessed (no echo cancellation, noise suppression or automatic gain). */
export async function openMicrophone(ctx: AudioContext): Promise<MicrophoneResult> {
  if (!navigator.mediaDevices?.getUserMedia) {
    return { ok: false, reason: 'unsupported', message: 'This page cannot use a microphone here (it needs https or localhost). Use a test tone or a file instead.' };
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  } catch (err) {
    const name = (err as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      return { ok: false, reason: 'denied', message: 'Microphone permission was not given. Allow it in the browser, or use a test tone or a file instead.' };
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      return { ok: false, reason: 'no-device', message: 'No microphone was found. Use a test tone or a file instead.' };
    }
    return { ok: false, reason: 'failed', message: `The microphone could not be opened (${name}: ${(err as Error).message}). Use a test tone or a file instead.` };
  }
  const node = ctx.createMediaStreamSource(stream);
  const track = stream.getAudioTracks()[0];
  const settings = track?.getSettings() ?? {};
  return {
    ok: true,
    settings,
    source: { node, label: `microphone ${track?.label ?? ''}`.trim(), stop: () => { for (const t of stream.getTracks()) t.stop(); node.disconnect(); } },
  };
}

/**
 * Makes `target` a drop zone for audio files (and `input`, a file input, its button): `onFile` gets
 * the first file dropped or chosen. Returns a function that removes the listeners.
 */
export function wireFileInput(target: HTMLElement, input: HTMLInputElement | null, onFile: (file: File) => void): () => void {
  const over = (e: DragEvent) => {
    e.preventDefault();
    target.classList.add('drop-over');
  };
  const leave = () => target.classList.remove('drop-over');
  const drop = (e: DragEvent) => {
    e.preventDefault();
    leave();
    const file = e.dataTransfer?.files?.[0];
    if (file) onFile(file);
  };
  const change = () => {
    const file = input?.files?.[0];
    if (file) onFile(file);
  };
  target.addEventListener('dragover', over);
  target.addEventListener('dragleave', leave);
  target.addEventListener('drop', drop);
  input?.addEventListener('change', change);
  return () => {
    target.removeEventListener('dragover', over);
    target.removeEventListener('dragleave', leave);
    target.removeEventListener('drop', drop);
    input?.removeEventListener('change', change);
  };
}
