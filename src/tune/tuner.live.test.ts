import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS_DIR } from '../presets/workspace.ts';
import { LiveStandIn } from './liveStandIn.fixture.ts';
import { openTuner, type Tuner } from './tuner.ts';
import { inputLoop, type TunerInput } from './tunerInput.ts';
import type { TuningMetrics } from './tuningMetrics.ts';

/** Offline and live must agree this closely (the tolerances). */
const LIMITS = { t30Percent: 3, centroidPercent: 2, loudnessLu: 0.2 };

const INPUT: TunerInput = { signal: 'impulses', periodSeconds: 2 };
const WINDOW_SECONDS = 4;

function agreement(a: TuningMetrics, b: TuningMetrics) {
  const pct = (x: number | null, y: number | null) => (x === null || y === null ? Infinity : (100 * Math.abs(x - y)) / Math.abs(y));
  return {
    t30Percent: pct(a.figures.t30Seconds, b.figures.t30Seconds),
    centroidPercent: pct(a.figures.centroidHz, b.figures.centroidHz),
    loudnessLu: a.figures.integratedLufs === null || b.figures.integratedLufs === null ? Infinity : Math.abs(a.figures.integratedLufs - b.figures.integratedLufs),
  };
}

describe('the live tuner against an OSC stand-in of rig serve', () => {
  const presetsDir = mkdtempSync(join(tmpdir(), 'tune-live-presets-'));
  let standIn: LiveStandIn;
  let live: Tuner;
  let offline: Tuner;

  beforeAll(async () => {
    mkdirSync(join(presetsDir, 'reverb'));
    for (const p of ['small-room', 'vocal-booth']) copyFileSync(join(PRESETS_DIR, 'reverb', `${p}.json`), join(presetsDir, 'reverb', `${p}.json`));
    offline = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'small-room', input: INPUT, windowSeconds: WINDOW_SECONDS, presetsDir });
    // The server's loop is at an arbitrary phase (0.7 s) when the snapshot is taken.
    standIn = new LiveStandIn({ engine: 'reverb', input: inputLoop(INPUT, 2), replyPort: 0, presetsDir, phaseFrames: 33600 });
    const port = await standIn.start();
    live = await openTuner({ mode: 'live', engine: 'reverb', preset: 'small-room', windowSeconds: WINDOW_SECONDS, presetsDir, snapshotsDir: standIn.snapshotsDir, osc: { port, replyPort: 0, settleMs: 0, timeoutMs: 2000 } });
  });
  afterAll(async () => {
    await live?.close();
    await standIn?.stop();
    rmSync(presetsDir, { recursive: true, force: true });
  });

  it('gives the same parameters and the same figures as the offline tuner, within the stated limits', async () => {
    expect(await live.getParams()).toEqual(await offline.getParams());
    const a = agreement(await live.getMetrics(), await offline.getMetrics());
    expect(a.t30Percent).toBeLessThanOrEqual(LIMITS.t30Percent);
    expect(a.centroidPercent).toBeLessThanOrEqual(LIMITS.centroidPercent);
    expect(a.loudnessLu).toBeLessThanOrEqual(LIMITS.loudnessLu);
    expect((await live.getMetrics()).decaySource).toMatch(/impulse at .* of the live snapshot/);
  });

  it('sets parameters over OSC and still agrees after the change', async () => {
    const change = { rt60Seconds: 0.8, wetDry: 0.5 };
    const values = await live.setParams(change);
    expect(values).toMatchObject(change);
    await offline.setParams(change);
    const [l, o] = [await live.getMetrics(), await offline.getMetrics()];
    expect(l.figures.t30Seconds).toBeGreaterThan(0.5);
    const a = agreement(l, o);
    expect(a.t30Percent).toBeLessThanOrEqual(LIMITS.t30Percent);
    expect(a.centroidPercent).toBeLessThanOrEqual(LIMITS.centroidPercent);
    expect(a.loudnessLu).toBeLessThanOrEqual(LIMITS.loudnessLu);
    expect(live.describe(l).join('\n')).toMatch(/longer tail: T30 \+/);
  });

  it('refuses an out-of-range value before sending it, with the same message offline and live', async () => {
    const sent = standIn.received.length;
    const liveError = await live.setParams({ wetDry: 2 }).catch((e: Error) => e.message);
    const offlineError = await offline.setParams({ wetDry: 2 }).catch((e: Error) => e.message);
    expect(liveError).toBe('reverb parameters: wetDry: got 2, allowed 0…1');
    expect(offlineError).toBe(liveError);
    expect(standIn.received.length).toBe(sent);
  });

  it("reports the server's error message when the server refuses a value", async () => {
    // A low target the lines' shelf cannot meet passes the range check and is refused by the whole-schema check on the server.
    const error = await live.setParams({ rt60LowSeconds: 30 }).catch((e: Error) => e.message);
    expect(error).toMatch(/the server answered: .*rt60LowSeconds/);
  });

  it('loads a preset on the server and refuses an unknown one with the known names', async () => {
    const values = await live.loadPreset('vocal-booth');
    expect(values).toEqual(await offline.loadPreset('vocal-booth'));
    await expect(live.loadPreset('no-such-room')).rejects.toThrow(/no such preset; reverb presets: small-room, vocal-booth/);
  });

  it('saves a preset through the server, and refuses a name that is a path', async () => {
    await live.savePreset('tuned-live');
    expect(existsSync(join(presetsDir, 'reverb', 'tuned-live.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(presetsDir, 'reverb', 'tuned-live.json'), 'utf8')).engine).toBe('reverb');
    await expect(live.savePreset('../escape')).rejects.toThrow(/a name, not a path/);
  });

  it('says why the decay is not measured live when the server plays no impulses', async () => {
    const noise = new LiveStandIn({ engine: 'reverb', input: inputLoop({ signal: 'noise' }, 2), replyPort: 0, presetsDir, warmupSeconds: 1 });
    const port = await noise.start();
    const t = await openTuner({ mode: 'live', engine: 'reverb', windowSeconds: 1, presetsDir, snapshotsDir: noise.snapshotsDir, osc: { port, replyPort: 0, settleMs: 0 } });
    try {
      const m = await t.getMetrics();
      expect(m.figures.t30Seconds).toBeNull();
      expect(m.unmeasured.t30Seconds).toMatch(/no impulse followed by/);
      expect(m.figures.centroidHz).not.toBeNull();
    } finally {
      await t.close();
      await noise.stop();
    }
  });

  it('reads every part of a params reply the server split into a bundle', async () => {
    // Two pairs a message: the reverb's ~20 values come as a bundle of ~10 messages (the server splits past 100).
    const split = new LiveStandIn({ engine: 'reverb', preset: 'small-room', input: inputLoop({ signal: 'noise' }, 2), replyPort: 0, presetsDir, pairsPerMessage: 2 });
    const port = await split.start();
    const t = await openTuner({ mode: 'live', engine: 'reverb', windowSeconds: 1, presetsDir, snapshotsDir: split.snapshotsDir, osc: { port, replyPort: 0, settleMs: 0 } });
    const fresh = await openTuner({ mode: 'offline', engine: 'reverb', preset: 'small-room', input: INPUT, windowSeconds: 1, presetsDir });
    try {
      expect(await t.getParams()).toEqual(await fresh.getParams());
      expect(await t.setParams({ rt60Seconds: 1.7 })).toMatchObject({ rt60Seconds: 1.7 });
    } finally {
      await t.close();
      await fresh.close();
      await split.stop();
    }
  });

  it('refuses a snapshot reply naming a file outside the snapshots folder, and reads nothing', async () => {
    for (const names of [['../../etc/passwd', 'x-out.wav'], ['x-in.wav', '/etc/passwd'], ['/tmp/elsewhere/x-in.wav', '/tmp/elsewhere/x-out.wav']] as [string, string][]) {
      const hostile = new LiveStandIn({ engine: 'reverb', input: inputLoop({ signal: 'noise' }, 2), replyPort: 0, presetsDir, warmupSeconds: 0, snapshotNames: names });
      const port = await hostile.start();
      const t = await openTuner({ mode: 'live', engine: 'reverb', windowSeconds: 0.5, presetsDir, snapshotsDir: hostile.snapshotsDir, osc: { port, replyPort: 0, settleMs: 0 } });
      try {
        const bad = names.find((n) => n.includes('/')) ?? names[0];
        await expect(t.getMetrics(), names.join(' ')).rejects.toThrow(`snapshot file ${JSON.stringify(bad)}`);
        await expect(t.getMetrics()).rejects.toThrow(/allowed: a snapshot WAV in /);
      } finally {
        await t.close();
        await hostile.stop();
      }
    }
  });

  it('names the address and the port when no server answers', async () => {
    await expect(openTuner({ mode: 'live', engine: 'reverb', osc: { port: 9, replyPort: 0, timeoutMs: 200 } }))
      .rejects.toThrow(/no reply to \/reverb\/params\/get from 127\.0\.0\.1:9 within 200 ms/);
  });
});
