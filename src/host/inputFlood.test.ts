import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualRig } from '../../hil/rigs/virtualRig.ts';
import { retainedExternalBytes } from '../engine/allocationProbe.ts';
import type { ControlCommand } from '../protocols/ipc/controlCommand.ts';
import { FRAME_HEADER_BYTES, FRAME_MAX_PAYLOAD_BYTES, FRAME_PREFIX_BYTES, FrameType, encodeCommandFrame } from '../protocols/ipc/ipcFrame.ts';
import { readOscPacket, writeOscPacket } from '../protocols/osc/oscCodec.ts';
import { ClickEngine } from './clickEngine.ts';
import { RigServer, type RigServerOptions } from './rigServer.ts';
import { type FrameClient, connectFrames, sendUdp, until } from './testClients.ts';
import { OSC_REPLIES_PER_SECOND, SOCKET_REPLY_BACKLOG_BYTES } from './transports.ts';

/**
 * Hostile input against the live host (issue 13, "input that cannot hurt the audio"): floods bounded in
 * count and time, loopback only, on the virtual rig's simulated clock so that every period is driven by
 * the test. Each test names the defence it proves; each was seen failing with that defence removed.
 */

const PERIOD = 128;
const FS = 48_000;

/**
 * A socket client on its own thread: writes `bytes` at once, reads replies until `expected` error
 * frames came (or 5 s passed), and counts them.
 */
