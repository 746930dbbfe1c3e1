/**
 * Fault injection for proving dropout detectors (as OboeTester and PortAudio's loopback test do):
 * a zeroed block, a repeated block (the last `lengthFrames` samples played again — the capture gains
 * that many samples), a dropped run, an inserted run (a repeated sample, as a clock slip does) and a
 * stall (the stream stopped for `lengthFrames` and resumed where it was: that much silence inserted, as an
 * output that underran and then played on late does).
 * Each fault is given at a position of the clean signal; the result reports where it landed in the
 * faulty signal, so a detector's event can be compared with it directly.
 */
export type FaultKind = 'zeroed' | 'repeated' | 'dropped' | 'inserted' | 'stalled';

export interface Fault {
  kind: FaultKind;
  /** Frame in the clean signal where the fault begins. */
  atFrame: number;
  lengthFrames: number;
}

export interface InjectedFault extends Fault {
  /** Frame in the faulty signal where the fault is first visible. */
  faultyFrame: number;
}

/**
 * Applies `faults` (any order; they must not overlap) to `clean`; returns the faulty signal and where each fault landed.
 * `into`, when given, is written instead of a new array (whatever it held; the signal is a view of its start, so it
 * must be at least as long): minutes-long signals made again and again reuse one buffer rather than pay a fresh
 * allocation's page faults each time (~0.3 s of CPU per 10 minutes at 48 kHz on this machine, as much as the copy).
 */
export function injectFaults(clean: Float32Array, faults: readonly Fault[], into?: Float32Array): { signal: Float32Array; injected: InjectedFault[] } {
  const sorted = [...faults].sort((a, b) => a.atFrame - b.atFrame);
  let growth = 0;
  for (const f of sorted) growth += f.kind === 'repeated' || f.kind === 'inserted' || f.kind === 'stalled' ? f.lengthFrames : f.kind === 'dropped' ? -f.lengthFrames : 0;
  const length = clean.length + growth;
  if (into && into.length < length) throw new RangeError(`injectFaults: into holds ${into.length} frames, the faulty signal ${length}`);
  const out = into ? into.subarray(0, length) : new Float32Array(length);
  const injected: InjectedFault[] = [];
  let src = 0;
  let dst = 0;
  for (const f of sorted) {
    if (f.atFrame < src || f.atFrame + f.lengthFrames > clean.length) throw new RangeError(`injectFaults: fault at ${f.atFrame} overlaps another or the end`);
    out.set(clean.subarray(src, f.atFrame), dst);
    dst += f.atFrame - src;
    src = f.atFrame;
    injected.push({ ...f, faultyFrame: dst });
    if (f.kind === 'zeroed') {
      out.fill(0, dst, dst + f.lengthFrames);
      dst += f.lengthFrames;
      src += f.lengthFrames;
    } else if (f.kind === 'repeated') {
      out.set(clean.subarray(src - f.lengthFrames, src), dst);
      dst += f.lengthFrames;
    } else if (f.kind === 'stalled') {
      out.fill(0, dst, dst + f.lengthFrames); // silence; the clean signal goes on after it
      dst += f.lengthFrames;
    } else if (f.kind === 'inserted') {
      out.fill(clean[Math.max(0, src - 1)], dst, dst + f.lengthFrames);
      dst += f.lengthFrames;
    } else {
      src += f.lengthFrames;
    }
  }
  out.set(clean.subarray(src), dst);
  return { signal: out, injected };
}

/**
 * `count` non-overlapping faults at seeded random positions, at least `minGapFrames` apart and away
 * from both ends; kinds taken in turn from `kinds`, lengths from `lengthFor(kind, rng)`.
 */
export function randomFaults(
  frames: number,
  count: number,
  kinds: readonly FaultKind[],
  lengthFor: (kind: FaultKind, rnd: () => number) => number,
  rnd: () => number,
  minGapFrames: number,
): Fault[] {
  const slot = Math.floor((frames - 2 * minGapFrames) / count);
  if (slot < minGapFrames) throw new RangeError('randomFaults: too many faults for the signal length');
  const out: Fault[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length];
    const lengthFrames = lengthFor(kind, rnd);
    const atFrame = minGapFrames + i * slot + Math.floor(rnd() * Math.max(1, slot - minGapFrames - lengthFrames));
    out.push({ kind, atFrame, lengthFrames });
  }
  return out;
}
