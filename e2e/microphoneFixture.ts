import { join } from 'node:path';

/** The WAV Chromium's fake capture device plays as the microphone (written by e2e/microphoneFixture.ts's writer). */
export const FAKE_MICROPHONE_WAV = join(import.meta.dirname, 'fixtures', 'fake-microphone.wav');
