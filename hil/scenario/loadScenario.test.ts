import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMidi } from 'midi-file';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR } from '../runner/runHil.ts';
import { ScenarioError, loadScenario, withDurationMinutes } from './loadScenario.ts';

const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function write(name: string, body: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  return file;
}
function errorOf(file: string): ScenarioError {
  try {
    loadScenario(file);
  } catch (e) {
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('loadScenario', () => {
  it('places events in samples at the scenario rate, in time order, with default transport and budgets', () => {
    const file = write('ok.json', {
      formatVersion: 1,
      timeline: [
        { type: 'noteOff', atMs: 100, channel: 1, note: 60 },
        { type: 'noteOn', atSamples: 480, channel: 1, note: 60, velocity: 100, transport: 'osc' },
      ],
    });
    const s = loadScenario(file);
    expect(s.events.map((e) => [e.type, e.atFrame, e.transport])).toEqual([
      ['noteOn', 480, 'osc'],
      ['noteOff', 4800, 'socket'],
    ]);
    expect(s.durationFrames).toBe(4800 + 48000);
    expect(s.scenario.budgets.latency.p99Ms).toBe(5);
    expect(s.scenario.budgets.dropouts).toBe(0);
  });

  it('expands a repeat group with note and channel steps', () => {
    const file = write('rep.json', {
      formatVersion: 1,
      timeline: [{ type: 'repeat', atMs: 10, count: 4, everyMs: 50, noteStep: 2, channelStep: 1, channelRange: [1, 2],
        events: [{ type: 'noteOn', atMs: 0, channel: 1, note: 126, velocity: 90 }, { type: 'noteOff', atMs: 20, channel: 1, note: 126 }] }],
    });
    const on = loadScenario(file).events.filter((e) => e.type === 'noteOn') as Array<{ atMs: number; note: number; channel: number }>;
    expect(on.map((e) => [e.atMs, e.note, e.channel])).toEqual([[10, 126, 1], [60, 0, 2], [110, 2, 1], [160, 4, 2]]);
  });

  it('names the file, the JSON path and the expectation of an invalid event', () => {
    const e = errorOf(write('bad.json', { formatVersion: 1, timeline: [{ type: 'noteOn', atMs: 0, channel: 16, note: 60, velocity: 100 }] }));
    expect(e.message).toMatch(/bad\.json: at timeline\[0\]\.channel: got 16, expected a value ≤ 15/);
  });

  it('rejects an event with both or neither of atMs and atSamples', () => {
    const e = errorOf(write('time.json', { formatVersion: 1, timeline: [{ type: 'panic' }, { type: 'panic', atMs: 1, atSamples: 48 }] }));
    expect(e.problems).toEqual(['at timeline[0]: expected exactly one of "atMs" or "atSamples"', 'at timeline[1]: expected exactly one of "atMs" or "atSamples"']);
  });

  it('rejects unknown keys, an unknown event type and a wrong format version', () => {
    expect(errorOf(write('k.json', { formatVersion: 1, budget: {} })).message).toMatch(/unknown key "budget"/);
    expect(errorOf(write('t.json', { formatVersion: 1, timeline: [{ type: 'noteOnn', atMs: 0 }] })).message).toMatch(/timeline\[0\]/);
    expect(errorOf(write('v.json', { formatVersion: 2 })).message).toMatch(/formatVersion: got 2/);
  });

  it('places a JSON syntax error at its line and column', () => {
    expect(errorOf(write('syntax.json', '{\n  "formatVersion": 1,\n  "timeline": [,]\n}')).message).toMatch(/syntax\.json: invalid JSON at line 3, column 16: ValueExpected/);
  });

  it('reports a missing file with its name', () => {
    expect(errorOf(join(dir, 'nope.json')).message).toMatch(/nope\.json: cannot be read \(ENOENT\)/);
  });

  it('imports a Standard MIDI File with MPE pressure, bend and timbre at the file tempo', () => {
    const bytes = writeMidi({
      header: { format: 0, numTracks: 1, ticksPerBeat: 480 },
      tracks: [[
        { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 250000 },
        { deltaTime: 0, type: 'noteOn', channel: 2, noteNumber: 64, velocity: 100 },
        { deltaTime: 480, type: 'pitchBend', channel: 2, value: 4096 },
        { deltaTime: 0, type: 'channelAftertouch', channel: 2, amount: 127 },
        { deltaTime: 0, type: 'controller', channel: 2, controllerType: 74, value: 0 },
        { deltaTime: 960, type: 'noteOn', channel: 2, noteNumber: 64, velocity: 0 },
        { deltaTime: 0, meta: true, type: 'endOfTrack' },
      ]],
    } as never);
    const mid = join(dir, 'perf.mid');
    writeFileSync(mid, Buffer.from(bytes));
    const s = loadScenario(mid);
    expect(s.events.map((e) => [e.type, e.atMs])).toEqual([['noteOn', 0], ['mpe', 250], ['mpe', 250], ['mpe', 250], ['noteOff', 750]]);
    expect(s.events.slice(1, 4)).toMatchObject([{ bend: 0.5 }, { pressure: 1 }, { timbre: 0 }]);
  });
});

describe('loadScenario bounds what it accepts, and says what it expected', () => {
  it('refuses a time beyond an hour when the file is read', () => {
    const e = errorOf(write('far.json', { formatVersion: 1, timeline: [{ type: 'panic', atMs: 1e300 }] }));
    expect(e.message).toMatch(/far\.json: at timeline\[0\]\.atMs: got 1e\+300, expected a value ≤ 3600000/);
  });

  it('refuses a repeat group that would run past an hour', () => {
    const e = errorOf(write('long.json', { formatVersion: 1, timeline: [{ type: 'repeat', count: 1000, everyMs: 10_000, events: [{ type: 'panic', atMs: 0 }] }] }));
    expect(e.message).toMatch(/at timeline\[0\]\.events\[0\] #361: falls at 3610\.0 s, expected at most 3600 s/);
  });

  it('refuses 200 000 events before expanding them, in well under a second', () => {
    const started = performance.now();
    const e = errorOf(write('many.json', { formatVersion: 1, timeline: [{ type: 'repeat', count: 50_000, everyMs: 1, events: [{ type: 'noteOn', atMs: 0, channel: 0, note: 60, velocity: 1 }, { type: 'noteOff', atMs: 0, channel: 0, note: 60 }, { type: 'panic', atMs: 0 }, { type: 'panic', atMs: 0 }] }] }));
    expect(e.message).toMatch(/expands to 200000 events, expected at most 50000/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('names the expectation of a wrong type inside a timeline entry, not "Invalid input"', () => {
    const e = errorOf(write('type.json', { formatVersion: 1, timeline: [{ type: 'noteOn', atMs: 0, channel: 'one', note: 60, velocity: 100 }] }));
    expect(e.message).toMatch(/at timeline\[0\]\.channel: got "one", expected number$/);
    const t = errorOf(write('kind.json', { formatVersion: 1, timeline: [{ type: 'note-on', atMs: 0 }] }));
    expect(t.message).toMatch(/at timeline\[0\]\.type: got "note-on", expected "type" to be one of "noteOn", "noteOff", "mpe", "param", "panic", "osc", "preset", "repeat"/);
  });

  it('asks an effect scenario for its programme, and refuses programme material or preset loads in an instrument scenario', () => {
    const noProgramme = errorOf(write('fx.json', { formatVersion: 1, kind: 'effect', engineName: 'reverb' }));
    expect(noProgramme.message).toMatch(/at programme: got nothing, an effect scenario needs its programme material/);
    const stray = errorOf(write('inst.json', { formatVersion: 1, programme: { kind: 'noise' }, timeline: [{ type: 'preset', atMs: 0, name: 'hall' }] }));
    expect(stray.message).toMatch(/at programme: .*programme material is for effect scenarios/);
    expect(stray.message).toMatch(/at timeline: .*preset loads are for effect scenarios/);
    const badName = errorOf(write('name.json', { formatVersion: 1, kind: 'effect', programme: { kind: 'noise' }, timeline: [{ type: 'preset', atMs: 0, name: '../etc' }] }));
    expect(badName.message).toMatch(/at timeline\[0\]\.name: .*expected a preset name/);
  });

  it('cuts a huge value in the message to a readable length', () => {
    const e = errorOf(write('huge.json', { formatVersion: 1, description: 'x'.repeat(128 * 1024) }));
    expect(e.message.length).toBeLessThan(200);
    expect(e.message).toMatch(/at description: got "x+… \(131072 characters\), expected a length ≤ 2000/);
  });

  it('names the file and the place of nesting too deep to read, without overflowing the stack', () => {
    const e = errorOf(write('deep.json', `{"formatVersion": 1, "timeline": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`));
    expect(e.message).toMatch(/deep\.json: invalid JSON at line 1, column \d+: nested deeper than 64 levels/);
  });

  it('lists ten problems and counts the rest', () => {
    const e = errorOf(write('untimed.json', { formatVersion: 1, timeline: Array.from({ length: 30 }, () => ({ type: 'panic' })) }));
    expect(e.problems).toHaveLength(30);
    expect(e.message).toMatch(/timeline\[9\]: expected exactly one of "atMs" or "atSamples"; and 20 more$/);
  });
});

describe('withDurationMinutes (--soak-minutes)', () => {
  const soak = loadScenario(join(SCENARIOS_DIR, 'soak.json'));

  it('runs the soak for 2 and 60 minutes: the same tail, every repeat group continued to the new end', () => {
    for (const minutes of [2, 60]) {
      const s = withDurationMinutes(soak, minutes);
      const noteOns = s.events.filter((e) => e.type === 'noteOn');
      const last = s.events[s.events.length - 1].atFrame;

      expect(s.durationFrames).toBe((minutes * 60_000 + 500) * 48);
      // 5995 notes every 100 ms and 2995 every 200 ms in 10 minutes: 600 and 300 more (fewer) per minute.
      expect(noteOns.length).toBe(5995 + 2995 + (minutes - 10) * (600 + 300));
      expect(s.durationFrames - last).toBe(soak.durationFrames - soak.events[soak.events.length - 1].atFrame);
    }
  });

  it('refuses a scenario without a duration, and a non-positive number of minutes', () => {
    const sweep = loadScenario(join(SCENARIOS_DIR, 'sweep-32.json'));
    expect(() => withDurationMinutes(sweep, 5)).toThrow(/has no durationMs/);
    expect(() => withDurationMinutes(soak, 0)).toThrow(/cannot run for 0 minutes/);
  });
});
