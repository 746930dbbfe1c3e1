import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualRig } from '../../hil/rigs/virtualRig.ts';
import { parseParams } from '../engine/params.ts';
import { LossyEngine } from '../lossy/lossyEngine.ts';
import { lossyParamsSchema } from '../lossy/lossyParams.ts';
import { engineEntry } from '../presets/engineRegistry.ts';
import { OscListener } from './oscListener.ts';
import { RigServer } from './rigServer.ts';

/**
 * Interoperability with an OSC implementation no one here wrote: liblo's `oscsend` drives the lossy
 * effect's bridge and `oscdump` reads its replies and metrics pushes (Debian liblo-tools, installed
 * by scripts/install-debian-packages.sh). Skipped, saying so, where the tools are missing.
 */
const hasLiblo = spawnSync('oscsend', [], { stdio: 'ignore' }).error === undefined;
const run = promisify(execFile);

let server: RigServer;
let rig: VirtualRig;
let dump: ChildProcess;
let dumped = '';
let oscPort: number;
let dumpPort: number;
let dir: string;

const oscsend = (path: string, types = '', ...args: string[]) => run('oscsend', ['127.0.0.1', String(oscPort), path, ...(types ? [types, ...args] : [])]);
async function dumpedLine(pattern: RegExp, timeoutMs = 3000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const line = dumped.split('\n').find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() - t0 > timeoutMs) throw new Error(`oscdump printed no line matching ${pattern}; it printed:\n${dumped}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!hasLiblo)('the OSC bridge with liblo oscsend and oscdump', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bridge-liblo-'));
    // A free port for oscdump: taken by a listener, released, handed over.
    const probe = await OscListener.open();
    dumpPort = probe.port;
    await probe.close();
    dump = spawn('oscdump', ['-L', String(dumpPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    dump.stdout?.on('data', (b: Buffer) => { dumped += b.toString(); });
    rig = new VirtualRig({ sampleRate: 48000, periodFrames: 64, latencySamples: 64, clock: 'simulated' });
    const params = parseParams(lossyParamsSchema, {}, 'test');
    server = new RigServer({
      rig, engine: new LossyEngine(params), osc: { port: 0 }, socketPath: false, log: () => {},
      source: { kind: 'noise', seed: 3, amplitude: 0.25 },
      effect: {
        entry: engineEntry('lossy'), params, replyTo: { address: '127.0.0.1', port: dumpPort },
        shippedPresetsDir: join(dir, 'shipped'), userPresetsDir: join(dir, 'user'), snapshotsDir: join(dir, 'snapshots'),
      },
    });
    await server.start();
    oscPort = Number(server.listening.osc?.split(':')[1]);
    rig.advance(1000);
    await new Promise((r) => setTimeout(r, 100)); // oscdump has bound its port
  });

  afterAll(async () => {
    dump?.kill();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a parameter with oscsend and reads it back with oscdump', async () => {
    await oscsend('/lossy/param/outputGainDb', 'f', '-6.5');
    await oscsend('/lossy/param/bitcrush/bit_depth', 'i', '12');
    await oscsend('/lossy/params/get');
    const line = await dumpedLine(/\/lossy\/params /);
    expect(line).toMatch(/"outputGainDb" -6\.5/);
    expect(line).toMatch(/"bitcrush\.bitDepth" 12/);
  });

  it('answers a bad value from oscsend with /lossy/error naming the range, and counts it', async () => {
    const before = server.status().counts.badParamValues;
    await oscsend('/lossy/param/outputGainDb', 'f', '99');
    expect(await dumpedLine(/\/lossy\/error/)).toMatch(/outputGainDb: got 99, allowed -60…24/);
    expect(server.status().counts.badParamValues).toBe(before + 1);
  });

  it('pushes metrics that oscdump prints', async () => {
    await oscsend('/lossy/subscribe', 'ii', String(dumpPort), '100');
    expect(await dumpedLine(/\/lossy\/metrics\/rms f/)).toMatch(/\/lossy\/metrics\/rms f \d+\.\d+/);
    await dumpedLine(/\/lossy\/metrics\/spectral_centroid f/);
    await oscsend('/lossy/unsubscribe', 'i', String(dumpPort));
    await dumpedLine(/\/lossy\/unsubscribed/);
  });

  it('writes a snapshot on request and names the files', async () => {
    await oscsend('/lossy/request_snapshot', 'f', '0.25');
    expect(await dumpedLine(/\/lossy\/snapshot_ready ss/)).toMatch(/-in\.wav" ".*-out\.wav"/);
  });
});
