import type { Engine } from '../engine/engine.ts';
import { type EngineEvent, type TimedEvent, makeEvent } from '../engine/events.ts';
import { render } from '../engine/render.ts';
import { isAllocationFree, measureAllocation } from '../engine/allocationProbe.ts';

/** What the conformance checks need to know about an engine under test. */
export interface ConformanceSubject {
  name: string;
  create: () => Engine;
  /** Input signal for a render of `frames` at `sampleRate` (default: seeded noise bursts on every input). */
  input?: (sampleRate: number, frames: number) => Float32Array[];
  /** Event timeline for a render at `sampleRate` (default: none). */
  events?: (sampleRate: number) => TimedEvent[];
  /** Render length (default 0.25 s). */
  seconds?: number;
}

export const SAMPLE_RATES = [44100, 48000, 96000] as const;
export const BLOCK_SIZES = [1, 17, 64, 128, 512, 1024] as const;

export interface CheckResult {
  ok: boolean;
  detail: string;
}

function framesOf(s: ConformanceSubject, sampleRate: number): number {
  return Math.round((s.seconds ?? 0.25) * sampleRate);
}

/** Seeded test input: a decaying noise burst at the start and a second one at 60 %, on every input. */
export function defaultInput(numInputs: number, frames: number, seed = 1): Float32Array[] {
  let x = seed >>> 0 || 1;
  return Array.from({ length: numInputs }, () => {
    const out = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const noise = ((x >>> 0) / 4294967296) * 2 - 1;
      const t1 = i / 2000;
      const t2 = (i - frames * 0.6) / 2000;
      out[i] = noise * (Math.exp(-t1) + (t2 >= 0 ? 0.5 * Math.exp(-t2) : 0)) * 0.5;
    }
    return out;
  });
}

function renderSubject(s: ConformanceSubject, sampleRate: number, blockFrames: number, engine = s.create()) {
  const frames = framesOf(s, sampleRate);
  return render(engine, {
    sampleRate,
    blockFrames,
    frames,
    input: s.input ? s.input(sampleRate, frames) : defaultInput(engine.numInputs, frames),
    events: s.events?.(sampleRate) ?? [],
  });
}

/** Where two renders first differ bit for bit: 0-based channel index and frame (both −1: a different channel count), or null. */
export function firstDifference(a: readonly Float32Array[], b: readonly Float32Array[]): { channelIndex: number; frame: number } | null {
  if (a.length !== b.length) return { channelIndex: -1, frame: -1 };
  for (let c = 0; c < a.length; c++) {
    const x = new Uint32Array(a[c].buffer, a[c].byteOffset, a[c].length);
    const y = new Uint32Array(b[c].buffer, b[c].byteOffset, b[c].length);
    if (x.length !== y.length) return { channelIndex: c, frame: Math.min(x.length, y.length) };
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return { channelIndex: c, frame: i };
  }
  return null;
}

/** A difference as a person reads it: "at channel 2, frame 17" (channels from 1), or "in their channel count". */
function differenceAt(d: { channelIndex: number; frame: number }, frameOffset = 0): string {
  return d.channelIndex < 0 ? 'in their channel count' : `at channel ${d.channelIndex + 1}, frame ${frameOffset + d.frame}`;
}

export function checkBlockSizeInvariance(s: ConformanceSubject, sampleRate: number, blockSizes: readonly number[] = BLOCK_SIZES): CheckResult {
  const reference = renderSubject(s, sampleRate, framesOf(s, sampleRate));
  for (const block of blockSizes) {
    const diff = firstDifference(reference, renderSubject(s, sampleRate, block));
    if (diff) return { ok: false, detail: `block ${block} at ${sampleRate} Hz differs from one block ${differenceAt(diff)}` };
  }
  return { ok: true, detail: `blocks ${blockSizes.join(', ')} bit-identical at ${sampleRate} Hz` };
}

