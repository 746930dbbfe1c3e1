import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { RigError } from '../../src/host/audioRig.ts';
import { JACK_ENV, jackPorts } from './jackServer.ts';

const run = promisify(execFile);

export interface IodelayResult {
  /** Round trip of the JACK loop as jack_iodelay reads it (frames; 128.000 on the dummy loopback at period 128). */
  roundTripFrames: number;
  roundTripMs: number;
  /** Every reading it printed (it prints about once a period of its own). */
  readings: number[];
}

/** Readings in a row that must agree to the printed digit before jack_iodelay is stopped early. */
export const SETTLED_READINGS = 3;
const READING = /([\d.]+) frames\s+([\d.]+) ms total roundtrip/g;

/**
 * Waits (≤ 2 s) until jackd has dropped jack_iodelay's ports. A server stopped while it is still removing the
 * killed client took 1–6 s to exit on SIGTERM (measured on the dummy loopback, 4 of 4 runs), and ~50 ms once the
 * ports were gone.
 */
async function untilClientGone(): Promise<void> {
  const deadline = performance.now() + 2000;
  while (performance.now() < deadline) {
    const ports = await jackPorts();
    if (ports === undefined || !ports.some((p) => p.startsWith('jack_delay:'))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** jack_iodelay's readings in its output so far, as printed (frames and ms, their digits kept). */
export function iodelayReadings(out: string): { frames: string; ms: string }[] {
  return [...out.matchAll(READING)].map((m) => ({ frames: m[1], ms: m[2] }));
}

/** True once the last SETTLED_READINGS readings print the same round trip in frames. */
export function iodelaySettled(readings: readonly { frames: string }[]): boolean {
  const last = readings.slice(-SETTLED_READINGS);
  return last.length === SETTLED_READINGS && last.every((r) => r.frames === last[0].frames);
}

/**
 * Runs jack_iodelay (jackd2's tools) on loopback port k: connects jack_delay:out → loopback:playback_k and
 * loopback:capture_k → jack_delay:in, then reads its "N frames  M ms total roundtrip latency" lines until
 * SETTLED_READINGS in a row print the same round trip, or for `seconds` at most (then the last reading, settled
 * or not). The calibration compares the rig's device latency with this number. On the dummy loopback it settles
 * on its first readings (~0.5 s after connecting instead of the 1.5–2 s the callers allowed it).
 */
export async function runJackIodelay(port = 1, seconds = 3): Promise<IodelayResult> {
  const child = spawn('stdbuf', ['-o0', 'jack_iodelay'], { env: JACK_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let settle: () => void = () => {};
  const settled = new Promise<void>((r) => { settle = r; });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (iodelaySettled(iodelayReadings(out))) settle();
  });
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
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise((r) => { timer = setTimeout(r, seconds * 1000); })]);
    clearTimeout(timer);
  } finally {
    child.kill('SIGTERM');
    await exited;
    await untilClientGone();
  }
  const readings = iodelayReadings(out);
  if (readings.length === 0) throw new RigError(`jack_iodelay printed no reading in ${seconds} s: ${out.slice(-200)}`);
  const last = readings[readings.length - 1];
  return { roundTripFrames: Number(last.frames), roundTripMs: Number(last.ms), readings: readings.map((r) => Number(r.frames)) };
}
