import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualRig } from '../../hil/rigs/virtualRig.ts';
import { parseParams } from '../engine/params.ts';
import { readWav } from '../io/readWav.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { loadPreset } from '../presets/presetStore.ts';
import { writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { FdnReverb } from '../reverb/fdnReverb.ts';
import { reverbParamsSchema } from '../reverb/reverbParams.ts';
import { EffectSource } from './effectSource.ts';
import { MAX_SAVES_IN_FLIGHT } from './livePresets.ts';
import { MAX_SUBSCRIBERS } from './metricsSubscribers.ts';
import { OscListener } from './oscListener.ts';
import { RigServer } from './rigServer.ts';
import { SUBMIT_WARM_UP_ROUNDS, submitWarmUpCommands } from './inputWarmUp.ts';
import { sendUdp, until } from './testClients.ts';

/**
 * The reverb's OSC bridge over real loopback UDP, one server for the whole file (the virtual rig on its
 * simulated clock: periods run only when the test advances it, so every figure is exact).
 */
const PERIOD = 64;
const entry = engineEntry('reverb');
const NOISE = { kind: 'noise' as const, seed: 7, amplitude: 0.25 };

let server: RigServer;
let rig: VirtualRig;
let replies: OscListener;
let oscPort: number;
let dir: string;
const logs: string[] = [];

const osc = (address: string, ...args: [string, unknown][]) => writeOscPacket({ address, args: args.map(([type, value]) => ({ type, value })) });
const send = (address: string, ...args: [string, unknown][]) => sendUdp(oscPort, osc(address, ...args));
const errorText = async () => String((await replies.next('/reverb/error')).msg.args[0].value);
/** The current values as a map (name → value), asked over OSC. */
async function paramsOverOsc(): Promise<Map<string, unknown>> {
  await send('/reverb/params/get');
  const { msg } = await replies.next('/reverb/params');
  const m = new Map<string, unknown>();
  for (let i = 0; i < msg.args.length; i += 2) m.set(String(msg.args[i].value), msg.args[i + 1].value);
  return m;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'effect-bridge-'));
  // Shipped presets of our own: one of the served structure, one that is built differently.
  mkdirSync(join(dir, 'shipped', 'reverb'), { recursive: true });
  writeFileSync(join(dir, 'shipped', 'reverb', 'soft-room.json'), JSON.stringify({ formatVersion: 1, params: { rt60Seconds: 0.8, wetDry: 0.6, preDelayMs: 12 } }));
  writeFileSync(join(dir, 'shipped', 'reverb', 'big-hall.json'), JSON.stringify({ formatVersion: 1, params: { lines: 16, rt60Seconds: 3 } }));
  replies = await OscListener.open();
  rig = new VirtualRig({ sampleRate: 48000, periodFrames: PERIOD, latencySamples: 64, clock: 'simulated' });
  const params = parseParams(reverbParamsSchema, {}, 'test');
  server = new RigServer({
    rig, engine: new FdnReverb(params), osc: { port: 0 }, socketPath: false, source: NOISE, log: (l) => logs.push(l),
    effect: {
      entry, params, replyTo: { address: '127.0.0.1', port: replies.port },
      shippedPresetsDir: join(dir, 'shipped'), userPresetsDir: join(dir, 'user'), snapshotsDir: join(dir, 'snapshots'),
    },
  });
  await server.start();
  oscPort = Number(server.listening.osc?.split(':')[1]);
  rig.advance(Math.ceil((9.5 * 48000) / PERIOD)); // 9.5 s in the rings (the RT60 estimate reads 9 s)
});

afterAll(async () => {
  await server.stop();
  await replies.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the submit path warm-up (RigServer.warmSubmitPath, run at start)', () => {
  it('takes every canned parameter change and leaves the log, counts and command ring as they were', () => {
    const [logged, counts, queued] = [server.eventLog.since(0).length, { ...server.counts }, server.host.commands.size];
    const names = server.runner.paramNames;
    expect(names.length).toBeGreaterThan(0);
    expect(server.warmSubmitPath()).toBe(SUBMIT_WARM_UP_ROUNDS * submitWarmUpCommands(0, PERIOD, names, false).length);
    expect([server.eventLog.since(0).length, server.counts, server.host.commands.size]).toEqual([logged, counts, queued]);
    expect(logs).toEqual([]);
  });
});

