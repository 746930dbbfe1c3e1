import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerXrun, ServerXrunRecord } from '../jack/serverXruns.ts';
import type { DropoutFinding } from '../report/runReport.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario } from './analyzeScenario.ts';
import { calibrate } from './calibrate.ts';
import { attributeDropouts, type ScenarioXrun } from './dropoutAttribution.ts';
import { runScenario } from './runScenario.ts';
import { SCENARIOS_DIR } from './runHil.ts';

const FS = 48000;
const P = 64;
const finding = (startFrame: number, channel = 0): DropoutFinding => ({ channelIndex: channel, startFrame, lengthFrames: 64, atSeconds: startFrame / FS, kind: 'zeroed', detector: 'residual' });
const driver = (frame: number, placedBy: ScenarioXrun['placedBy'] = 'callback'): ScenarioXrun => ({ kind: 'driver', frame, placedBy });
const none = { count: 0, frames: [] };
const rec = (xruns: ScenarioXrun[]) => ({ placedBy: xruns[0]?.placedBy ?? 'callback', xruns });

describe('attributeDropouts: the server\'s dropouts and the environment\'s', () => {
  // Window: 8 periods + 2 ms = 512 + 96 frames at 64 frames / 48 kHz.
  const W = 8 * P + 96;

  it('gives a content event at a driver xrun to the environment, one without to the server', () => {
    const a = attributeDropouts([finding(10_000), finding(10_010, 5), finding(50_000)], rec([driver(10_000 - P)]), none, FS, P);

    expect(a).toMatchObject({ xrunRecord: 'callback', serverEventCount: 1, environmentEventCount: 1, driverXrunCount: 1, outputRingUnderrunCount: 0 });
    expect(a.serverEventSeconds).toEqual([50_000 / FS]);
    expect(a.environmentEventSeconds).toEqual([10_000 / FS]);
    expect(a.matchWindowMs).toBeCloseTo((W * 1000) / FS, 9);
  });

  it('draws the line at the window: just inside explained, just outside not', () => {
    expect(attributeDropouts([finding(20_000 + W)], rec([driver(20_000)]), none, FS, P).environmentEventCount).toBe(1);
    expect(attributeDropouts([finding(20_000 + W + 1)], rec([driver(20_000)]), none, FS, P).serverEventCount).toBe(1);
    expect(attributeDropouts([finding(20_000 - W - 1)], rec([driver(20_000)]), none, FS, P).serverEventCount).toBe(1);
  });

  it('places a log-only xrun before its line (which arrives late), never long after it', () => {
    const log = driver(30_000, 'log');
    expect(attributeDropouts([finding(30_000 - 0.2 * FS)], rec([log]), none, FS, P).environmentEventCount).toBe(1);
    expect(attributeDropouts([finding(30_000 - 0.3 * FS)], rec([log]), none, FS, P).serverEventCount).toBe(1);
    expect(attributeDropouts([finding(30_000 + W + 1)], rec([log]), none, FS, P).serverEventCount).toBe(1);
  });

  it('excuses nothing by a client xrun, an unknown one, an underrun of the output ring at the same place, or no record', () => {
    const at = 40_000;
    expect(attributeDropouts([finding(at)], rec([{ kind: 'client', frame: at, placedBy: 'callback' }]), none, FS, P).serverEventCount).toBe(1);
    expect(attributeDropouts([finding(at)], rec([{ kind: 'unknown', frame: at, placedBy: 'callback' }]), none, FS, P).serverEventCount).toBe(1);
    const withUnderrun = attributeDropouts([finding(at)], rec([driver(at)]), { count: 1, frames: [at - P] }, FS, P);
    expect(withUnderrun).toMatchObject({ serverEventCount: 1, environmentEventCount: 0, outputRingUnderrunCount: 1 });
    expect(attributeDropouts([finding(at)], rec([driver(at)]), { count: 3, frames: null }, FS, P).serverEventCount).toBe(1);
    expect(attributeDropouts([finding(at)], null, none, FS, P)).toMatchObject({ xrunRecord: 'none', serverEventCount: 1, environmentEventCount: 0 });
  });
});

/**
 * The sweep's first 12 bursts (1.76 s with its 1 s tail instead of the whole 4.5 s sweep): the dropout is in
 * burst 4, the far xrun 1 s after it — both inside the run, the far one 40 times the matching window away.
 */
function sweepStart(dir: string) {
  const json = JSON.parse(readFileSync(join(SCENARIOS_DIR, 'sweep-32.json'), 'utf8'));
  json.timeline[0].count = 12;
  delete json.$schema;
  const file = join(dir, 'sweep-start.json');
  writeFileSync(file, JSON.stringify(json));
  return loadScenario(file);
}

describe('the xrun split end to end: a virtual rig with an injected dropout and an xrun record', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xrun-split-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the dropout budget when a driver xrun explains the dropout, fails it when the record has none there', async () => {
    const RP = 128;
    const paths = (await calibrate(new VirtualRig({ latencySamples: 128 }), [0, 1, 2, 3])).paths;
    // A 64-frame zeroed block inside burst 4 of the sweep (input frames from the stream's start; the scenario starts one period in).
    const atFrame = RP + Math.round((50 + 61.7 * 4 + 12) * FS / 1000) + 128 + RP;
    const scenarioFrame = atFrame - RP;
    // The rig's record: a driver xrun one loop period before the break shows, on the stream clock (as the native client records it).
    const record = (kind: ServerXrun['kind'], frame: number): ServerXrunRecord => ({ placedBy: 'callback', xruns: [{ kind, frame, hostMs: 0 }] });
    const rigWith = (xruns: ServerXrunRecord) => Object.create(new VirtualRig({ latencySamples: 128, faults: [{ kind: 'zero', atFrame, lengthFrames: 64 }] }), {
      serverXruns: { value: () => xruns },
    }) as VirtualRig;
    const scenario = sweepStart(dir);

    const explained = await runScenario(rigWith(record('driver', atFrame - RP)), scenario);
    const a = analyzeScenario(explained, paths, RP, RP).result;

    expect(explained.serverXrunEvents).toEqual({ placedBy: 'callback', xruns: [{ kind: 'driver', frame: scenarioFrame - RP, placedBy: 'callback' }] });
    expect(a.dropouts.filter((d) => d.detector === 'residual').length).toBe(paths.length); // the fault is there, on every path
    expect(a.dropoutAttribution).toMatchObject({ serverEventCount: 0, environmentEventCount: 1, driverXrunCount: 1 });
    expect(a.budgets.find((b) => b.key === 'dropoutCount')).toMatchObject({ measured: 0, passed: true });

    // The same dropout with the xrun elsewhere (1 s later), or a client xrun at the moment: the server's, and the budget fails.
    expect(atFrame + FS).toBeLessThan(scenario.durationFrames);
    for (const xruns of [record('driver', atFrame + FS), record('client', atFrame - RP)]) {
      const run = await runScenario(rigWith(xruns), scenario);
      const r = analyzeScenario(run, paths, RP, RP).result;
      expect(r.dropoutAttribution, JSON.stringify(xruns)).toMatchObject({ serverEventCount: 1, environmentEventCount: 0 });
      expect(r.budgets.find((b) => b.key === 'dropoutCount')).toMatchObject({ measured: 1, passed: false });
    }
  }, 120_000);
});