function writeAndCountReplies(path: string, bytes: Uint8Array, expected: number): Promise<{ errorReplies: number; firstError: string; firstSeq: number }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const net = require('node:net');
    const sock = net.connect(workerData.path, () => sock.write(Buffer.from(workerData.bytes)));
    let buf = Buffer.alloc(0), errorReplies = 0, first = null;
    const done = () => { sock.destroy(); parentPort.postMessage({ errorReplies, firstError: first && first.error, firstSeq: first && first.seq }); };
    const timer = setTimeout(done, 5000);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32LE(0)) {
        const len = buf.readUInt32LE(0);
        if (buf[5] === 0x82) { errorReplies++; if (!first) first = JSON.parse(buf.subarray(20, 4 + len).toString()); }
        buf = buf.subarray(4 + len);
      }
      if (errorReplies >= workerData.expected) { clearTimeout(timer); done(); }
    });`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { path, bytes, expected } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

/** Table of the limits these tests hold the server to. */
const LIMITS = {
  pendingCapacity: 4096,
  commandRingCapacity: 8192,
  timestampHorizonMs: 2000,
};

describe('live host under hostile input (bounded floods, 127.0.0.1 only)', () => {
  let server: RigServer | undefined;
  let dir = '';
  let clients: FrameClient[] = [];
  const logs: string[] = [];

  /** First frame of the next period: where an untimestamped command takes effect. */
  const nextPeriodFrame = () => (server as RigServer).status('test clock').clock.frameIndex + PERIOD;

  async function start(options: Partial<RigServerOptions> = {}) {
    dir = mkdtempSync(join(tmpdir(), 'rig-flood-'));
    const rig = new VirtualRig({ latencySamples: 64 });
    server = new RigServer({ rig, engine: new ClickEngine(), osc: { port: 0 }, socketPath: join(dir, 'rig.sock'), log: (l) => logs.push(l), ...options });
    await server.start();
    rig.advance(4);
    return { server, rig, oscPort: Number(server.listening.osc?.split(':')[1]), socketPath: join(dir, 'rig.sock') };
  }

  async function client(path: string): Promise<FrameClient> {
    const c = await connectFrames(path);
    clients.push(c);
    return c;
  }

  afterEach(async () => {
    for (const c of clients) c.socket.destroy();
    clients = [];
    await server?.stop();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
    logs.length = 0;
  });

  const frames = (cmds: ControlCommand[]) => Buffer.concat(cmds.map((c) => encodeCommandFrame(c)));
  const noteAt = (seq: number, frame?: number): ControlCommand => ({
    type: 'noteOn', channel: 0, note: seq & 31, velocity: 100, seq, ...(frame === undefined ? {} : { timestamp: { kind: 'frame', frame } }),
  });
  const errorsFrom = async (c: FrameClient, n: number) => {
    const out: { error: string; seq: number }[] = [];
    for (let i = 0; i < n; i++) {
      const f = await c.nextFrame(5000);
      expect(f.type).toBe(FrameType.ErrorReply);
      out.push(JSON.parse(Buffer.from(f.payload).toString()));
    }
    return out;
  };

  it('refuses far-future timestamps (beyond the 2 s horizon), answers each, and a panic still applies at the next period', async () => {
    const { server, rig, oscPort, socketPath } = await start();
    const c = await client(socketPath);
    const farFrame = nextPeriodFrame() + 10 * FS; // 10 s ahead
    await c.send(frames(Array.from({ length: 5000 }, (_, i) => noteAt(i + 1, farFrame))));
    await until(() => server.status().counts.rejectedTimestamps === 5000, 5000, '5000 refusals');
    const answers = await errorsFrom(c, 5000);
    expect(answers[0]).toEqual({ error: expect.stringMatching(/ahead of the stream; allowed up to 2000 ms ahead/), seq: 1 });
    expect(answers.map((a) => a.seq)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    expect(server.status().pendingEvents).toBe(0);

    await sendUdp(oscPort, writeOscPacket({ address: '/haptic/panic', args: [] }));
    await until(() => server.status().counts.commands === 1, 2000, 'the panic');
    const due = nextPeriodFrame();
    rig.advance(1);
    const panic = server.eventLog.since(0).find((e) => e.type === 'panic');
    expect(panic?.appliedFrame).toBe(due);
    expect(server.status().counts.panics).toBe(1);
  });

  it('refuses timestamps further behind the stream than maxLateMs, and applies a slightly late one at once (counted late)', async () => {
    const { server, rig, socketPath } = await start();
    rig.advance(100); // 100 periods = 267 ms of stream
    const c = await client(socketPath);
    const now = nextPeriodFrame();
    await c.send(frames([noteAt(1, now - 0.2 * FS), noteAt(2, now - 0.05 * FS)]));
    const [answer] = await errorsFrom(c, 1);
    expect(answer).toEqual({ error: expect.stringMatching(/behind the stream; allowed up to 100 ms late/), seq: 1 });
    await until(() => server.eventLog.size === 1, 2000, 'the slightly late note');
    rig.advance(1);
    expect(server.eventLog.since(0)[0]).toMatchObject({ seq: 2, appliedFrame: now, late: true });
  });

  it('a full pending list drops the newest (each sender told), never grows, and a panic flushes it at the next period', async () => {
    const { server, rig, oscPort, socketPath } = await start();
    const c = await client(socketPath);
    const ahead = nextPeriodFrame() + FS; // 1 s ahead: inside the horizon
    const n = LIMITS.pendingCapacity + 1000;
    await c.send(frames(Array.from({ length: n }, (_, i) => noteAt(i + 1, ahead + i))));
    await until(() => server.eventLog.size === n, 5000, 'every timed note logged');
    rig.advance(Math.ceil(n / 512) + 1); // the audio side takes at most 512 commands per period
    const s = server.status();
    expect(s.pendingEvents).toBe(LIMITS.pendingCapacity);
    expect(s.counts.queueFull).toBe(1000);
    const told = await errorsFrom(c, 1000);
    expect(told.every((t) => /pending list full/.test(t.error))).toBe(true);
    expect(told.map((t) => t.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => LIMITS.pendingCapacity + i + 1));

    // Untimed notes queued before the panic are discarded with the pending ones; the panic lands first.
    await c.send(frames(Array.from({ length: 100 }, (_, i) => noteAt(n + i + 1))));
    await until(() => server.eventLog.size === n + 100, 2000, 'the untimed notes');
    await sendUdp(oscPort, writeOscPacket({ address: '/haptic/panic', args: [] }));
    await until(() => server.eventLog.size === n + 101, 2000, 'the panic');
    const due = nextPeriodFrame();
    rig.advance(1);
    const after = server.status();
    expect(after.pendingEvents).toBe(0);
    expect(after.counts.flushedByPanic).toBe(LIMITS.pendingCapacity + 100);
    expect(server.eventLog.since(0).find((e) => e.type === 'panic')?.appliedFrame).toBe(due);
    rig.advance(Math.ceil((2 * FS) / PERIOD)); // past every flushed target: nothing else takes effect
    expect(server.status().counts.applied).toBe(1);
  });

  it('a full command queue refuses the newest command and answers it (20 000 frames written at once)', async () => {
    const { server, socketPath } = await start();
    const n = 20_000;
    // The client runs in its own thread (as a client process would) and reads while it writes.
    const replies = await writeAndCountReplies(socketPath, frames(Array.from({ length: n }, (_, i) => noteAt(i + 1))), n - LIMITS.commandRingCapacity);
    const refused = n - LIMITS.commandRingCapacity;
    expect(server.status().counts.queueFull).toBe(refused);
    expect(replies).toEqual({ errorReplies: refused, firstError: expect.stringMatching(/command queue full \(8192 commands waiting\)/), firstSeq: LIMITS.commandRingCapacity + 1 });
    expect(server.eventLog.size).toBe(LIMITS.commandRingCapacity);
    expect(server.counts.repliesDropped).toBe(0);
  });

  it('keeps the event log to its capacity (a ring): memory does not grow with the number of commands', async () => {
    const { server, rig } = await start({ eventLogCapacity: 1000 });
    for (let i = 0; i < 50_000; i++) {
      server.submit({ type: 'noteOff', channel: 0, note: i & 127, velocity: 0 });
      if ((i & 255) === 255) rig.advance(1);
    }
    rig.advance(1);
    const held = server.eventLog.since(0);
    expect(held).toHaveLength(1000);
    expect(held[0].id).toBe(49_000);
    expect(held[999].id).toBe(49_999);
    expect(held[999].appliedFrame).not.toBeNull();
    expect(server.eventLog.size).toBe(50_000);
  });

  it('a socket client that never reads its replies costs the server at most the reply backlog', async () => {
    const { server, socketPath } = await start();
    const c = await client(socketPath);
    c.socket.pause(); // never read
    const n = 20_000; // each status reply is ~2.5 KB of JSON: 50 MB if the server kept them all
    const request = frames(Array.from({ length: n }, (_, i) => ({ type: 'status', seq: i + 1 }) as ControlCommand));
    // Retained buffers, not garbage (retainedExternalBytes: collected and swept before both readings). This thread's
    // isolate only (V8's external memory: the backing stores of its ArrayBuffers and Buffers):
    // process.memoryUsage().arrayBuffers counts every thread's, and a test file running beside this one in another
    // worker thread once made it fail.
    const before = retainedExternalBytes();
    c.socket.write(request);
    await until(() => server.counts.repliesDropped > 0, 5000, 'dropped replies');
    await new Promise((r) => setTimeout(r, 300));
    const grown = retainedExternalBytes() - before;
    // The backlog (and the one reply that passes its check), one read of the socket (64 KiB) and 0.5 MiB for what
    // else the thread holds meanwhile (Buffer pools, the event log); the request (0.4 MB, still in this client's
    // write queue) is allocated before the first reading. Measured 1.25 MB in 6 runs of 6; a doubled backlog
    // fails, and a server keeping every reply reads ~50 MB.
    expect(grown).toBeLessThan(SOCKET_REPLY_BACKLOG_BYTES + FRAME_PREFIX_BYTES + FRAME_HEADER_BYTES + FRAME_MAX_PAYLOAD_BYTES + 64 * 1024 + 512 * 1024);
    // Another client is served meanwhile.
    const other = await client(socketPath);
    await other.send(encodeCommandFrame({ type: 'status', seq: 1 }));
    expect((await other.nextFrame()).type).toBe(FrameType.StatusReply);
  });

  it('bounds OSC replies to 200 a second and counts every malformed datagram', async () => {
    const { server, oscPort } = await start();
    const listener = createSocket('udp4');
    let errors = 0;
    listener.on('message', (m) => { if ((readOscPacket(m) as { address?: string }).address === '/haptic/error') errors++; });
    await new Promise<void>((r) => listener.bind(0, '127.0.0.1', () => r()));
    const n = 1000;
    const junk = Buffer.from('not an OSC packet at all');
    const started = performance.now();
    // Paced in bursts of 50 so that the kernel's UDP buffer (not the server) never drops one.
    for (let i = 0; i < n; i++) {
      listener.send(junk, oscPort, '127.0.0.1');
      if (i % 50 === 49) await until(() => server.counts.malformedOscPackets === i + 1, 2000, `datagram ${i + 1}`);
    }
    await until(() => server.status().counts.malformedOscPackets === n, 5000, 'every datagram counted');
    // Every reply was sent while a datagram was handled, so within this span (a loaded machine stretches it: the
    // bound a token bucket keeps over T seconds is the rate · (1 + T); ~200 on an idle one).
    const floodSeconds = (performance.now() - started) / 1000;
    // Every reply the bucket let out has arrived (each datagram is answered or counted dropped): waited for, not 100 ms.
    await until(() => errors === n - server.counts.repliesDropped, 2000, 'every reply sent');
    listener.close();
    const bound = Math.floor(OSC_REPLIES_PER_SECOND * (1 + floodSeconds));
    expect(errors).toBeLessThanOrEqual(bound);
    expect(errors).toBeGreaterThan(0);
    expect(server.status().counts.repliesDropped).toBeGreaterThanOrEqual(n - bound);
  });

  it('64 KiB datagrams full of garbage: each counted once, nothing applied, the server serves on', async () => {
    const { server, rig, oscPort } = await start();
    const big = Buffer.alloc(65_000, 0x2f); // "////…": an address with no type tags
    const bad = () => server.counts.malformedOscPackets + server.counts.badOscArguments + server.counts.unknownOscAddresses;
    for (let i = 0; i < 200; i++) {
      await sendUdp(oscPort, big);
      await until(() => bad() === i + 1, 2000, `big datagram ${i + 1}`); // one at a time: the kernel keeps few
    }
    expect(server.status().counts.commands).toBe(0);
    await sendUdp(oscPort, writeOscPacket({ address: '/haptic/note_on', args: [{ type: 'i', value: 0 }, { type: 'i', value: 60 }, { type: 'i', value: 100 }] }));
    await until(() => server.eventLog.size === 1, 2000, 'a good note after the garbage');
    rig.advance(1);
    expect(server.status().counts.applied).toBe(1);
  });

  it('writes no newline or terminal escape from a sender into the log', async () => {
    const { server, oscPort } = await start();
    await sendUdp(oscPort, writeOscPacket({ address: '/haptic/x\n[rig serve] fake line\u001b[2J', args: [] }));
    await until(() => server.status().counts.unknownOscAddresses === 1, 2000, 'the hostile address');
    const line = logs.find((l) => l.includes('fake line'));
    expect(line).toBeDefined();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting none survive
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it("keeps each client's meters: one client's status does not clear another's", async () => {
    const { server, rig } = await start();
    server.submit({ type: 'noteOn', channel: 0, note: 3, velocity: 127 });
    rig.advance(2);
    const a = server.status('client A');
    const b = server.status('client B');
    expect(a.levels.peakDbfs[3]).toBeCloseTo(0, 6);
    expect(b.levels.peakDbfs[3]).toBeCloseTo(0, 6);
    rig.advance(2);
    expect(server.status('client A').levels.peakDbfs[3]).toBeNull(); // A has read that period already
  });

  it('refuses to replace a regular file at the socket path, and creates the socket owner-only', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rig-flood-'));
    const path = join(dir, 'important.txt');
    writeFileSync(path, 'keep me');
    const attempt = new RigServer({ rig: new VirtualRig(), engine: new ClickEngine(), osc: false, socketPath: path, log: () => {} });
    await expect(attempt.start()).rejects.toThrow(/exists and is not a socket/);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    const sock = join(dir, 'rig.sock');
    server = new RigServer({ rig: new VirtualRig(), engine: new ClickEngine(), osc: false, socketPath: sock, log: () => {} });
    await server.start();
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o777).toBe(0o600);
  });
});
