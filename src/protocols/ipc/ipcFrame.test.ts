import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ControlCommand } from './controlCommand.ts';
import { FrameReader } from './frameReader.ts';
import { FrameType, IpcFrameError, encodeCommandFrame, encodeFrame, frameToCommand } from './ipcFrame.ts';

const SEED = 20261121;

const commandArb: fc.Arbitrary<ControlCommand> = fc.oneof(
  fc.record({ type: fc.constant('noteOn' as const), channel: fc.integer({ min: 0, max: 15 }), note: fc.integer({ min: 0, max: 127 }), velocity: fc.integer({ min: 0, max: 127 }) }),
  fc.record({ type: fc.constant('noteOff' as const), channel: fc.integer({ min: 0, max: 15 }), note: fc.integer({ min: 0, max: 127 }), velocity: fc.integer({ min: 0, max: 127 }) }),
  fc.record({
    type: fc.constant('mpe' as const), channel: fc.integer({ min: 0, max: 15 }),
    pressure: fc.float({ min: 0, max: 1, noNaN: true }), bend: fc.float({ min: -1, max: 1, noNaN: true }), timbre: fc.float({ min: 0, max: 1, noNaN: true }),
  }),
  fc.constant({ type: 'panic' as const }),
  fc.record({ type: fc.constant('midi' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
).chain((c) => fc.record({
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  timestamp: fc.option(fc.oneof(
    fc.record({ kind: fc.constant('frame' as const), frame: fc.integer({ min: 0, max: 2 ** 40 }) }),
    fc.record({ kind: fc.constant('epochMs' as const), epochMs: fc.double({ min: 0, max: 4e12, noNaN: true }) }),
  ), { nil: undefined }),
}).map((extra) => ({ ...c, ...extra }) as ControlCommand));

function decodeAll(reader: FrameReader, chunks: Uint8Array[]) {
  const commands: ControlCommand[] = [];
  const errors: IpcFrameError[] = [];
  for (const chunk of chunks) {
    const r = reader.push(chunk);
    errors.push(...r.errors);
    if (r.fatal) errors.push(r.fatal);
    for (const f of r.frames) {
      try {
        commands.push(frameToCommand(f));
      } catch (e) {
        errors.push(e as IpcFrameError);
      }
    }
  }
  return { commands, errors };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

describe('IPC frames', () => {
  it('round-trips every command through any chunking of the stream', () => {
    fc.assert(fc.property(fc.array(commandArb, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (cmds, cuts) => {
      const stream = concat(cmds.map(encodeCommandFrame));
      const { commands, errors } = decodeAll(new FrameReader(), splitAt(stream, cuts));
      expect(errors).toEqual([]);
      expect(commands.length).toBe(cmds.length);
      for (const [i, c] of cmds.entries()) {
        expect(commands[i].type).toBe(c.type);
        expect(commands[i].seq).toBe(c.seq);
        expect(commands[i].timestamp).toEqual(c.timestamp);
      }
    }), { seed: SEED, numRuns: 200 });
  });

  it('counts every bad frame between good ones and stays in sync (counts add up)', () => {
    const bad = [
      encodeFrame(0x7f, new Uint8Array(3)),                      // unknown type
      encodeFrame(FrameType.NoteOn, Uint8Array.of(1, 60)),       // short payload
      encodeFrame(FrameType.NoteOn, Uint8Array.of(16, 60, 100, 0)), // channel out of range
      encodeFrame(FrameType.StatusReply, new Uint8Array(0)),     // server → client type
      (() => { const f = encodeFrame(FrameType.Panic, new Uint8Array(0)); f[4] = 9; return f; })(), // version
    ];
    fc.assert(fc.property(fc.array(fc.oneof(commandArb.map((c) => ({ ok: true, bytes: encodeCommandFrame(c) })),
      fc.constantFrom(...bad).map((b) => ({ ok: false, bytes: b }))), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 8 }), (items, cuts) => {
      const { commands, errors } = decodeAll(new FrameReader(), splitAt(concat(items.map((i) => i.bytes)), cuts));
      expect(commands.length).toBe(items.filter((i) => i.ok).length);
      expect(errors.length).toBe(items.filter((i) => !i.ok).length);
    }), { seed: SEED, numRuns: 200 });
  });

  it('never throws on random bytes, and a bad length prefix ends the stream with a clear error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
      const reader = new FrameReader();
      expect(() => decodeAll(reader, splitAt(bytes, cuts))).not.toThrow();
      reader.end();
    }), { seed: SEED, numRuns: 500 });
    const r = new FrameReader().push(Uint8Array.of(1, 0, 0, 0, 1));
    expect(r.fatal?.message).toMatch(/length 1, expected 16…65552; cannot resynchronise/);
  });

  it('reports a stream that ends inside a frame as a truncated frame', () => {
    const reader = new FrameReader();
    const frame = encodeCommandFrame({ type: 'noteOn', channel: 0, note: 60, velocity: 100 });
    expect(reader.push(frame.subarray(0, 11)).frames).toEqual([]);
    expect(reader.end()?.message).toMatch(/stream ended inside a frame at stream byte 0: 11 bytes/);
  });

  it('names the frame type, size and expectation of a malformed payload', () => {
    const reader = new FrameReader();
    const [frame] = reader.push(encodeFrame(FrameType.MpeUpdate, new Uint8Array(12), 42)).frames;
    expect(() => frameToCommand(frame)).toThrow('MpeUpdate payload is 12 bytes, expected 16');
    try { frameToCommand(frame); } catch (e) { expect((e as IpcFrameError).seq).toBe(42); }
  });
});