export function checkFiniteNormal(s: ConformanceSubject, sampleRate: number, blockFrames = 128): CheckResult {
  const out = renderSubject(s, sampleRate, blockFrames);
  let peak = 0;
  for (let c = 0; c < out.length; c++) {
    const ch = out[c];
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      if (!Number.isFinite(v)) return { ok: false, detail: `non-finite ${v} at channel ${c + 1}, frame ${i}` };
      const a = Math.abs(v);
      if (a !== 0 && a < 1.1754943508222875e-38) return { ok: false, detail: `subnormal ${v} at channel ${c + 1}, frame ${i}` };
      if (a > peak) peak = a;
    }
  }
  if (peak === 0) return { ok: false, detail: 'the render is silent: the test signal does not exercise the engine' };
  return { ok: true, detail: `all finite and normal, peak ${peak.toFixed(4)}` };
}

export function checkDeterminism(s: ConformanceSubject, sampleRate: number): CheckResult {
  const diff = firstDifference(renderSubject(s, sampleRate, 128), renderSubject(s, sampleRate, 128));
  return diff
    ? { ok: false, detail: `two runs differ ${differenceAt(diff)}` }
    : { ok: true, detail: 'two runs bit-identical' };
}

/** save → load → save is identical, and an engine loaded from the saved state continues bit-identically. */
export function checkStateRoundTrip(s: ConformanceSubject, sampleRate: number, blockFrames = 64): CheckResult {
  const frames = framesOf(s, sampleRate);
  const half = Math.floor(frames / 2 / blockFrames) * blockFrames;
  const probe = s.create();
  const input = s.input ? s.input(sampleRate, frames) : defaultInput(probe.numInputs, frames);
  const events = s.events?.(sampleRate) ?? [];
  const a = s.create();
  render(a, { sampleRate, blockFrames, frames: half, input, events });
  const saved = structuredClone(a.getState());
  const b = s.create();
  b.prepare({ sampleRate, maxBlockFrames: blockFrames });
  b.setState(structuredClone(saved));
  const resaved = b.getState();
  try {
    assertDeepEqual(saved, resaved, 'state');
  } catch (e) {
    return { ok: false, detail: `save → load → save differs: ${(e as Error).message}` };
  }
  const rest = input.map((ch) => ch.subarray(half));
  const tail = events.filter((e) => e.atFrame >= half);
  const contA = render(a, { sampleRate, blockFrames, frames: frames - half, input: rest, events: tail, prepare: false, startFrame: half });
  const contB = render(b, { sampleRate, blockFrames, frames: frames - half, input: rest, events: tail, prepare: false, startFrame: half });
  const diff = firstDifference(contA, contB);
  return diff
    ? { ok: false, detail: `the restored engine diverges ${differenceAt(diff, half)}` }
    : { ok: true, detail: 'state round-trips and the restored engine continues bit-identically' };
}

/** After reset(), the engine renders exactly what a fresh engine renders. */
export function checkReset(s: ConformanceSubject, sampleRate: number): CheckResult {
  const e = s.create();
  const first = renderSubject(s, sampleRate, 128, e);
  e.reset();
  const frames = framesOf(s, sampleRate);
  const again = render(e, {
    sampleRate, blockFrames: 128, frames, prepare: false,
    input: s.input ? s.input(sampleRate, frames) : defaultInput(e.numInputs, frames),
    events: s.events?.(sampleRate) ?? [],
  });
  const diff = firstDifference(first, again);
  return diff
    ? { ok: false, detail: `after reset() the render differs ${differenceAt(diff)}` }
    : { ok: true, detail: 'reset() restores the fresh state' };
}

/**
 * process() allocates nothing: V8 heap growth over 1000 blocks, events included. Up to `attempts`
 * measurements (each the best of five windows) on fresh engines, each warmed up longer than the last:
 * code not yet optimised on a loaded machine boxes doubles (≈ 2 bytes per block was seen), a real
 * per-block allocation spoils every attempt (the allocating toy engine shows ~184 bytes per block in
 * all of them).
 */
export async function checkNoAllocation(s: ConformanceSubject, sampleRate = 48000, blockFrames = 64, attempts = 3): Promise<CheckResult> {
  const details: string[] = [];
  for (let a = 0; a < attempts; a++) {
    // Later attempts warm up longer and give the background compiler time to finish (busy machines).
    const r = await measureProcessAllocation(s, sampleRate, blockFrames, { warmupCalls: 5000 * 4 ** a, settleMs: a * 150 });
    if (r.ok) return { ok: true, detail: a ? `${r.detail} (attempt ${a + 1}; earlier: ${details.join('; ')})` : r.detail };
    details.push(r.detail);
  }
  return { ok: false, detail: details.join('; ') };
}

