import { describe, expect, it } from 'vitest';
import { type EngineBuilder, StructuralChanges } from './structuralChanges.ts';

/** A builder whose builds finish when the test says (`finish(error?)`), like a worker's or a sliced one. */
function fakeBuilder() {
  const builds: { id: number; params: unknown; done: (error: string | undefined) => void }[] = [];
  const unstaged: number[] = [];
  let staged = false;
  const builder: EngineBuilder = {
    lastCost: undefined,
    get busy() { return builds.length > 0 || staged; },
    build(id, params, done) { builds.push({ id, params, done }); },
    unstage(id) { unstaged.push(id); staged = false; },
    close() {},
  };
  const finish = (error?: string) => {
    const b = builds.shift()!;
    staged = error === undefined;
    b.done(error);
  };
  return { builder, builds, unstaged, finish, free: () => { staged = false; } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('StructuralChanges: one switch at a time, errors to whoever asked', () => {
  it('queues the switch once the engine is staged, and sends a later build failure to the requester only', () => {
    const f = fakeBuilder();
    const submitted: number[] = [];
    const global: string[] = [];
    const s = new StructuralChanges({ builder: f.builder, submitSwitch: (id) => { submitted.push(id); return undefined; }, onLateError: (m) => global.push(m) });
    const mine: string[] = [];
    expect(s.request({ lines: 16 }, (m) => mine.push(m))).toBeUndefined();
    f.finish();
    expect(submitted).toEqual([1]);
    f.free();
    expect(s.request({ lines: 8 }, (m) => mine.push(m))).toBeUndefined();
    f.finish('cannot build reverb with these parameters: no');
    expect(mine).toEqual(['cannot build reverb with these parameters: no']);
    expect(global).toEqual([]);
    expect(submitted).toEqual([1]);
    expect(s.counts.switches).toBe(1);
    s.close();
  });

  it('takes the engine back and answers the requester when the switch cannot be queued', () => {
    const f = fakeBuilder();
    const mine: string[] = [];
    const s = new StructuralChanges({ builder: f.builder, submitSwitch: () => 'the command queue is full', onLateError: () => {} });
    s.request({}, (m) => mine.push(m));
    f.finish();
    expect(f.unstaged).toEqual([1]);
    expect(mine).toEqual(['the command queue is full']);
    s.close();
  });

  it('keeps the newest change while one builds, counts the ones it skips, and sends the waiting one\'s failure to its own requester', async () => {
    const f = fakeBuilder();
    const errors: Record<string, string[]> = { a: [], b: [], c: [], global: [] };
    const s = new StructuralChanges({ builder: f.builder, submitSwitch: () => undefined, onLateError: (m) => errors.global.push(m) });
    s.request({ n: 'a' }, (m) => errors.a.push(m));
    s.request({ n: 'b' }, (m) => errors.b.push(m)); // waits
    s.request({ n: 'c' }, (m) => errors.c.push(m)); // replaces b
    expect(s.counts.superseded).toBe(1);
    f.finish();
    f.free();
    await sleep(20); // the retry timer (5 ms) builds the waiting change
    expect(f.builds.map((b) => b.params)).toEqual([{ n: 'c' }]);
    f.finish('failed late');
    expect(errors).toEqual({ a: [], b: [], c: ['failed late'], global: [] });
    s.close();
  });
});
