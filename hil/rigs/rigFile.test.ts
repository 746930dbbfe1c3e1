import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RigError } from '../../src/host/audioRig.ts';
import { loadRig } from './loadRig.ts';
import { readRigFile } from './rigFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'rig-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, json: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

const valid = {
  formatVersion: 1, name: 'studio', backend: 'portaudio', device: 'Fireface', sampleRate: 48000, periodFrames: 128,
  inputChannels: 4, outputChannels: 4, channelMap: [0, 1, 3, 2],
};

describe('rig files', () => {
  it('the shipped rig files are valid', () => {
    expect(readRigFile(new URL('./jack-loopback.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack', device: 'loopback', periodFrames: 128 });
    expect(readRigFile(new URL('./jack-loopback-64.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack', periodFrames: 64, jack: { realtime: true, sync: true } });
    expect(readRigFile(new URL('./studio-32.example.json', import.meta.url).pathname)).toMatchObject({ backend: 'portaudio', pilot: { output: 31, input: 31 } });
    expect(readRigFile(new URL('./jack-native.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack-native', periodFrames: 64, jack: { realtime: true, sync: false, fillPeriods: 2 } });
    expect(readRigFile(new URL('./jack-native-128.json', import.meta.url).pathname)).toMatchObject({ backend: 'jack-native', periodFrames: 128, jack: { fillPeriods: 1 } });
  });

  it('a jack-native rig has the native client\'s timing: stream buffering = fillPeriods · period, and defaults', () => {
    const native = { ...valid, backend: 'jack-native', device: undefined, channelMap: undefined, jack: { fillPeriods: 3 } };
    const rig = loadRig(write('native.json', native));
    expect(rig.constructor.name).toBe('JackNativeRig');
    expect(rig.streamBufferingFrames).toBe(3 * 128);
    expect(readRigFile(write('native-defaults.json', { ...native, jack: {} }))).toMatchObject({ jack: { fillPeriods: 2, ringPeriods: 256, startServer: true, sync: false } });
  });

  it.each([
    ['a wrong type', { ...valid, sampleRate: '48k' }, /\$\.sampleRate: .*number/],
    ['an unknown key', { ...valid, smapleRate: 48000 }, /smapleRate/],
    ['an unknown backend', { ...valid, backend: 'asio' }, /\$\.backend/],
    ['a channel map of the wrong length', { ...valid, channelMap: [0, 1] }, /\$\.channelMap: expected 4 entries/],
    ['a channel map entry beyond the inputs', { ...valid, channelMap: [0, 1, 2, 9] }, /\$\.channelMap\[3\]: expected an input −1…3, got 9/],
    ['a native fill level of 0 periods', { ...valid, backend: 'jack-native', device: undefined, jack: { fillPeriods: 0 } }, /\$\.jack\.fillPeriods/],
    ['a native server name that is a path', { ...valid, backend: 'jack-native', device: undefined, jack: { serverName: '../x' } }, /\$\.jack\.serverName/],
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
    expect(() => loadRig('jak')).toThrow(/unknown rig "jak": .*known rigs: virtual, jack, jack-loopback, jack-loopback-64, jack-native, jack-native-128, virtual-128 /);
  });
});

describe('the version key', () => {
  it('is formatVersion, as in presets, scenarios and reports; a rig file with the old "version" key still reads', () => {
    const { formatVersion: _v, ...rest } = valid;
    expect(readRigFile(write('old.json', { ...rest, version: 1 }))).toMatchObject({ formatVersion: 1, name: 'studio' });
    expect(() => readRigFile(write('v2.json', { ...rest, version: 2 }))).toThrow(/\$\.formatVersion: got 2, expected 1/);
  });
});