async function measureProcessAllocation(
  s: ConformanceSubject, sampleRate: number, blockFrames: number, warmup: { warmupCalls: number; settleMs: number },
): Promise<CheckResult> {
  const engine = s.create();
  engine.prepare({ sampleRate, maxBlockFrames: blockFrames });
  const inputs = defaultInput(engine.numInputs, blockFrames);
  const outputs = Array.from({ length: engine.numOutputs }, () => new Float32Array(blockFrames));
  // Replay the subject's events cyclically so the event path is measured too, as the hosts and render() pass
  // them: EngineEvents made by makeEvent(). A timed event with offsetFrames added (what this check passed before)
  // is an object of another shape: an engine's event code warmed and measured on it is not the code a host's
  // events run, which may deoptimise and allocate live while the check reads 0.
  const timeline = s.events?.(sampleRate) ?? [];
  const atFrames = timeline.map((t) => t.atFrame);
  const pool = timeline.map((t) => Object.assign(makeEvent(), { kind: t.kind, channel: t.channel, note: t.note, value: t.value, paramIndex: t.paramIndex }));
  warmEventCode(s, sampleRate, blockFrames, inputs, outputs, pool, warmup.warmupCalls);
  const blockEvents: EngineEvent[] = [];
  let cursor = 0;
  let frame = 0;
  const span = Math.max(1, framesOf(s, sampleRate));
  const step = () => {
    let count = 0;
    while (cursor < pool.length && atFrames[cursor] < frame + blockFrames) {
      const ev = pool[cursor];
      ev.offsetFrames = Math.max(0, Math.floor(atFrames[cursor++]) - frame); // as render() places it
      blockEvents[count++] = ev;
    }
    engine.process(inputs, outputs, blockFrames, blockEvents, count);
    frame += blockFrames;
    if (frame >= span) {
      frame = 0;
      cursor = 0;
    }
  };
  const m = await measureAllocation(step, warmup);
  const ok = isAllocationFree(m);
  return {
    ok,
    detail: m.gcDuringMeasurement
      ? `a garbage collection ran while process() was measured (${m.bytes} bytes over ${m.calls} blocks)`
      : `${m.bytes} bytes allocated over ${m.calls} blocks`,
  };
}

/**
 * The subject's event code on a throwaway instance, one event every block, as many blocks as the warm-up: in the
 * performance an event comes every few hundred blocks, too rarely for V8 to optimise the code it runs within the
 * warm-up, and unoptimised code boxes its doubles — the example pluck engine allocated 10 784 bytes over 1000 blocks
 * in the first attempt and 2 912 in the second, 0 only in the third (after 85 000 blocks); with a lower tier-up budget
 * (node --interrupt-budget=4096) 0 in the first. V8's feedback belongs to the code, not to the instance, so the
 * measured engine, warmed on the performance as before, then runs optimised event code. Same event objects (makeEvent()
 * shape) and buffers as the measurement (the measured engine writes its outputs afresh every block).
 */
function warmEventCode(s: ConformanceSubject, sampleRate: number, blockFrames: number, inputs: Float32Array[], outputs: Float32Array[], pool: EngineEvent[], blocks: number): void {
  if (pool.length === 0) return;
  const engine = s.create();
  engine.prepare({ sampleRate, maxBlockFrames: blockFrames });
  const one: EngineEvent[] = [pool[0]];
  for (let i = 0; i < blocks; i++) {
    const ev = pool[i % pool.length];
    ev.offsetFrames = i % blockFrames;
    one[0] = ev;
    engine.process(inputs, outputs, blockFrames, one, 1);
  }
}

function assertDeepEqual(a: unknown, b: unknown, path: string): void {
  if (Object.is(a, b)) return;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (a.constructor !== b.constructor || x.length !== y.length) throw new Error(`${path}: typed arrays differ in type or length`);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) throw new Error(`${path}: byte ${i} differs`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) throw new Error(`${path}: keys differ (${ka.join()} vs ${kb.join()})`);
    for (const k of ka) assertDeepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  throw new Error(`${path}: ${String(a)} ≠ ${String(b)}`);
}