describe('parameters', () => {
  it('sets a parameter by its own name and by the seed alias, and params/get reports both', async () => {
    await send('/reverb/param/feedback_gain', ['f', 0.5]);
    await send('/reverb/param/rt60Seconds', ['d', 1.25]);
    const p = await paramsOverOsc();
    expect(p.get('feedbackGain')).toBe(0.5);
    expect(p.get('rt60Seconds')).toBe(1.25);
    expect(p.get('lines')).toBe(8);
    expect(p.get('matrix')).toBe('hadamard');
  });

  it('applies a parameter as a Param event at the first sample of the next period', async () => {
    const before = server.eventLog.size;
    await send('/reverb/param/wet_dry', ['f', 0.25]);
    await until(() => server.eventLog.size === before + 1, 2000, 'the param command');
    const nextBlock = server.status().clock.frameIndex + PERIOD;
    rig.advance(1);
    expect(server.eventLog.since(before)[0]).toMatchObject({ source: 'osc', type: 'param', value: 0.25, appliedFrame: nextBlock });
  });

  it('reads pre_delay in samples, and a pre-delay in samples replaces one in ms', async () => {
    await send('/reverb/param/pre_delay', ['i', 480]);
    const p = await paramsOverOsc();
    expect(p.get('preDelaySamples')).toBe(480);
    expect(p.has('preDelayMs')).toBe(false);
  });

  const refusals: [string, [string, unknown][], RegExp, 'badParamValues' | 'badOscArguments' | 'unknownOscAddresses'][] = [
    ['/reverb/param/wetDry', [['f', 1.5]], /wetDry: got 1\.5, allowed 0…1/, 'badParamValues'],
    ['/reverb/param/pre_delay', [['i', 24001]], /preDelaySamples: got 24001, allowed 0…24000, whole numbers/, 'badParamValues'],
    ['/reverb/param/pre_delay', [['f', 10.5]], /preDelaySamples: got 10\.5, allowed 0…24000, whole numbers/, 'badParamValues'],
    ['/reverb/param/wetDry', [['f', 0.1], ['f', 0.2]], /wetDry: expected one value \(0…1\), got 2/, 'badParamValues'],
    ['/reverb/param/wetDry', [['s', 'loud']], /argument 1 \(value\) must be a number, got type 's'/, 'badOscArguments'],
    ['/reverb/param/size', [['f', 1]], /unknown parameter "size" for reverb; settable: wetDry, feedbackGain/, 'badParamValues'],
    ['/reverb/param/lines', [['i', 12]], /lines: got 12, expected a power of two for the Hadamard matrix \(got 12\)/, 'badParamValues'],
    ['/reverb/param/lines', [['i', 64]], /lines: got 64.*32/, 'badParamValues'],
    ['/reverb/param/damping_coeffs', [['f', 0.1], ['f', 0.2], ['f', 0.3]], /damping: got \[0\.1.*expected one coefficient per line \(8\), got 3/, 'badParamValues'],
    ['/reverb/param/delay_min_ms', [['f', 1]], /delayMinMs: got 1.*3/, 'badParamValues'],
    ['/reverb/explode', [], /unknown OSC address "\/reverb\/explode"/, 'unknownOscAddresses'],
    ['/lossy/param/outputGainDb', [['f', 0]], /this server runs reverb/, 'unknownOscAddresses'],
  ];
  it.each(refusals)('refuses %s %j with an error naming what was wrong (%s), counted', async (address, args, message, counter) => {
    const before = server.status().counts[counter];
    const commands = server.status().counts.commands;
    await send(address, ...args);
    expect(await errorText()).toMatch(message);
    expect(server.status().counts[counter]).toBe(before + 1);
    expect(server.status().counts.commands).toBe(commands);
  });

  it('changes a structural parameter live: a new engine, switched to at the next period (event log: engineSwitch)', async () => {
    const before = server.eventLog.size;
    await send('/reverb/param/damping_coeffs', ...Array.from({ length: 8 }, (_, i): [string, unknown] => ['f', 0.1 + 0.05 * i]));
    await until(() => server.eventLog.size === before + 1, 2000, 'the switch command');
    rig.advance(Math.ceil(960 / PERIOD)); // the switch and its 10 ms fade
    expect(server.eventLog.since(before)[0]).toMatchObject({ type: 'engineSwitch', appliedFrame: expect.any(Number) });
    const p = await paramsOverOsc();
    expect(p.get('damping[7]')).toBeCloseTo(0.45, 6);
    expect(p.get('lines')).toBe(8);
    await send('/reverb/param/damping_coeffs', ['d', 0.2]); // back to the default (one value for all lines; 'd': a float32 0.2 is not 0.2)
    await until(() => server.eventLog.size === before + 2, 2000, 'the second switch');
    rig.advance(Math.ceil(960 / PERIOD));
    expect((await paramsOverOsc()).get('damping')).toBeCloseTo(0.2, 6);
  });

  it('logs a refusal with the sender, escaping control characters in names from the network', async () => {
    await send('/reverb/param/x\u001b[2J\ny', ['f', 1]);
    await errorText();
    const line = logs.find((l) => l.includes('unknown parameter "x'));
    expect(line).toMatch(/^osc udp 127\.0\.0\.1:\d+: /);
    expect(line).toContain('\\x1b[2J\\x0ay');
  });
});

describe('presets', () => {
  it('loads a preset of the same structure as Param events, and params/get shows its values', async () => {
    const before = server.eventLog.size;
    await send('/reverb/preset/load', ['s', 'soft-room']);
    expect((await replies.next('/reverb/preset/loaded')).msg.args[0].value).toBe('soft-room');
    const queued = server.eventLog.since(before).map((e) => e.value);
    expect(queued).toEqual(expect.arrayContaining([0.8, 0.6, 12]));
    const p = await paramsOverOsc();
    expect(p.get('wetDry')).toBeCloseTo(0.6, 6); // replies carry numbers as float32 ('f')
    expect(p.get('preDelayMs')).toBe(12);
  });

  it('answers an unknown preset with the close matches', async () => {
    await send('/reverb/preset/load', ['s', 'sfot-room']);
    expect(await errorText()).toMatch(/no reverb preset "sfot-room"; did you mean soft-room\?/);
  });

  it('loads a preset built differently by switching to a new engine built with it', async () => {
    const before = server.eventLog.size;
    await send('/reverb/preset/load', ['s', 'big-hall']);
    expect((await replies.next('/reverb/preset/loaded')).msg.args[0].value).toBe('big-hall');
    await until(() => server.eventLog.size === before + 1, 2000, 'the switch command');
    rig.advance(Math.ceil(960 / PERIOD)); // the switch and its 10 ms fade
    expect(server.eventLog.since(before).map((e) => e.type)).toEqual(['engineSwitch']);
    expect(server.eventLog.since(before)[0].appliedFrame).not.toBeNull();
    const p = await paramsOverOsc();
    expect(p.get('lines')).toBe(16);
    expect(p.get('rt60Seconds')).toBe(3);
    expect(server.status().engineStats).toMatchObject({ engineSwitch: { missedSwaps: 0 } });
  });

  it('saves the current parameters as a valid preset in the user folder, atomically, and loads it back', async () => {
    await send('/reverb/param/wetDry', ['f', 0.42]);
    await send('/reverb/preset/save', ['s', 'my-take']);
    const { msg } = await replies.next('/reverb/preset/saved');
    expect(msg.args[1].value).toBe(join(dir, 'user', 'reverb', 'my-take.json'));
    const saved = loadPreset('reverb', 'my-take', join(dir, 'user'));
    expect((saved.params as { wetDry: number }).wetDry).toBeCloseTo(0.42, 6); // sent as float32
    expect(readdirSync(join(dir, 'user', 'reverb'))).toEqual(['my-take.json']); // no temporary file left
    await send('/reverb/preset/load', ['s', 'my-take']);
    await replies.next('/reverb/preset/loaded');
  });

  it('refuses to save over a shipped preset without force, and saves the user copy with it', async () => {
    await send('/reverb/preset/save', ['s', 'soft-room']);
    expect(await errorText()).toMatch(/"soft-room" is a shipped reverb preset; send force/);
    expect(existsSync(join(dir, 'user', 'reverb', 'soft-room.json'))).toBe(false);
    await send('/reverb/preset/save', ['s', 'soft-room'], ['i', 1]);
    await replies.next('/reverb/preset/saved');
    expect(existsSync(join(dir, 'user', 'reverb', 'soft-room.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'shipped', 'reverb', 'soft-room.json'), 'utf8')).params.lines).toBeUndefined();
  });

  it(`writes at most ${MAX_SAVES_IN_FLIGHT} saves at once and refuses the next until one is done`, async () => {
    const presets = server.effect?.presets;
    const params = server.effect?.params.snapshot() ?? {};
    const results = await Promise.all([0, 1, 2].map((i) => presets?.save(`burst-${i}`, params, false)));
    expect(results.slice(0, MAX_SAVES_IN_FLIGHT).every((r) => typeof r === 'object')).toBe(true);
    expect(results[MAX_SAVES_IN_FLIGHT]).toMatch(/saves are being written; try again/);
    expect(typeof (await presets?.save('burst-2', params, false))).toBe('object');
  });

  it.each(['../escape', 'a/b', '..', '.hidden', 'x'.repeat(101), 'a\\b', ''])('refuses the preset name %j (a name, not a path), counted', async (name) => {
    const before = server.status().counts.presetErrors;
    await send('/reverb/preset/save', ['s', name]);
    expect(await errorText()).toMatch(/is not a preset name/);
    await send('/reverb/preset/load', ['s', name]);
    expect(await errorText()).toMatch(/is not a preset name/);
    expect(server.status().counts.presetErrors).toBe(before + 2);
    expect(existsSync(join(dir, 'escape.json'))).toBe(false);
  });
});

describe('snapshots', () => {
  it('writes the last 3 s of input and output to two float WAVs with unique names and announces them', async () => {
    await send('/reverb/request_snapshot');
    const { msg } = await replies.next('/reverb/snapshot_ready');
    const [inPath, outPath] = msg.args.map((a) => String(a.value));
    expect(inPath).not.toBe(outPath);
    const input = readWav(inPath);
    const output = readWav(outPath);
    expect(input.channels.map((c) => c.length)).toEqual([144000, 144000]);
    expect(output.channels.length).toBe(2);
    // The input is the seeded noise the source made: regenerate it and compare the newest 3 s.
    const total = server.status().clock.frameIndex + PERIOD;
    const gen = new EffectSource(NOISE, 2, total, 48000).fill([], total);
    expect(input.channels[1]).toEqual(gen[1].subarray(total - 144000));
    await send('/reverb/request_snapshot', ['f', 0.5]);
    const second = (await replies.next('/reverb/snapshot_ready')).msg.args.map((a) => String(a.value));
    expect(second[0]).not.toBe(inPath);
    expect(readWav(second[1]).channels[0].length).toBe(24000);
  });

  it.each([{ arg: ['f', 0] }, { arg: ['f', -1] }, { arg: ['f', 100] }, { arg: ['d', Number.NaN] }, { arg: ['s', '3'] }] as { arg: [string, unknown] }[])('refuses a snapshot of $arg seconds, counted', async ({ arg }) => {
    const counts = server.status().counts;
    const before = counts.snapshotErrors + counts.badOscArguments;
    await send('/reverb/request_snapshot', arg);
    expect(await errorText()).toMatch(/seconds/);
    const after = server.status().counts;
    expect(after.snapshotErrors + after.badOscArguments).toBe(before + 1);
  });

  it('answers a write failure (the folder cannot be made) with an error, counted, and keeps serving', async () => {
    const folder = join(dir, 'snapshots');
    rmSync(folder, { recursive: true, force: true });
    writeFileSync(folder, 'not a folder');
    const before = server.status().counts.snapshotErrors;
    await send('/reverb/request_snapshot', ['f', 0.1]);
    expect(await errorText()).toMatch(/request_snapshot: cannot write .*snapshots: (EEXIST|ENOTDIR)/);
    expect(server.status().counts.snapshotErrors).toBe(before + 1);
    rmSync(folder);
    await send('/reverb/request_snapshot', ['f', 0.1]);
    await replies.next('/reverb/snapshot_ready');
  });
});

describe('metrics subscriptions', () => {
  it('pushes rms, peak, spectral centroid, crest factor and the RT60 estimate to each subscriber at its own rate', async () => {
    const a = await OscListener.open();
    const b = await OscListener.open();
    try {
      await send('/reverb/subscribe', ['i', a.port], ['i', 50]);
      await send('/reverb/subscribe', ['i', b.port]);
      expect((await replies.next('/reverb/subscribed')).msg.args[1].value).toBe(50);
      expect((await replies.next('/reverb/subscribed')).msg.args[1].value).toBe(200);
      const first = await a.next('/reverb/metrics/rms');
      for (const name of ['peak', 'spectral_centroid', 'crest_factor', 'rt60_estimate']) await a.next(`/reverb/metrics/${name}`);
      expect(first.msg.args[0].value as number).toBeGreaterThan(0.01);
      await b.next('/reverb/metrics/rms', 2000);
      a.clear();
      b.clear();
      await new Promise((r) => setTimeout(r, 1000));
      const pushes = (l: OscListener) => l.received.filter((r) => r.msg.address === '/reverb/metrics/rms').length;
      // One second: 20 pushes at 50 ms, 5 at 200 ms (a loaded machine may delay a few).
      expect(pushes(b)).toBeGreaterThanOrEqual(3);
      expect(pushes(b)).toBeLessThanOrEqual(6);
      expect(pushes(a)).toBeGreaterThanOrEqual(2.5 * pushes(b));
      await send('/reverb/unsubscribe', ['i', a.port]);
      await replies.next('/reverb/unsubscribed');
      await new Promise((r) => setTimeout(r, 150));
      a.clear();
      await new Promise((r) => setTimeout(r, 200));
      expect(a.received.length).toBe(0);
    } finally {
      for (const l of [a, b]) server.effect?.subscribers.unsubscribe({ address: '127.0.0.1', port: l.port });
      await a.close();
      await b.close();
    }
  });

  it.each([
    [[['i', 0]], /port 0 out of range; allowed 1…65535/],
    [[['i', 70000]], /port 70000 out of range/],
    [[['i', 9999], ['i', 5]], /interval_ms 5 out of range; allowed 50…60000/],
    [[['i', 9999], ['d', Number.POSITIVE_INFINITY]], /interval_ms Infinity out of range/],
  ] as [[string, unknown][], RegExp][])('refuses a subscription %j, counted', async (args, message) => {
    const before = server.status().counts.refusedSubscriptions;
    await send('/reverb/subscribe', ...args);
    expect(await errorText()).toMatch(message);
    expect(server.status().counts.refusedSubscriptions).toBe(before + 1);
  });

  it(`serves at most ${MAX_SUBSCRIBERS} subscribers and refuses the next, counted`, async () => {
    const ports = Array.from({ length: MAX_SUBSCRIBERS + 1 }, (_, i) => 40000 + i);
    for (const p of ports.slice(0, MAX_SUBSCRIBERS)) {
      await send('/reverb/subscribe', ['i', p], ['i', 60000]);
      await replies.next('/reverb/subscribed');
    }
    const before = server.status().counts.refusedSubscriptions;
    await send('/reverb/subscribe', ['i', ports[MAX_SUBSCRIBERS]], ['i', 60000]);
    expect(await errorText()).toMatch(new RegExp(`${MAX_SUBSCRIBERS} subscribers already`));
    expect(server.status().counts.refusedSubscriptions).toBe(before + 1);
    for (const p of ports.slice(0, MAX_SUBSCRIBERS)) {
      await send('/reverb/unsubscribe', ['i', p]);
      await replies.next('/reverb/unsubscribed');
    }
  });
});

describe('status', () => {
  it('answers /status with the status bundle under the engine prefix', async () => {
    await send('/status');
    const json = JSON.parse(String((await replies.next('/reverb/status/json')).msg.args[0].value));
    expect(json.engine).toBe('reverb');
    expect(json.counts.badParamValues).toBeGreaterThan(0);
  });
});
