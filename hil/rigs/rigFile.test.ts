import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RigError } from '../../src/host/audioRig.ts';
import { loadRig } from './loadRig.ts';
import { readRigFile, upgradeRigFile } from './rigFile.ts';

const RIGS = new URL('.', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'rig-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, json: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

const valid = {
  formatVersion: 2, name: 'studio', backend: 'portaudio', device: 'Fireface', sampleRate: 48000, periodFrames: 128,
  inputChannels: 4, outputChannels: 4, inputIndexPerOutput: [0, 1, 3, 2],
};

describe('rig files', () => {
  it('the shipped rig files are valid', () => {
    expect(readRigFile(new URL('./jack-loopback.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack', device: 'loopback', periodFrames: 128 });
    expect(readRigFile(new URL('./jack-loopback-64.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack', periodFrames: 64, jack: { realtime: true, sync: true } });
    expect(readRigFile(new URL('./studio-32.example.json', import.meta.url).pathname)).toMatchObject({ backend: 'portaudio', pilot: { outputIndex: 31, inputIndex: 31 } });
    expect(readRigFile(new URL('./jack-native.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack-native', periodFrames: 64, jack: { realtime: true, sync: false, fillPeriods: 2 } });
    expect(readRigFile(new URL('./jack-native-128.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack-native', periodFrames: 128, jack: { fillPeriods: 1 } });
    expect(readRigFile(new URL('./jack-native-low-latency.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack-native', periodFrames: 64, jack: { fillPeriods: 2, renderDelayPeriods: 0.75 } });
  });

  it('a jack-native rig has the native client\'s timing: stream buffering = fillPeriods · period, and defaults', () => {
    const native = { ...valid, backend: 'jack-native', device: undefined, inputIndexPerOutput: undefined, jack: { fillPeriods: 3 } };
    const rig = loadRig(write('native.json', native));
    expect(rig.constructor.name).toBe('JackNativeRig');
    expect(rig.streamBufferingFrames).toBe(3 * 128);
    expect(readRigFile(write('native-defaults.json', { ...native, jack: {} }))).toMatchObject({ jack: { fillPeriods: 2, renderDelayPeriods: 0, ringPeriods: 256, startServer: true, sync: false } });
    // The render delay: a share of the period, its stream buffering unchanged.
    const delayed = loadRig(write('native-delay.json', { ...native, jack: { fillPeriods: 2, renderDelayPeriods: 0.5 } }));
    expect(delayed.streamBufferingFrames).toBe(2 * 128);
    expect(delayed.renderDelayFrames).toBe(64);
    expect(rig.renderDelayFrames).toBe(0);
  });

  it.each([
    ['a wrong type', { ...valid, sampleRate: '48k' }, /\$\.sampleRate: .*number/],
    ['an unknown key', { ...valid, smapleRate: 48000 }, /smapleRate/],
    ['an unknown backend', { ...valid, backend: 'asio' }, /\$\.backend/],
    ['a channel map of the wrong length', { ...valid, inputIndexPerOutput: [0, 1] }, /\$\.inputIndexPerOutput: got 2 entries, expected 4, one per output \(outputs 1–4\)/],
    ['a native fill level of 0 periods', { ...valid, backend: 'jack-native', device: undefined, jack: { fillPeriods: 0 } }, /\$\.jack\.fillPeriods/],
    ['a native render delay of a whole period', { ...valid, backend: 'jack-native', device: undefined, jack: { renderDelayPeriods: 1 } }, /\$\.jack\.renderDelayPeriods/],
    ['a negative native render delay', { ...valid, backend: 'jack-native', device: undefined, jack: { renderDelayPeriods: -0.1 } }, /\$\.jack\.renderDelayPeriods/],
    ['a native server name that is a path', { ...valid, backend: 'jack-native', device: undefined, jack: { serverName: '../x' } }, /\$\.jack\.serverName/],
    ['a native server name JACK\'s clients crash on', { ...valid, backend: 'jack-native', device: undefined, jack: { serverName: 'x'.repeat(24) } }, /\$\.jack\.serverName: got "x{24}", a JACK server name of 24 characters crashes JACK's client library/],
  ])('rejects %s naming the file, JSON path and expectation', (_what, json, message) => {
    const file = write('bad.json', json);
    expect(() => readRigFile(file)).toThrow(RigError);
    expect(() => readRigFile(file)).toThrow(new RegExp(`rig file ${file}: `));
    expect(() => readRigFile(file)).toThrow(message);
  });

  it('rejects text that is not JSON', () => {
    expect(() => readRigFile(write('text.json', '{ nope'))).toThrow(/not valid JSON/);
  });

  it('loads the virtual rig by default and a virtual rig file with its options', () => {
    expect(loadRig()).toMatchObject({ kind: 'virtual', clock: 'simulated', sampleRate: 48000, periodFrames: 64, inputChannels: 32, streamBufferingFrames: 64 });
    expect(loadRig('virtual-128')).toMatchObject({ kind: 'virtual', name: 'virtual-128', periodFrames: 128, streamBufferingFrames: 128 });
    const file = write('v.json', { ...valid, backend: 'virtual', device: undefined, virtual: { latencySamples: 64.5, invertedOutputs: [2] } });
    const rig = loadRig(file);
    expect(rig.kind).toBe('virtual');
    expect(rig.channelMap).toEqual([0, 1, 3, 2]);
  });

  it('names the candidates when a rig is unknown', () => {
    expect(() => loadRig('nosuchrig')).toThrow(/unknown rig "nosuchrig": not 'virtual', 'jack' or a rig file; known rigs: .*jack-native/);
  });
});

describe('rig file errors say what was expected', () => {
  it('names a typo as an unknown key beside the key it left missing', () => {
    const { periodFrames: _p, ...rest } = valid;
    const file = write('typo.json', { ...rest, periodFrame: 128 });
    expect(() => readRigFile(file)).toThrow(/\$\.periodFrames: got nothing, expected number; \$: unknown key "periodFrame"/);
  });

  it('names an out-of-range value with its bound', () => {
    expect(() => readRigFile(write('range.json', { ...valid, periodFrames: 100_000 }))).toThrow(/\$\.periodFrames: got 100000, expected a value ≤ 8192/);
  });

  it('places a syntax error at its line and column, and refuses nesting too deep to read', () => {
    expect(() => readRigFile(write('syntax.json', '{\n  "version": 1,\n  "name": }'))).toThrow(/not valid JSON at line 3, column 11: ValueExpected/);
    expect(() => readRigFile(write('deep.json', `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`))).toThrow(/nested deeper than 64 levels/);
  });

  it('lists the known rigs when a name is unknown', () => {
    expect(() => loadRig('jak')).toThrow(/unknown rig "jak": .*known rigs: virtual, jack, jack-loopback, jack-loopback-64, jack-native, jack-native-128, jack-native-low-latency, virtual-128 /);
  });
});

describe('the version key', () => {
  it('is formatVersion, as in presets, scenarios and reports; a rig file with the old "version" key still reads', () => {
    const { formatVersion: _v, ...rest } = valid;
    expect(readRigFile(write('old.json', { ...rest, version: 2 }))).toMatchObject({ formatVersion: 2, name: 'studio' });
    expect(() => readRigFile(write('v3.json', { ...rest, version: 3 }))).toThrow(/\$\.formatVersion: got 3, expected 2/);
  });
});

/** A rig file as format 1 wrote it: `channelMap`, `pilot: { output, input }`. */
function asFormat1(json: Record<string, unknown>): Record<string, unknown> {
  const { inputIndexPerOutput, pilot, ...rest } = json as { inputIndexPerOutput?: number[]; pilot?: { outputIndex: number; inputIndex: number } };
  return { ...rest, formatVersion: 1, ...(inputIndexPerOutput && { channelMap: inputIndexPerOutput }), ...(pilot && { pilot: { output: pilot.outputIndex, input: pilot.inputIndex } }) };
}

describe('format 2: channel keys say they are 0-based indices; format 1 still reads', () => {
  const withPilot = { ...valid, inputIndexPerOutput: [0, 1, 3, -1], pilot: { outputIndex: 3, inputIndex: 3 } };

  it('a format-1 file (channelMap, pilot output / input) loads to the same rig as its format-2 twin', () => {
    const v2 = readRigFile(write('twin-2.json', withPilot));
    const v1 = readRigFile(write('twin-1.json', asFormat1(withPilot)));
    expect(v1).toEqual(v2);
    expect(v1).toMatchObject({ formatVersion: 2, inputIndexPerOutput: [0, 1, 3, -1], pilot: { outputIndex: 3, inputIndex: 3 } });
    expect(v1).not.toHaveProperty('channelMap');
    // As the harness uses them: output 3 (index 2) heard on input 4, output 4 not wired, pilot on the last pair.
    for (const file of ['twin-1.json', 'twin-2.json']) {
      const rig = loadRig(join(dir, file));
      expect(rig.channelMap).toEqual([0, 1, 3, -1]);
      expect(rig.pilot).toEqual({ output: 3, input: 3 });
    }
  });

  it('every shipped rig file is format 2, and reads the same written as format 1', () => {
    const shipped = readdirSync(RIGS).filter((f) => f.endsWith('.json'));
    expect(shipped.length).toBeGreaterThanOrEqual(6);
    for (const f of shipped) {
      const json = JSON.parse(readFileSync(join(RIGS, f), 'utf8')) as Record<string, unknown>;
      expect(json, f).toMatchObject({ formatVersion: 2 });
      expect(json, f).not.toHaveProperty('channelMap');
      expect(readRigFile(write(`v1-${f}`, asFormat1(json))), f).toEqual(readRigFile(join(RIGS, f)));
    }
  });

  it('upgradeRigFile renames only format 1, leaves its input alone, and passes a newer format through', () => {
    const v1 = asFormat1(withPilot);
    const copy = structuredClone(v1);
    expect(upgradeRigFile(v1)).toEqual(withPilot);
    expect(v1).toEqual(copy);
    const v3 = { ...v1, formatVersion: 3 };
    expect(upgradeRigFile(v3)).toBe(v3);
    expect(upgradeRigFile([1])).toEqual([1]);
  });

  it('a format-2 file with a format-1 key is refused, naming the key', () => {
    expect(() => readRigFile(write('mixed.json', { ...valid, channelMap: [0, 1, 2, 3] }))).toThrow(/\$: unknown key "channelMap"/);
  });

  it.each([
    ['a wiring entry beyond the inputs', { ...valid, inputIndexPerOutput: [0, 1, 2, 4] },
      '$.inputIndexPerOutput[3] (output 4): got 4 (input 5), expected an input index 0…3 (inputs 1–4) or −1 (not wired)'],
    ['a wiring entry below −1', { ...valid, inputIndexPerOutput: [-2, 1, 2, 3] },
      '$.inputIndexPerOutput[0] (output 1): got -2, expected an input index 0…3 (inputs 1–4) or −1 (not wired)'],
    ['a pilot output beyond the outputs', { ...valid, pilot: { outputIndex: 4, inputIndex: 3 } },
      '$.pilot.outputIndex: got 4 (output 5), expected an output index 0…3 (outputs 1–4)'],
    ['a pilot input that is not wired', { ...valid, pilot: { outputIndex: 3, inputIndex: -1 } },
      '$.pilot.inputIndex: got -1, expected an input index 0…3 (inputs 1–4)'],
  ])('refuses %s, naming the key, the index range and the channels it stands for, from 1', (_what, json, message) => {
    const file = write('bad-index.json', json);
    expect(() => readRigFile(file)).toThrow(RigError);
    expect(() => readRigFile(file)).toThrow(`rig file ${file}: ${message}`);
  });

  it('names the key a format-1 file wrote when its index is bad', () => {
    const file = write('bad-v1.json', asFormat1({ ...valid, inputIndexPerOutput: [0, 1, 2, 9], pilot: { outputIndex: 7, inputIndex: 0 } }));
    expect(() => readRigFile(file)).toThrow(
      `rig file ${file}: $.channelMap[3] (output 4): got 9 (input 10), expected an input index 0…3 (inputs 1–4) or −1 (not wired); $.pilot.output: got 7 (output 8), expected an output index 0…3 (outputs 1–4)`,
    );
    expect(() => readRigFile(write('bad-v1-type.json', asFormat1({ ...valid, pilot: { outputIndex: 'last', inputIndex: 0 } })))).toThrow(/\$\.pilot\.output: got "last", expected number/);
  });
});
