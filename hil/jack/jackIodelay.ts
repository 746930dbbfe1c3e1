import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { RigError } from '../../src/host/audioRig.ts';
import { JACK_ENV } from './jackServer.ts';

const run = promisify(execFile);

export interface IodelayResult {
  /** Round trip of the JACK loop as jack_iodelay reads it (frames; 128.000 on the dummy loopback at period 128). */
  roundTripFrames: number;
  roundTripMs: number;
  /** Every reading it printed (it prints about once a period of its own). */
  readings: number[];
}

/**
 * Runs jack_iodelay (jackd2's tools) on loopback port k for `seconds`: connects jack_delay:out →
 * loopback:playback_k and loopback:capture_k → jack_delay:in, then reads its "N frames  M ms total
 * roundtrip latency" lines. The calibration compares the rig's device latency with this number.
 */
export async function runJackIodelay(port = 1, seconds = 3): Promise<IodelayResult> {
  const child = spawn('stdbuf', ['-o0', 'jack_iodelay'], { env: JACK_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', () => {});
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (let i = 0; ; i++) {
      try {
        await run('jack_connect', ['jack_delay:out', `loopback:playback_${port}`], { env: JACK_ENV });
        await run('jack_connect', [`loopback:capture_${port}`, 'jack_delay:in'], { env: JACK_ENV });
        break;
      } catch (err) {
        if (i > 30) throw new RigError(`jack_iodelay: cannot connect to loopback port ${port}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await new Promise((r) => setTimeout(r, seconds * 1000));
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const readings = [...out.matchAll(/([\d.]+) frames\s+([\d.]+) ms total roundtrip/g)].map((m) => Number(m[1]));
  if (readings.length === 0) throw new RigError(`jack_iodelay printed no reading in ${seconds} s: ${out.slice(-200)}`);
  const last = readings[readings.length - 1];
  const match = [...out.matchAll(/([\d.]+) frames\s+([\d.]+) ms total roundtrip/g)].pop()!;
  return { roundTripFrames: last, roundTripMs: Number(match[2]), readings };
}
