import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOscDatagram } from '../protocols/osc/oscCommands.ts';
import { FrameType, encodeCommandFrame, encodeFrame } from '../protocols/ipc/ipcFrame.ts';
import { createSocket } from 'node:dgram';
import { HapticEngine } from '../haptic/hapticEngine.ts';
import { epochMsToTimeTag, readOscPacket, writeOscPacket } from '../protocols/osc/oscCodec.ts';
import type { Engine } from '../engine/engine.ts';
import type { AudioRig, RigCallback } from './audioRig.ts';
import { VirtualRig } from '../../hil/rigs/virtualRig.ts';
import { ClickEngine } from './clickEngine.ts';
import { RigServer } from './rigServer.ts';
import { SUBMIT_WARM_UP_ROUNDS, submitWarmUpCommands } from './inputWarmUp.ts';
import { zeroCounts } from './serverStatus.ts';
import { connectFrames, sendUdp, until } from './testClients.ts';

const LATENCY = 100;

/** Wraps a rig so the test sees what input channel `channel` captured, indexed by stream frame. */
function recording(rig: VirtualRig, channel: number, frames: number): { rig: AudioRig; capture: Float32Array } {
  const capture = new Float32Array(frames);
  const wrapped = Object.create(rig) as AudioRig;
  wrapped.start = (cb: RigCallback) => rig.start((p) => {
    if (p.frameIndex < frames) capture.set(p.inputs[channel].subarray(0, Math.min(p.frames, frames - p.frameIndex)), p.frameIndex);
    cb(p);
  });
  wrapped.stop = () => rig.stop();
  wrapped.advance = (n) => rig.advance(n);
  return { rig: wrapped, capture };
}

const osc = (address: string, ...args: [string, number][]) =>
  writeOscPacket({ address, args: args.map(([type, value]) => ({ type, value })) });

