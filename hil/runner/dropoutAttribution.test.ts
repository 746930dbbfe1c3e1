import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServerXrun, ServerXrunRecord } from '../jack/serverXruns.ts';
import type { DropoutFinding } from '../report/runReport.ts';
import { VirtualRig } from '../rigs/virtualRig.ts';
import { loadScenario } from '../scenario/loadScenario.ts';
import { analyzeScenario, channelResidualDb } from './analyzeScenario.ts';
import { calibrate } from './calibrate.ts';
import type { LateBlock } from '../../src/host/lateBlocks.ts';
import { attributeDropouts, attributeRunDropouts, OWN_WORK_ALLOWANCE_MS, environmentSpans, inSpans, overlapsSpans, runEnvironmentSpans, type ScenarioStallRecord, type ScenarioXrun, scenarioStalls } from './dropoutAttribution.ts';
import type { ChannelPath } from './latencyMeasurement.ts';
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

  it('treats a frame jump (cycles JACK ran without our callback, unreported) as a driver xrun, counted apart', () => {
    const jump: ScenarioXrun = { kind: 'jump', frame: 30_000, placedBy: 'callback', stepFrames: 2 * P };
    const a = attributeDropouts([finding(30_000 + P), finding(90_000)], rec([jump]), none, FS, P);

    expect(a).toMatchObject({ serverEventCount: 1, environmentEventCount: 1, driverXrunCount: 0, frameJumpCount: 1, frameJumpSeconds: [30_000 / FS], frameJumpSteps: [2 * P] });
    // A client xrun is no excuse: the same event beside one is the server's.
    const besideClient = attributeDropouts([finding(30_000 + P)], rec([{ ...jump, kind: 'client' }]), none, FS, P);
    expect(besideClient).toMatchObject({ serverEventCount: 1, clientXrunCount: 1, clientXrunSeconds: [30_000 / FS] });
    // The underrun a jump causes (the block for the frame after it is not made yet) is not the server's; one
    // after the cushion + 2 periods past where it landed (a period after the expected frame) is, and so is the event beside it.
    const caused = attributeDropouts([finding(30_000 + P)], rec([jump]), { count: 1, frames: [30_000 + 2 * P] }, FS, P);
    expect(caused).toMatchObject({ serverUnderrunCount: 0, machineUnderrunCount: 1, serverEventCount: 0, environmentEventCount: 1 });
    const later = attributeDropouts([finding(30_000 + 6 * P)], rec([jump]), { count: 1, frames: [30_000 + 6 * P] }, FS, P);
    expect(later).toMatchObject({ serverUnderrunCount: 1, serverEventCount: 1 });
  });

  it('gives whole-frame spans for moments placed between frames, which the content residual reads', () => {
    // A stall or an xrun placed by a clock falls between frames (jackClient.c's streamFrameNow, jackd's log
    // through the clock map): a fractional span bound made the residual index a Float32Array at 79 721.312
    // and come out NaN, reported as "not measured" on every channel.
    const stall: ScenarioStallRecord = { realtime: true, maxLateMs: 6.3, stalls: [{ startFrame: 20_000.4, endFrame: 20_300.6 }] };
    const { spans } = environmentSpans(rec([driver(10_000.312), driver(40_000.5, 'log')]), none, FS, P, stall);
    expect(spans.length).toBe(3);
    for (const s of spans) expect([s.start, s.end].every(Number.isInteger), JSON.stringify(spans)).toBe(true);
    expect(spans[0].start).toBeLessThanOrEqual(10_000.312 - W);
    expect(spans[0].end).toBeGreaterThanOrEqual(10_000.312 + W + 1);
    const render = Float32Array.from({ length: 60_000 }, (_, n) => Math.sin(0.01 * n));
    const capture = render.slice();
    capture.fill(0, 10_000, 10_064); // a dropout inside the excused span
    const path: ChannelPath = { output: 0, input: 0, totalDelayFrames: 0, deviceDelayFrames: 0, inverted: false, gain: 1 };
    const r = channelResidualDb(capture, render, path, spans);
    expect(r.db).not.toBeNull();
    expect(r.db!).toBeLessThan(-100);
    expect(r.withExcludedDb!).toBeGreaterThan(-40);
  });

  it('a long jump excuses the frames it skipped and the underruns up to just after where it landed', () => {
    // JACK ran 19 cycles without our callback: the stream frame moved 20 periods at frame 30 000.
    const jump: ScenarioXrun = { kind: 'jump', frame: 30_000, placedBy: 'callback', stepFrames: 20 * P };
    const landing = 30_000 + 19 * P;
    expect(15 * P).toBeGreaterThan(W);
    const a = attributeDropouts([finding(30_000 + 15 * P), finding(landing + W + 2 * P)], rec([jump]), { count: 2, frames: [landing, landing + 2 * P] }, FS, P);
    expect(a).toMatchObject({ environmentEventCount: 1, serverEventCount: 1, machineUnderrunCount: 2, serverUnderrunCount: 0 });
    expect(a.serverEventSeconds).toEqual([(landing + W + 2 * P) / FS]);
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

describe('attributeDropouts: underruns and events during a stall of the machine (the sentinel\'s record)', () => {
  // Cushion: the render-ahead fill, 2 periods = 128 frames (2.67 ms); a stall must cover at least that.
  const C = 2 * P;
  const stall = (startFrame: number, endFrame: number, realtime = true): ScenarioStallRecord => ({ realtime, maxLateMs: ((endFrame - startFrame) * 1000) / FS, stalls: [{ startFrame, endFrame }] });

  it('gives an underrun inside a stall of at least the cushion to the machine, and the event it caused to the environment', () => {
    const a = attributeDropouts([finding(100_000 + P)], null, { count: 2, frames: [100_000, 100_000 + P] }, FS, P, stall(99_900, 99_900 + 5 * C), C);

    expect(a).toMatchObject({ machineStalls: 'realtime', machineStallCount: 1, machineUnderrunCount: 2, serverUnderrunCount: 0, outputRingUnderrunCount: 2 });
    expect(a).toMatchObject({ serverEventCount: 0, environmentEventCount: 1 });
    expect(a.cushionMs).toBeCloseTo((C * 1000) / FS, 9);
  });

  it('excuses nothing by a stall one frame short of the cushion: the renderer had time left', () => {
    const a = attributeDropouts([finding(100_000 + P)], null, { count: 1, frames: [100_000] }, FS, P, stall(99_950, 99_950 + C - 1), C);

    expect(a).toMatchObject({ machineStallCount: 0, machineUnderrunCount: 0, serverUnderrunCount: 1, serverEventCount: 1, environmentEventCount: 0 });
    expect(attributeDropouts([finding(100_000 + P)], null, { count: 1, frames: [100_000] }, FS, P, stall(99_950, 99_950 + C), C).serverUnderrunCount).toBe(0);
  });

  it('draws the underrun\'s line at the cushion before the stall and cushion + 2 periods after it', () => {
    const s = stall(200_000, 200_000 + 4 * C);
    const whose = (u: number) => attributeDropouts([], null, { count: 1, frames: [u] }, FS, P, s, C).serverUnderrunCount;
    expect(whose(200_000 - C)).toBe(0);
    expect(whose(200_000 - C - 1)).toBe(1);
    expect(whose(200_000 + 4 * C + C + 2 * P)).toBe(0);
    expect(whose(200_000 + 4 * C + C + 2 * P + 1)).toBe(1);
  });

  it('lets a server underrun outside the stall keep a nearby event the server\'s, and a sentinel without real-time priority excuse nothing', () => {
    const s = stall(300_000, 300_000 + 4 * C);
    const u = 300_000 + 4 * C + C + 2 * P + 10; // just past the stall's catch-up: the server's
    const a = attributeDropouts([finding(u + P)], null, { count: 1, frames: [u] }, FS, P, s, C);
    expect(a).toMatchObject({ serverUnderrunCount: 1, serverEventCount: 1, environmentEventCount: 0 });

    const normal = attributeDropouts([finding(300_000 + P)], null, { count: 1, frames: [300_000] }, FS, P, stall(300_000 - C, 300_000 + 4 * C, false), C);
    expect(normal).toMatchObject({ machineStalls: 'not-realtime', machineStallCount: 0, serverUnderrunCount: 1, serverEventCount: 1 });
  });

  it('places the sentinel\'s stalls on the scenario\'s frames: from one interval before the missed deadline to the wake-up', () => {
    const r = scenarioStalls({ realtime: true, maxLateUs: 5000, intervalUs: 500, stalls: [{ frame: 1_048_000, lateUs: 5000 }, { frame: -1, lateUs: 900 }] }, 1_000_000, FS);

    expect(r).toEqual({ realtime: true, maxLateMs: 5, stalls: [{ startFrame: 48_000 - 264, endFrame: 48_000 }] });
  });
});

/** A late-block record; its split into own work, held and waited unmeasured (NaN) unless given. */
const lateBlock = (b: Omit<LateBlock, 'ownMs' | 'heldMs' | 'waitedMs'> & Partial<LateBlock>): LateBlock => ({ ownMs: NaN, heldMs: NaN, waitedMs: NaN, ...b });

describe('attributeRunDropouts: why each of the server\'s underruns happened (the host\'s late-block record)', () => {
  const periodMs = (P * 1000) / FS;
  it('tells a slow block from a late start, says when there is no record, and leaves the machine\'s underruns out', () => {
    const stalls: ScenarioStallRecord = { realtime: true, maxLateMs: 10, stalls: [{ startFrame: 199_000, endFrame: 199_000 + 480 }] };
    const run = {
      outputUnderrunFrames: [10_000, 20_000, 30_000, 199_200], machineStalls: stalls, status: { counts: { underruns: 4 } }, lateBlocksLost: 3,
      lateBlocks: [
        lateBlock({ outputFrame: 10_000, startLagMs: 0.2, blockMs: 3.1, marginMs: -0.6 }), // took longer than a period (1.33 ms)
        lateBlock({ outputFrame: 20_000, startLagMs: 3.5, blockMs: 0.3, marginMs: -1.1 }), // quick, but began after its cushion
        lateBlock({ outputFrame: 199_200, startLagMs: 9, blockMs: 0.3, marginMs: -6 }), // in the machine's stall: not the server's
        lateBlock({ outputFrame: 50_000, startLagMs: 1, blockMs: 1, marginMs: 0.6 }), // a near miss with no underrun
      ],
    };
    const a = attributeRunDropouts([], run, FS, P, 2 * P);

    expect(a).toMatchObject({ serverUnderrunCount: 3, machineUnderrunCount: 1, serverUnderrunSlowBlockCount: 1, serverUnderrunLateStartCount: 1, serverUnderrunNoRecordCount: 1, lateBlockRecordsLost: 3 });
    // Beside each, the one stall the sentinel recorded (starting 189 000, 179 000 and 169 000 frames after it, 10 ms
    // long); no xrun record, so no driver xrun field.
    const stall = (framesAfter: number) => ({ nearestStall: { startMs: (framesAfter * 1000) / FS, lengthMs: 10 } });
    expect(a.serverUnderruns).toEqual([
      { seconds: 10_000 / FS, startLagMs: 0.2, blockMs: 3.1, marginMs: -0.6, ownMs: null, heldMs: null, waitedMs: null, ...stall(189_000) },
      { seconds: 20_000 / FS, startLagMs: 3.5, blockMs: 0.3, marginMs: -1.1, ownMs: null, heldMs: null, waitedMs: null, ...stall(179_000) },
      { seconds: 30_000 / FS, startLagMs: null, blockMs: null, marginMs: null, ownMs: null, heldMs: null, waitedMs: null, ...stall(169_000) },
    ]);
    expect(periodMs).toBeLessThan(3.1);
    // Without a record (rigs that keep none) the attribution has no causes at all.
    expect(attributeRunDropouts([], { ...run, lateBlocks: null }, FS, P, 2 * P).serverUnderruns).toBeUndefined();
  });

  it('lists beside each of the server\'s underruns the nearest stall (any length) and the nearest driver xrun or jump, signed', () => {
    // A slow block (31 ms of the thread's own work) due at 100 000. The sentinel saw a 1 ms stall 40 ms before it
    // (shorter than the 2-period cushion: excuses nothing) and a 30 ms one 2 s later; jackd a driver xrun 0.5 s
    // before and a frame jump 20 periods after. The underrun stays the server's; the nearest records say why.
    const u = 100_000;
    const ms = (frames: number) => (frames * 1000) / FS;
    const stalls: ScenarioStallRecord = { realtime: true, maxLateMs: 30, stalls: [
      { startFrame: u - 1920 - 48, endFrame: u - 1920 }, { startFrame: u + 96_000, endFrame: u + 96_000 + 1440 },
    ] };
    const xruns: ScenarioXrun[] = [{ kind: 'driver', frame: u - 24_000, placedBy: 'callback' }, { kind: 'jump', frame: u + 20 * P, placedBy: 'callback', stepFrames: 2 * P }];
    const run = {
      outputUnderrunFrames: [u], machineStalls: stalls, serverXrunEvents: { placedBy: 'callback' as const, xruns }, status: { counts: { underruns: 1 } },
      lateBlocks: [lateBlock({ outputFrame: u, startLagMs: 0.8, blockMs: 31.4, marginMs: -29.6, ownMs: 31.3, heldMs: 0.3, waitedMs: 0 })],
    };
    const a = attributeRunDropouts([], run, FS, P, 2 * P);
    expect(a).toMatchObject({ serverUnderrunCount: 1, serverUnderrunSlowBlockCount: 1 });
    expect(a.serverUnderruns?.[0]).toMatchObject({ nearestStall: { startMs: ms(-1968), lengthMs: 1 }, nearestDriverXrunMs: ms(20 * P) });
    // The same with no stall and no xrun in the records: null, not left out (the records were kept).
    const bare = attributeRunDropouts([], { ...run, machineStalls: { ...stalls, stalls: [] }, serverXrunEvents: { placedBy: 'callback' as const, xruns: [] } }, FS, P, 2 * P);
    expect(bare.serverUnderruns?.[0]).toMatchObject({ nearestStall: null, nearestDriverXrunMs: null });
  });

  it('gives the machine an underrun whose block was on time by its input cycle\'s clock (the cycle came early), and the event at it', () => {
    // Two underruns, neither in a stall: the block due at 10 000 took too long (the server's); the one due at
    // 20 000 finished 0.31 ms before its deadline (entry of its input cycle + the nominal periods) and still
    // missed, so its cycle came sooner than that. A content event at each, a driver xrun beside the second.
    const findings = [10_000 + 70, 20_000 + 70].map((f) => ({ channelIndex: 0, startFrame: f, lengthFrames: 64, atSeconds: f / FS, kind: 'zeroed' as const, detector: 'residual' as const }));
    const run = {
      outputUnderrunFrames: [10_000, 20_000], status: { counts: { underruns: 2 } },
      serverXrunEvents: rec([driver(20_000 + 77)]),
      lateBlocks: [
        lateBlock({ outputFrame: 10_000, startLagMs: 0.7, blockMs: 2.1, marginMs: -0.1 }),
        lateBlock({ outputFrame: 20_000, startLagMs: 0.68, blockMs: 1.68, marginMs: 0.31 }),
      ],
    };
    const a = attributeRunDropouts(findings, run, FS, P, 2 * P);
    expect(a).toMatchObject({ serverUnderrunCount: 1, machineUnderrunCount: 1, earlyCycleUnderrunCount: 1, serverEventCount: 1, environmentEventCount: 1, serverUnderrunSlowBlockCount: 1 });
    expect(a.serverUnderruns!.map((u) => u.seconds)).toEqual([10_000 / FS]);
    // The residual leaves the second event's frames out, as the attribution excuses it.
    expect(runEnvironmentSpans(run, FS, P, 2 * P).some((x) => x.start <= 20_070 && x.end > 20_070)).toBe(true);
    // Without the record (or with the block late by its own clock) it is the server's, and so is the event.
    expect(attributeRunDropouts(findings, { ...run, lateBlocks: null }, FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 2, serverEventCount: 2, earlyCycleUnderrunCount: 0 });
    const late = { ...run, lateBlocks: [run.lateBlocks[0], { ...run.lateBlocks[1], marginMs: -0.01 }] };
    expect(attributeRunDropouts(findings, late, FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 2, serverEventCount: 2 });
  });

  it('gives the machine an underrun whose block\'s own work and waits fitted its cushion while the machine held its thread, and the event at it; not one that needed more, or was not measured', () => {
    // Cushion 2 periods = 2.67 ms. The block due at 20 000 missed by 0.3 ms: its thread's own work since the input
    // was 0.1 ms, the machine held it 2.9 ms (a late wake-up: traced here as a halted vCPU). The event at it with no
    // xrun or stall anywhere near is the machine's too.
    const cushionMs = (2 * P * 1000) / FS;
    const event = [{ channelIndex: 0, startFrame: 20_000 + 70, lengthFrames: 64, atSeconds: (20_000 + 70) / FS, kind: 'zeroed' as const, detector: 'residual' as const }];
    const heldBlock = lateBlock({ outputFrame: 20_000, startLagMs: 2.9, blockMs: 0.05, marginMs: -0.3, ownMs: 0.1, heldMs: 2.9, waitedMs: 0.01 });
    const run = (b: LateBlock) => ({ outputUnderrunFrames: [20_000], status: { counts: { underruns: 1 } }, lateBlocks: [b] });
    expect(attributeRunDropouts(event, run(heldBlock), FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 0, machineUnderrunCount: 1, heldUnderrunCount: 1, serverEventCount: 0, environmentEventCount: 1 });
    expect(runEnvironmentSpans(run(heldBlock), FS, P, 2 * P).some((x) => x.start <= 20_070 && x.end > 20_070)).toBe(true);
    // Its own work and waits at the bound (cushion − allowance) are still the machine's; a µs more is the server's.
    const atBound = cushionMs - OWN_WORK_ALLOWANCE_MS;
    expect(attributeRunDropouts([], run({ ...heldBlock, ownMs: atBound - 0.01 }), FS, P, 2 * P)).toMatchObject({ heldUnderrunCount: 1, serverUnderrunCount: 0 });
    for (const [why, b] of [
      ['its own work took the cushion', { ...heldBlock, ownMs: atBound - 0.01 + 0.001 }],
      ['it waited on something else', { ...heldBlock, waitedMs: atBound - 0.1 + 0.001 }],
      ['not measured', { ...heldBlock, ownMs: NaN }],
      ['not measured', { ...heldBlock, waitedMs: NaN }],
      ['it made its deadline', { ...heldBlock, marginMs: 0.01, startLagMs: 2 }],
    ] as const) {
      const a = attributeRunDropouts(event, run(b), FS, P, 2 * P);
      expect(a, why).toMatchObject({ heldUnderrunCount: 0, serverEventCount: b.marginMs >= 0 ? 0 : 1 });
      if (b.marginMs < 0) expect(a.serverUnderruns![0], why).toMatchObject({ ownMs: Number.isNaN(b.ownMs) ? null : b.ownMs, heldMs: 2.9 });
    }
  });

  it('gives the machine an underrun with no record (its block had half a period to spare) only where its cycle measurably came early', () => {
    // The second block has no record: it finished with at least P/2 to spare by its input cycle's clock. Its
    // cycle's entry came 1.2 periods after its input's (the buffering is 2): early enough to miss it.
    const run = {
      outputUnderrunFrames: [10_000, 20_000], status: { counts: { underruns: 2 } },
      lateBlocks: [lateBlock({ outputFrame: 10_000, startLagMs: 0.7, blockMs: 2.1, marginMs: -0.1 })],
      underrunCycleGapFrames: [2 * P, 1.2 * P],
    };
    expect(attributeRunDropouts([], run, FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 1, earlyCycleUnderrunCount: 1, serverUnderrunNoRecordCount: 0 });
    // The cycle on time (gap = the buffering), no gap known, or records lost: nothing explains it — the server's.
    for (const r of [{ ...run, underrunCycleGapFrames: [2 * P, 2 * P] }, { ...run, underrunCycleGapFrames: [2 * P, null] }, { ...run, lateBlocksLost: 1 }]) {
      expect(attributeRunDropouts([], r, FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 2, earlyCycleUnderrunCount: 0, serverUnderrunNoRecordCount: 1 });
    }
    // The report gives each of the server's underruns its cycle gap: here the buffering, on time.
    expect(attributeRunDropouts([], { ...run, underrunCycleGapFrames: [2 * P, 2 * P] }, FS, P, 2 * P).serverUnderruns!.map((u) => u.cycleGapMs))
      .toEqual([(2 * P * 1000) / FS, (2 * P * 1000) / FS]);
    // The content event at it is the environment's too, with no xrun, jump or stall anywhere near (the late
    // cycle before an early one often stays under jackd's xrun threshold); not when the gap says on time.
    const event = [{ channelIndex: 0, startFrame: 20_000 + 70, lengthFrames: 64, atSeconds: (20_000 + 70) / FS, kind: 'zeroed' as const, detector: 'residual' as const }];
    expect(attributeRunDropouts(event, run, FS, P, 2 * P)).toMatchObject({ serverEventCount: 0, environmentEventCount: 1 });
    expect(attributeRunDropouts(event, { ...run, underrunCycleGapFrames: [2 * P, 2 * P] }, FS, P, 2 * P)).toMatchObject({ serverEventCount: 1, environmentEventCount: 0 });
    // Just early enough: half a period sooner than the buffering.
    expect(attributeRunDropouts([], { ...run, underrunCycleGapFrames: [2 * P, 1.5 * P] }, FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 1 });
    expect(attributeRunDropouts([], { ...run, underrunCycleGapFrames: [2 * P, 1.5 * P + 1] }, FS, P, 2 * P)).toMatchObject({ serverUnderrunCount: 2 });
  });

  it('takes the render delay off the cushion, for the attribution and the residual\'s spans alike', () => {
    // Stream buffering 2 periods, rendered half a period after the cycle: the cushion is 1.5 periods (96 frames).
    const delay = P / 2;
    const stallFrames = 2 * P - delay; // covers the delayed cushion, one period short of the buffering
    const run = {
      outputUnderrunFrames: [100_000], machineStalls: { realtime: true, maxLateMs: (stallFrames * 1000) / FS, stalls: [{ startFrame: 99_950, endFrame: 99_950 + stallFrames }] },
      status: { counts: { underruns: 1 } },
    };
    const delayed = attributeRunDropouts([], { ...run, renderDelayFrames: delay }, FS, P, 2 * P);
    expect(delayed).toMatchObject({ machineUnderrunCount: 1, serverUnderrunCount: 0, machineStallCount: 1 });
    expect(delayed.cushionMs).toBeCloseTo((stallFrames * 1000) / FS, 9);
    expect(attributeRunDropouts([], run, FS, P, 2 * P)).toMatchObject({ machineUnderrunCount: 0, serverUnderrunCount: 1, machineStallCount: 0 });
    // The content residual leaves out the same stall's frames only where the attribution counts it.
    const noUnderrun = { ...run, outputUnderrunFrames: [], status: { counts: { underruns: 0 } } };
    expect(runEnvironmentSpans({ ...noUnderrun, renderDelayFrames: delay }, FS, P, 2 * P).length).toBe(1);
    expect(runEnvironmentSpans(noUnderrun, FS, P, 2 * P)).toEqual([]);
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
    // The content residual leaves the same moment out (one definition: environmentSpans), and keeps the figure with it beside.
    const W = (8 * RP + 96) / FS;
    expect(a.content.excludedSeconds).toBeCloseTo(2 * W + 1 / FS, 9);
    expect(a.content.worstResidualWithExcludedDb!).toBeGreaterThan(-40);
    expect(a.content.worstResidualDb!).toBeLessThan(-100);
    expect(a.budgets.find((b) => b.key === 'worstResidualDb')).toMatchObject({ passed: true });

    // The same dropout with the xrun elsewhere (1 s later), or a client xrun at the moment: the server's, and the budget fails.
    expect(atFrame + FS).toBeLessThan(scenario.durationFrames);
    for (const xruns of [record('driver', atFrame + FS), record('client', atFrame - RP)]) {
      const run = await runScenario(rigWith(xruns), scenario);
      const r = analyzeScenario(run, paths, RP, RP).result;
      expect(r.dropoutAttribution, JSON.stringify(xruns)).toMatchObject({ serverEventCount: 1, environmentEventCount: 0 });
      expect(r.budgets.find((b) => b.key === 'dropoutCount')).toMatchObject({ measured: 1, passed: false });
      expect(r.budgets.find((b) => b.key === 'worstResidualDb')).toMatchObject({ passed: false });
    }
  }, 120_000);
});

describe('inSpans and overlapsSpans: a frame, or a read [start, end), against sorted disjoint spans', () => {
  const spans = [{ start: 10, end: 20 }, { start: 30, end: 40 }];
  it('finds a frame inside a span, half-open', () => {
    expect([9, 10, 19, 20, 29, 30, 39, 40].map((f) => inSpans(spans, f))).toEqual([false, true, true, false, false, true, true, false]);
  });
  it('finds a read that meets a span, and none that only touches one or lies between', () => {
    expect(overlapsSpans(spans, 0, 10)).toBe(false);
    expect(overlapsSpans(spans, 0, 11)).toBe(true);
    expect(overlapsSpans(spans, 20, 30)).toBe(false);
    expect(overlapsSpans(spans, 19, 30)).toBe(true);
    expect(overlapsSpans(spans, 25, 45)).toBe(true);
    expect(overlapsSpans(spans, 40, 100)).toBe(false);
    expect(overlapsSpans(spans, 12, 12)).toBe(false);
    expect(overlapsSpans([], 0, 100)).toBe(false);
  });
});
