import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import wavefile from 'wavefile';

/**
 * The WAV Chromium's fake capture device plays as the microphone (--use-file-for-fake-audio-capture,
 * set in playwright.config.ts): 44.1 kHz — the fake device captures at 44.1 kHz (stereo), and a file at another rate is resampled on the way (a 48 kHz click arrived smeared over ~50 samples) — 16-bit PCM
 * mono, FIXTURE_SECONDS long — a click (one sample at half scale) at CLICK_FRAME, then silence. The
 * device loops the file, so the capture is a click every period; the period is three times small-room's
 * RT60 of 0.45 s, so each click's reverb tail has decayed far below the next click.
 */
export const FAKE_MICROPHONE_WAV = join(import.meta.dirname, 'fixtures', 'fake-microphone.wav');
export const FIXTURE_SAMPLE_RATE = 44100;
export const FIXTURE_SECONDS = 1.5;
export const CLICK_FRAME = 2205;
const CLICK_PCM = 16384;

/** The fixture's samples as the capture device reads them (PCM / 32768). */
export function fakeMicrophoneSamples(): Float32Array {
  const x = new Float32Array(Math.round(FIXTURE_SECONDS * FIXTURE_SAMPLE_RATE));
  x[CLICK_FRAME] = CLICK_PCM / 32768;
  return x;
}

/** Writes the fixture (run once; the file is committed): node --import tsx e2e/microphoneFixture.ts */
export function writeFakeMicrophoneWav(path = FAKE_MICROPHONE_WAV): void {
  const pcm = new Int16Array(fakeMicrophoneSamples().length);
  pcm[CLICK_FRAME] = CLICK_PCM;
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, FIXTURE_SAMPLE_RATE, '16', pcm);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, wav.toBuffer());
}

if (process.argv[1] && import.meta.filename === process.argv[1]) writeFakeMicrophoneWav();
