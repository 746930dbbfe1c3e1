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

/** Applies `faults` (any order; they must not overlap) to `clean`; returns the faulty signal and where each fault landed. */
export function injectFaults(clean: Float32Array, faults: readonly Fault[]): { signal: Float32Array; injected: InjectedFault[] } {
  const sorted = [...faults].sort((a, b) => a.atFrame - b.atFrame);
  let growth = 0;
  for (const f of sorted) growth += f.kind === 'repeated' || f.kind === 'inserted' || f.kind === 'stalled' ? f.lengthFrames : f.kind === 'dropped' ? -f.lengthFrames : 0;
  const out = new Float32Array(clean.length + growth);
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
      dst += f.lengthFrames; // out is already zero there
      src += f.lengthFrames;
    } else if (f.kind === 'repeated') {
      out.set(clean.subarray(src - f.lengthFrames, src), dst);
      dst += f.lengthFrames;
    } else if (f.kind === 'stalled') {
      dst += f.lengthFrames; // out is already zero there; the clean signal goes on after it
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
