import { describe, expect, it } from 'vitest';
import { HapticEngine } from '../haptic/hapticEngine.ts';
import { parseHapticConfig } from '../haptic/hapticConfig.ts';
import { at, type TimedEvent } from './events.ts';
import { render } from './render.ts';
import { RenderStream } from './renderStream.ts';

const FS = 48000;
const BLOCK = 128;
const FRAMES = FS / 2;

describe('RenderStream', () => {
  const config = parseHapticConfig({});
  const events: TimedEvent[] = [];
  for (let k = 0; k < 20; k++) {
    events.push(at.noteOn(k * 1100 + 7, k % 16, 40 + k, 90));
    events.push(at.noteOff(k * 1100 + 5000, k % 16, 40 + k));
  }
  const whole = render(new HapticEngine(config), { sampleRate: FS, blockFrames: BLOCK, frames: FRAMES, events });

  it.each([[BLOCK], [BLOCK * 37], [BLOCK * 94]])('gives render() bit for bit in chunks of %i frames', (chunk) => {
    const stream = new RenderStream(new HapticEngine(config), FS, BLOCK, events);
    const parts: Float32Array[][] = [];
    for (let done = 0; done < FRAMES; done += chunk) parts.push(stream.nextChunk(Math.min(chunk, FRAMES - done)).map((c) => c.slice()));

    expect(whole.some((ch) => ch.some((v) => v !== 0))).toBe(true);
    for (let c = 0; c < whole.length; c++) {
      const joined = new Float32Array(FRAMES);
      let at0 = 0;
      for (const p of parts) { joined.set(p[c], at0); at0 += p[c].length; }
      expect(Buffer.from(joined.buffer).equals(Buffer.from(whole[c].buffer)), `output ${c}`).toBe(true);
    }
  });

  it('refuses a chunk after one that was not whole blocks', () => {
    const stream = new RenderStream(new HapticEngine(config), FS, BLOCK, events);
    stream.nextChunk(100);
    expect(() => stream.nextChunk(128)).toThrow(/whole blocks of 128/);
  });
});
