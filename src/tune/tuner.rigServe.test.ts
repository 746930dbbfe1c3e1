import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeUdpPort } from '../host/testClients.ts';
import { writeWavAtomic } from '../io/wavFile.ts';
import { openTuner, type Tuner } from './tuner.ts';
import type { TunerInput } from './tunerInput.ts';
import type { TuningMetrics } from './tuningMetrics.ts';

/** The tolerances for offline against live on the virtual rig. */
const LIMITS = { t30Percent: 3, centroidPercent: 2, loudnessLu: 0.2 };
const FS = 48000;
/**
 * A click every 0.75 s, and a 1.5 s window (the tuner's default is 3 s): the live tuner waits a window and the old
 * tail (≥ 1 s) of real time before each snapshot, twice here, so the window is most of this file's time. Any 1.5 s
 * window holds a whole period after a click, live at any phase as offline; after the change (RT60 0.8 s) the
 * previous click's tail is 56 dB down when the next one comes, below what T30 reads (−5…−35 dB). Offline the T30
 * figures are those of the 3 s window and 1.5 s period to 4 digits; live against offline, 4 runs each: T30
 * ≤ 0.02 %, centroid 0.2–0.6 % (3 s window: 0.1 %), loudness ≤ 0.03 LU — against the 3 %, 2 % and 0.2 LU.
 */
const PERIOD_SECONDS = 0.75;
const WINDOW_SECONDS = 1.5;
const CHANGE = { rt60Seconds: 0.8, wetDry: 0.5 };
const RIG = join(import.meta.dirname, '../../bin/rig.js');

const percent = (x: number | null, y: number | null) => (x === null || y === null ? Infinity : (100 * Math.abs(x - y)) / Math.abs(y));

/** `rig serve --engine reverb` on the virtual rig, playing `source`, and an offline and a live tuner on the same preset and input. */
class Pair {
  server!: ChildProcess;
  live!: Tuner;
  offline!: Tuner;

  async open(dir: string, source: string[], input: TunerInput): Promise<void> {
    const replyPort = await freeUdpPort();
    this.server = spawn(process.execPath, [RIG, 'serve', '--engine', 'reverb', '--preset', 'small-room', ...source, '--osc-port', '0', '--no-socket',
      '--reply-port', String(replyPort), '--snapshots', join(dir, 'snapshots'), '--user-presets', join(dir, 'user'), '--seconds', '120'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rig serve did not start: ${stderr}`)), 45_000);
      this.server.stderr?.on('data', (d) => {
        stderr += String(d);
        const m = /osc 127\.0\.0\.1:(\d+)/.exec(stderr);
        if (m) { clearTimeout(timer); resolve(Number(m[1])); }
      });
    });
    this.offline = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'small-room', input, windowSeconds: WINDOW_SECONDS });
    this.live = await openTuner({ mode: 'live', engine: 'reverb', preset: 'small-room', windowSeconds: WINDOW_SECONDS, snapshotsDir: join(dir, 'snapshots'), osc: { port, replyPort } });
  }

  /** Both tuners' metrics, after `change` on both (the live one over OSC). */
  async measure(change: Record<string, number>): Promise<[live: TuningMetrics, offline: TuningMetrics]> {
    if (Object.keys(change).length) {
      expect(await this.live.setParams(change)).toMatchObject(change);
      await this.offline.setParams(change);
    }
    return Promise.all([this.live.getMetrics(), this.offline.getMetrics()]);
  }

  async close(): Promise<void> {
    await this.live?.close();
    this.server?.kill('SIGTERM');
  }
}

/**
 * The decay figures are compared on an impulse input (a click every 0.75 s: the server's snapshot holds
 * the response), centroid and loudness on noise (stationary: a periodic click's Welch centroid moves by
 * up to 6 % with where the clicks fall in the window, measured offline, so only a stationary input can
 * compare two windows at unrelated phases). The two servers run side by side.
 */
describe('the same figures offline and live, on rig serve on the virtual rig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tune-rig-serve-'));
  const clicks = new Pair();
  const noise = new Pair();

  beforeAll(async () => {
    const file = join(dir, 'impulses.wav');
    const loop = new Float32Array(PERIOD_SECONDS * FS);
    loop[0] = 1;
    writeWavAtomic(file, { sampleRate: FS, channels: [loop, loop] });
    await Promise.all([
      clicks.open(join(dir, 'clicks'), ['--input', file], { file }),
      noise.open(join(dir, 'noise'), ['--noise', '1'], { signal: 'noise', seed: 1 }),
    ]);
  }, 90_000);
  afterAll(async () => {
    await clicks.close();
    await noise.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([['the preset', {}], ['after a change over OSC', CHANGE]])('agree for %s: T30 within 3 %, centroid within 2 %, loudness within 0.2 LU', async (_, change) => {
    const [[l, o], [ln, on]] = await Promise.all([clicks.measure(change), noise.measure(change)]);
    const figures = {
      t30Seconds: [o.figures.t30Seconds, l.figures.t30Seconds],
      centroidHz: [on.figures.centroidHz, ln.figures.centroidHz],
      integratedLufs: [on.figures.integratedLufs, ln.figures.integratedLufs],
    };
    console.log(`rig serve, ${JSON.stringify(change)}: offline / live ${JSON.stringify(figures)}`);
    expect(l.decaySource).toMatch(/live snapshot/);
    expect(percent(l.figures.t30Seconds, o.figures.t30Seconds)).toBeLessThanOrEqual(LIMITS.t30Percent);
    expect(percent(ln.figures.centroidHz, on.figures.centroidHz)).toBeLessThanOrEqual(LIMITS.centroidPercent);
    expect(Math.abs((ln.figures.integratedLufs ?? Infinity) - (on.figures.integratedLufs ?? -Infinity))).toBeLessThanOrEqual(LIMITS.loudnessLu);
  }, 60_000);
});