describe('rig server on the virtual rig (simulated clock, real loopback UDP and Unix socket)', () => {
  let server: RigServer | undefined;
  let dir: string;
  const logs: string[] = [];

  async function startServer(recordChannel = 5, engine: Engine = new ClickEngine()) {
    dir = mkdtempSync(join(tmpdir(), 'rig-server-'));
    const virtual = new VirtualRig({ latencySamples: LATENCY });
    const { rig, capture } = recording(virtual, recordChannel, 48000);
    server = new RigServer({ rig, engine, osc: { port: 0 }, socketPath: join(dir, 'rig.sock'), log: (l) => logs.push(l) });
    await server.start();
    const oscPort = Number(server.listening.osc!.split(':')[1]);
    return { server, virtual, capture, oscPort, socketPath: join(dir, 'rig.sock') };
  }

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
  });

  it('warms its submit path at start on every canned command, leaving no trace: log, counts and command ring as before', async () => {
    const { server } = await startServer(5, new HapticEngine());
    // start() ran it once already; again here, to count what it accepts.
    expect(server.warmSubmitPath()).toBe(SUBMIT_WARM_UP_ROUNDS * submitWarmUpCommands(0, 64, server.runner.paramNames, true).length);
    expect(server.runner.paramNames.length).toBeGreaterThan(0); // the parameter changes were among them
    expect(server.eventLog.since(0)).toEqual([]);
    expect(server.counts).toEqual(zeroCounts());
    expect(server.host.commands.size).toBe(0);
    expect(logs).toEqual([]);
  });

  it('applies an OSC note_on with a frame timestamp at exactly that sample, and the loop shows it there', async () => {
    const { server, virtual, capture, oscPort } = await startServer(5);
    virtual.advance(10);
    await sendUdp(oscPort, osc('/haptic/note_on', ['i', 0], ['i', 5], ['i', 127], ['d', 3000]));
    await until(() => server.eventLog.size === 1, 2000, 'the OSC event');
    virtual.advance(40);
    const [entry] = server.eventLog.since(0);
    expect(entry).toMatchObject({ source: 'osc', type: 'noteOn', requestedFrame: 3000, appliedFrame: 3000, late: false });
    const clickAt = capture.findIndex((v) => v !== 0);
    expect(clickAt).toBe(3000 + virtual.streamBufferingFrames + LATENCY);
    expect(capture[clickAt]).toBe(1);
  });

  it('applies an untimestamped socket command at the first sample of the next block', async () => {
    const { server, virtual, socketPath } = await startServer();
    virtual.advance(7);
    const client = await connectFrames(socketPath);
    await client.send(encodeCommandFrame({ type: 'noteOn', channel: 1, note: 60, velocity: 90, seq: 77 }));
    await until(() => server.eventLog.size === 1, 2000, 'the socket event');
    virtual.advance(1);
    const [entry] = server.eventLog.since(0);
    expect(entry).toMatchObject({ source: 'socket', seq: 77, appliedFrame: 7 * 128, requestedFrame: null });
    await client.close();
  });

  it('counts a late timestamp and applies it at the start of the current block', async () => {
    const { server, virtual, socketPath } = await startServer();
    virtual.advance(20);
    const client = await connectFrames(socketPath);
    await client.send(encodeCommandFrame({ type: 'noteOn', channel: 0, note: 1, velocity: 1, timestamp: { kind: 'frame', frame: 100 } }));
    await until(() => server.eventLog.size === 1);
    virtual.advance(1);
    expect(server.eventLog.since(0)[0]).toMatchObject({ appliedFrame: 20 * 128, requestedFrame: 100, late: true });
    expect(server.status().counts.lateEvents).toBe(1);
    await client.close();
  });

  it('counts a malformed OSC packet and an unknown address, and keeps serving', async () => {
    const { server, virtual, oscPort } = await startServer();
    await sendUdp(oscPort, Uint8Array.of(0x2f, 0x68, 0, 0, 0x2c, 0x69, 0, 0, 1));
    await sendUdp(oscPort, osc('/haptic/explode', ['i', 1]));
    await sendUdp(oscPort, osc('/haptic/note_on', ['i', 0], ['i', 5], ['i', 64]));
    await until(() => server.eventLog.size === 1, 2000, 'the good packet after the bad ones');
    virtual.advance(1);
    const s = server.status();
    expect(s.counts.malformedOscPackets).toBe(1);
    expect(s.counts.unknownOscAddresses).toBe(1);
    expect(s.counts.applied).toBe(1);
    expect(logs.some((l) => l.startsWith('osc udp 127.0.0.1:') && l.includes('/haptic/explode'))).toBe(true);
  });

  it('a client disconnecting mid-frame changes nothing for another client', async () => {
    const { server, virtual, socketPath } = await startServer();
    const a = await connectFrames(socketPath);
    const b = await connectFrames(socketPath);
    const frame = encodeCommandFrame({ type: 'noteOn', channel: 0, note: 9, velocity: 100, seq: 1 });
    await a.send(frame.subarray(0, 13));
    await b.send(frame.subarray(0, 10));
    await a.close();
    await until(() => server.status().counts.truncatedSocketFrames === 1, 2000, 'the truncated frame');
    await b.send(frame.subarray(10));
    await b.send(encodeCommandFrame({ type: 'noteOff', channel: 0, note: 9, velocity: 0, seq: 2 }));
    await until(() => server.eventLog.size === 2, 2000, "client B's frames");
    virtual.advance(1);
    expect(server.eventLog.since(0).map((e) => [e.seq, e.type, e.appliedFrame])).toEqual([[1, 'noteOn', 0], [2, 'noteOff', 0]]);
    await b.close();
  });

  it('replies to a bad frame with an error frame, to a status request with JSON, and decodes raw MIDI', async () => {
    const { server, virtual, socketPath } = await startServer();
    const c = await connectFrames(socketPath);
    await c.send(encodeFrame(FrameType.NoteOn, Uint8Array.of(1, 2), 5));
    const err = await c.nextFrame();
    expect(err.type).toBe(FrameType.ErrorReply);
    expect(JSON.parse(Buffer.from(err.payload).toString())).toEqual({ error: expect.stringMatching(/NoteOn payload is 2 bytes, expected 4/), seq: 5 });
    await c.send(encodeCommandFrame({ type: 'midi', bytes: Uint8Array.of(0x91, 60, 100, 62, 100, 0xf7) }));
    await until(() => server.eventLog.size === 2, 2000, 'two MIDI notes (running status)');
    const midiError = await c.nextFrame(); // the stray 0xF7 is answered; the two notes before it stand
    expect(midiError.type).toBe(FrameType.ErrorReply);
    expect(JSON.parse(Buffer.from(midiError.payload).toString()).error).toMatch(/invalid MIDI/);
    virtual.advance(2);
    await c.send(encodeCommandFrame({ type: 'status', seq: 9 }));
    const reply = await c.nextFrame();
    expect(reply.type).toBe(FrameType.StatusReply);
    const status = JSON.parse(Buffer.from(reply.payload).toString());
    expect(status.counts).toMatchObject({ malformedSocketFrames: 1, malformedMidi: 1, applied: 2 });
    expect(status.levels.peakDbfs).toHaveLength(32);
    expect(status.clock.frameIndex).toBe(128);
    await c.close();
  });

  it('maps an OSC bundle time tag (wall clock) to the stream clock plus the schedule-ahead margin', async () => {
    const { server, virtual, oscPort } = await startServer();
    virtual.advance(4);
    const clock = server.status().clock;
    const targetFrame = 6000;
    const epochMs = clock.epochMs + ((targetFrame - clock.frameIndex) * 1000) / 48000;
    const bundle = writeOscPacket({ timeTag: { raw: epochMsToTimeTag(epochMs) }, packets: [{ address: '/haptic/note_on', args: [{ type: 'i', value: 0 }, { type: 'i', value: 5 }, { type: 'i', value: 127 }] }] });
    await sendUdp(oscPort, bundle);
    await until(() => server.eventLog.size === 1);
    virtual.advance(60);
    const [entry] = server.eventLog.since(0);
    expect(entry.timestamp?.kind).toBe('epochMs');
    expect(Math.abs(entry.appliedFrame! - (targetFrame + server.host.scheduleAheadFrames))).toBeLessThanOrEqual(1);
  });

  it('answers /haptic/status with a bundle of status messages to the sender', async () => {
    const { oscPort } = await startServer();
    const client = createSocket('udp4');
    await new Promise<void>((r) => client.bind(0, '127.0.0.1', () => r()));
    const reply = new Promise<Buffer>((r) => client.once('message', (m) => r(m)));
    client.send(osc('/haptic/status'), oscPort, '127.0.0.1');
    const packet = readOscPacket(await reply) as { packets: { address: string; args: { value: unknown }[] }[] };
    client.close();
    const addresses = packet.packets.map((p) => p.address);
    expect(addresses).toContain('/haptic/status/peak_dbfs');
    expect(addresses).toContain('/haptic/status/count/malformedOscPackets');
    const json = JSON.parse(String(packet.packets.find((p) => p.address === '/haptic/status/json')!.args[0].value));
    expect(json.rig).toMatchObject({ kind: 'virtual', periodFrames: 128 });
  });

  it('drives the haptic engine: a note makes transducers sound and shows as an active stimulus', async () => {
    const { server, virtual, socketPath } = await startServer(0, new HapticEngine());
    const c = await connectFrames(socketPath);
    await c.send(encodeCommandFrame({ type: 'noteOn', channel: 0, note: 69, velocity: 100 }));
    await until(() => server.eventLog.size === 1);
    virtual.advance(40);
    const s = server.status();
    expect(s.counts.applied).toBe(1);
    expect(s.levels.peakDbfs.filter((db) => db !== null && db > -60).length).toBeGreaterThan(0);
    expect(s.engineStatus).toMatchObject({ activeStanding: 1 });
    await c.close();
  });

  it('hands every period to the onPeriod tap after the engine filled the outputs', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rig-server-'));
    const virtual = new VirtualRig({ latencySamples: LATENCY });
    const played: number[] = [];
    const captured: number[] = [];
    server = new RigServer({
      rig: virtual, engine: new ClickEngine(), osc: false, socketPath: false,
      onPeriod: (p) => {
        const j = p.outputs[7].findIndex((v) => v !== 0);
        if (j >= 0) played.push(p.frameIndex + j);
        const i = p.inputs[7].findIndex((v) => v !== 0);
        if (i >= 0) captured.push(p.frameIndex + i);
      },
    });
    await server.start();
    server.submit({ type: 'noteOn', channel: 0, note: 7, velocity: 127, timestamp: { kind: 'frame', frame: 1000 } });
    virtual.advance(12);
    expect(played).toEqual([1000]);
    expect(captured).toEqual([1000 + virtual.streamBufferingFrames + LATENCY]);
  });

  it('survives fuzzed datagrams and socket garbage, and every decoded item is counted once', async () => {
    const { server, virtual, oscPort, socketPath } = await startServer();
    const good = osc('/haptic/note_on', ['i', 1], ['i', 60], ['i', 100]);
    const datagrams = fc.sample(fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 120 }),
      fc.nat({ max: good.length - 1 }).map((n) => good.slice(0, Math.max(1, n))),
      fc.constant(good),
    ), { seed: 20261121, numRuns: 120 });
    let expected = 0;
    for (const d of datagrams) {
      const r = decodeOscDatagram(d);
      expected += r.commands.filter((c) => c.type !== 'status').length + r.errors.length;
      await sendUdp(oscPort, d);
    }
    const garbage = await connectFrames(socketPath);
    for (const chunk of fc.sample(fc.uint8Array({ minLength: 1, maxLength: 64 }), { seed: 7, numRuns: 20 })) {
      if (!garbage.socket.destroyed) await garbage.send(chunk).catch(() => {});
    }
    const counted = () => {
      const c = server.status().counts;
      return c.commands + c.malformedOscPackets + c.unknownOscAddresses + c.badOscArguments + c.unknownParams;
    };
    await until(() => counted() === expected, 3000, `${expected} counted OSC items`);
    const client = await connectFrames(socketPath);
    await client.send(encodeCommandFrame({ type: 'panic', seq: 99 }));
    await until(() => server.eventLog.since(0).some((e) => e.seq === 99), 2000, 'a good frame after the garbage');
    virtual.advance(1);
    expect(server.eventLog.since(0).find((e) => e.seq === 99)?.appliedFrame).toBe(0);
    await client.close();
  });

  it('stops cleanly: the socket file is removed and the port is released', async () => {
    const { server, socketPath } = await startServer();
    expect(existsSync(socketPath)).toBe(true);
    await server.stop();
    expect(existsSync(socketPath)).toBe(false);
    expect(server.listening.socket).toBeNull();
  });
});
