import { AlignedRender, ALIGNED_HALF_WIDTH } from './alignedRender.ts';
import type { DropoutEvent } from './dropoutEvent.ts';
import type { ResidualDetectorOptions } from './residualDetector.ts';
import { robustGain } from './robustGain.ts';
import { bestSplit, ShiftResiduals } from './shiftResiduals.ts';
import { SignalHistory } from './signalHistory.ts';
import { fitZeroedRun } from './zeroedRun.ts';

export interface StreamingResidualOptions extends ResidualDetectorOptions {
  /**
   * Length of the whole capture when known in advance: the search budget is 16 + 8 per second of it.
   * Unknown: 16 + 8 per second of capture up to the search.
   */
  totalFrames?: number;
  /**
   * Most frames of history kept behind the window being examined (default 10 s; at least 72 windows + maxShiftFrames).
   * An event still open, or a zeroed run or glitch still pending, that reaches further back is decided there as if the capture had
   * come clean: an open event in pieces of this length (in whole windows) and one window, never holding the past unbounded.
   * A shift the sustained rule proves after its back-off held the search is split no further back than this either.
   */
  maxHistoryFrames?: number;
}

/**
 * Histories the detector reads but does not own: their owner appends to them (then calls `advance()`) and
 * lets go only of frames before `captureNeededFrom` / `renderNeededFrom` (and its own readers' needs), so
 * several readers share one copy of each signal.
 */
export interface SharedSignals {
  render: SignalHistory;
  capture: SignalHistory;
  shared: true;
}

/** A shift search's answer (searchShift): the shift, its short-span fit and the sub-sample rest of it. */
interface ShiftFound {
  shift: number;
  c0: number;
  shortLen: number;
  /** The short-span residual at `shift`, E(s); at shift 0, E(0). */
  residual: number;
  unshifted: number;
  /** Half the threshold over the short span: a fit under it is confirmed. */
  limit: number;
  /** Sub-sample offset of the best fit from `shift` (|fraction| ≤ ½; ShiftResiduals.fractionAt). */
  fraction: number;
}

const CLEAN_WINDOWS_TO_CLOSE = 3;
const LOUD_WINDOWS_TO_SEARCH = 6;
const SUSTAINED_WINDOWS = 32;
const ZEROED_EXPLAINED = 0.9;

/** Windows the noise floor is measured on, from the capture's start. */
const FLOOR_WINDOWS = 512;
/** Windows in each block of them whose median bounds the estimate from below (noiseRms). */
const FLOOR_BLOCK_WINDOWS = 64;
/** How far the median of all the floor windows may lie above the quietest block's median (noiseRms). */
const FLOOR_BLOCK_RATIO = 2;

/**
 * The residual's noise RMS from the window RMS of the first windows: their median, but at most
 * FLOOR_BLOCK_RATIO times the smallest median of a block of FLOOR_BLOCK_WINDOWS consecutive ones. The median
 * alone was raised to the content's misfit by a shift (a dropped or repeated sample) in the first half of
 * the windows — every window after it misaligned — and the floor then hid that shift and every later fault
 * under it (a dropped sample at frame 1256 of a 136 Hz tone at 60 dB SNR not found, nor a second one later).
 * A misaligned window's residual is the content's slope (−35 dB of a 136 Hz tone a sample off, ~18 times the
 * noise there), so one aligned block of 64 windows (1024 frames at 48 kHz) before the shift now bounds it.
 * Why not that block's median alone: on a clean capture the blocks differ by what each holds (its content's
 * misfit, a fractional latency's interpolation error), and the quietest one put the floor under windows of
 * a clean capture (a glitch reported on a clean programme at 60 dB SNR, latency 300.37 samples, measured).
 */
function noiseRms(windowRms: Float64Array): number {
  const n = windowRms.length;
  if (n === 0) return 0;
  const median = (a: Float64Array) => a.sort()[a.length >> 1];
  const all = median(windowRms.slice());
  if (n < 2 * FLOOR_BLOCK_WINDOWS) return all;
  let least = Number.POSITIVE_INFINITY;
  for (let start = 0; start + FLOOR_BLOCK_WINDOWS <= n; start += FLOOR_BLOCK_WINDOWS) {
    least = Math.min(least, median(windowRms.slice(start, start + FLOOR_BLOCK_WINDOWS)));
  }
  return Math.min(all, FLOOR_BLOCK_RATIO * least);
}

/**
 * Whether a stretch confirms the current alignment: the render holds content above the noise floor there
 * (energy > `floorEnergy`, the floor's energy over the stretch) AND the capture carries it (residual ≤ ¼ of it).
 * Content alone is not enough: a silent capture against a render tail just above the floor passes the window
 * rule (its limit follows the ~10 ms level, still high after a burst), yet it is exactly what a drop that jumped
 * past a burst's end leaves. Silent capture: residual ≈ render energy (ratio ≈ 1); a matching one at the
 * weakest content allowed: residual ≈ noise ≤ 1/16 of it (floor = 4σ), so ¼ splits the two with margin.
 */
function verifiesAlignment(residualEnergy: number, renderEnergy: number, floorEnergy: number): boolean {
  return renderEnergy > floorEnergy && residualEnergy <= 0.25 * renderEnergy;
}

/**
 * Whether the 3 windows from `from` (up to the capture's `end`) confirm the alignment (verifiesAlignment) for a capture
 * frame n at x[n + offset] and the render as predicted there: false where the render is within the noise floor
 * (`floor`² a frame) there, which confirms nothing.
 */
export function verifiedAfter(x: Float32Array, offset: number, predicted: (n: number) => number, from: number, end: number, W: number, floor: number): boolean {
  let after = 0;
  let residualAfter = 0;
  for (let n = from; n < Math.min(end, from + 3 * W); n++) {
    const e = predicted(n);
    after += e * e;
    residualAfter += (x[n + offset] - e) ** 2;
  }
  return verifiesAlignment(residualAfter, after, 3 * W * floor * floor);
}

/** The first window of W frames in [from, to) whose capture energy (frame n at x[n + offset]) is over `loudEnergy`, if any. */
export function firstLoudWindow(x: Float32Array, offset: number, from: number, to: number, W: number, loudEnergy: number): number | undefined {
  for (let n = from; n + W <= to; n += W) {
    let e = 0;
    for (let i = n + offset; i < n + offset + W; i++) e += x[i] ** 2;
    if (e > loudEnergy) return n;
  }
  return undefined;
}

/**
 * `from`, or if the capture is silent there, the window after the first in [from, to) where it sounds again
 * (firstLoudWindow): that one may still hold some of the silence, which fits no shift (10 silent frames ahead of a
 * stall's resumed burst made a wrong shift fit better than the true one).
 */
export function soundingFrom(x: Float32Array, offset: number, from: number, to: number, W: number, loudEnergy: number): number {
  const n = firstLoudWindow(x, offset, from, to, W, loudEnergy);
  return n === undefined || n === from ? from : n + W;
}

/**
 * Where a loud misfit's search starts (examineWindows, at the window n0 of an event opened at `eventStart`): the first
 * search of the event from its third window, or from where the capture sounds again if it is silent there (soundingFrom,
 * over the windows up to the end of the one examined: [eventStart + 2W, n0 + W), loud over 16·W·floor²); a later one
 * (`again`) from the last short span, which ends with the window examined (n0 + W − shortFrames), or where the capture
 * sounds again if that lies later: the capture from the event's start has not changed, and searched again it gave the same
 * answer (seen: 24 searches from one frame, a 1024-frame repeat 6 ms into programme never aligned).
 */
export function loudSearchFrom(x: Float32Array, offset: number, eventStart: number, n0: number, W: number, floor: number, shortFrames: number, again: boolean): number {
  const first = soundingFrom(x, offset, eventStart + 2 * W, n0 + W, W, 16 * W * floor * floor);
  return again ? Math.max(first, n0 + W - shortFrames) : first;
}

/**
 * Whether a shift search from capture frame c0 has something to align on: the capture's energy over its short span
 * (`shortLen` frames from c0, frame n at x[n + offset]) and the render's within reach of every shift (`ref`, the
 * reference the search reads, times gain²) both reach the noise's over the short span (`shortLen`·floor²). A capture
 * within 12 dB of the noise fits any silent stretch of the render; with no render content in reach every shift fits
 * alike.
 */
export function hasContentToAlign(x: Float32Array, offset: number, c0: number, shortLen: number, ref: Float32Array | Float64Array, gain: number, floor: number): boolean {
  let refAll = 0;
  let capNow = 0;
  for (let j = 0; j < ref.length; j++) refAll += ref[j] * ref[j];
  for (let i = c0 + offset; i < c0 + offset + shortLen; i++) capNow += x[i] ** 2;
  const g2 = gain * gain;
  const noiseShort = shortLen * floor * floor;
  return !(capNow < noiseShort || g2 * refAll < noiseShort);
}

/** Whether a flagged window (W frames from x[at]) is loud: the capture carries at least ¼ of the render's energy `renderEnergy` there. */
export function capturesLoud(x: Float32Array, at: number, W: number, renderEnergy: number): boolean {
  let sy = 0;
  for (let i = at; i < at + W; i++) sy += x[i] * x[i];
  return sy >= 0.25 * renderEnergy;
}

/** Σ (x[n + offset] − predicted(n))² over the frames [from, to): the residual of a stretch under an alignment. */
export function residualEnergy(x: Float32Array, offset: number, predicted: (n: number) => number, from: number, to: number): number {
  let sum = 0;
  for (let n = from; n < to; n++) sum += (x[n + offset] - predicted(n)) ** 2;
  return sum;
}

/** Σ predicted(n)² over the frames [from, to): the energy an alignment predicts there. */
export function predictedEnergy(predicted: (n: number) => number, from: number, to: number): number {
  let sum = 0;
  for (let n = from; n < to; n++) sum += predicted(n) ** 2;
  return sum;
}

/**
 * A search's first rule (decide()): a whole shift s ≠ 0 is proved when it cuts the short span's residual over the noise's
 * share N (V·σ², which no shift removes) by 6 dB, E(s) − N ≤ ¼·(E(0) − N), and its fit is confirmed (≤ `limit`, half the
 * threshold) read whole (E(s)) or with its sub-sample rest followed (`followed`): either will do.
 */
export function provesShift(shift: number, residual: number, unshifted: number, followed: number, limit: number, noise: number): boolean {
  return shift !== 0 && residual - noise <= 0.25 * (unshifted - noise) && (residual <= limit || followed <= limit);
}

/**
 * A search's second rule (decide()), before the capture is asked whether it shows the move (moveShows): a move of the
 * latency by less than a sample, 0 < |move| < 1, whose fit `followed` is confirmed (≤ `limit`) and cuts the unshifted
 * residual by 6 dB (≤ ¼·E(0)). A move of a sample or more is a shift: the first rule's, never followed without an event.
 */
export function followsAsMove(move: number, followed: number, limit: number, unshifted: number): boolean {
  return move !== 0 && Math.abs(move) < 1 && followed <= limit && followed <= 0.25 * unshifted;
}

/**
 * The prediction-residual dropout detector (residualDetector.ts documents the method and its limits) as a
 * stateful object fed chunk by chunk: `push(renderChunk, captureChunk)` as both arrive (any sizes, render
 * and capture each contiguous from frame 0), `finish()` at the end. Findings do not depend on how the
 * signals were cut: a window is examined only once the capture and the render reach past it by the
 * furthest any stage looks ahead (a shift search: 4096 + maxShiftFrames frames), and the history behind it
 * is kept back to the oldest frame any stage may still look at (an open event, a pending zeroed run or glitch, the
 * sustained rule's span). Memory: two histories of about lookahead + 66 windows + one chunk, more only
 * while an event is open or the sustained rule's back-off holds its search (back to the first block over its line
 * since: up to the back-off, 2 s, and 66 windows; at most maxHistoryFrames).
 *
 * Stages, each a method: `start` (gain and noise floor from the first windows), `examineWindows` (the
 * window rule, the sustained rule, the open event), `close` (zeroed run or glitch, or a shift proved
 * after all), `searchShift` (which shift explains the capture), `applyShift` (move the alignment, report
 * the drop or insert at its split point; `applyHeldShift` first, when the sustained rule's back-off held a misfit back before
 * it), `commitPending` (a zeroed run or glitch after which the render
 * fell silent). The alignment itself is an AlignedRender.
 */
export class ResidualDropoutDetector {
  readonly events: DropoutEvent[] = [];
  private readonly fs: number;
  private readonly W: number;
  private readonly rel: number;
  private readonly relSustained: number;
  private readonly maxShift: number;
  private readonly shortFrames: number;
  private readonly longFrames: number;
  private readonly lookaheadFrames: number;
  private readonly maxHistoryFrames: number;
  private readonly totalFrames: number | undefined;
  private readonly capture: SignalHistory;
  private readonly aligned: AlignedRender;
  private readonly buf: Float64Array;
  private readonly levelAlpha: number;
  private readonly initialLatency: number;

  private started = false;
  private gain: number;
  private sigma = 0;
  private floor = 1e-9;
  private search: ShiftResiduals | undefined;
  private searches = 0;
  private nextSearchFrame = 0;
  private nextSustainedSearchFrame = 0;
  /** The start of the open event whose shift was searched from its start (the next search starts later). */
  private searchedEventStart = Number.NaN;
  /** The split of the last sub-sample move followed (followLatency) and the latency before it. */
  private followedFrom = Number.NEGATIVE_INFINITY;
  private latencyBeforeFollowed = 0;
  private sustainedBackoffFrames: number;
  /**
   * Where the split range of the next sustained-rule search starts when the back-off held it back from a block over the
   * sustained line, and every block since was over it too: the range of the first such block (examineWindows), which
   * holds the shift that put them over it. Undefined otherwise.
   */
  private sustainedHeldFrom: number | undefined;
  /**
   * A zeroed run, or a glitch, after which the render fell silent: nothing yet confirms the alignment, and a
   * drop that jumps past a burst's end looks exactly like either (the capture silent where the render still
   * sounds; or, landing a few ms before the end, the capture's last few ms of release against the render's
   * longer one) until the next burst arrives early. Committed when the capture carries the render again
   * (verifiesAlignment), merged into the shift when the next search finds one that also explains it.
   */
  private pending: { kind: 'zeroed' | 'glitch'; start: number; end: number } | undefined;

  // The window loop's state, carried from one chunk to the next.
  private w = 0;
  private levelEnergy = 0;
  /** Sustained rule: residual and render energy summed over consecutive blocks of SUSTAINED_WINDOWS windows. */
  private sumR = 0;
  private sumE = 0;
  private blockFill = 0;
  private open = false;
  private eventStart = 0;
  private lastFlaggedEnd = 0;
  private cleanRun = 0;
  private loudFlagged = 0;

  /** Shared histories (SharedSignals): the first capture and render frames this detector may still read. */
  captureNeededFrom = 0;
  renderNeededFrom = Number.NEGATIVE_INFINITY;
  private readonly shared: boolean;

  constructor(options: StreamingResidualOptions, signals?: { render: SignalHistory; capture: SignalHistory } | SharedSignals) {
    if (!Number.isFinite(options.latencySamples) || !(options.sampleRate > 0)) {
      throw new RangeError(`detectResidualDropouts: latencySamples must be finite and sampleRate positive, got ${options.latencySamples} and ${options.sampleRate}`);
    }
    const fs = (this.fs = options.sampleRate);
    const W = (this.W = options.windowFrames ?? Math.max(8, Math.round(fs / 3000)));
    const thresholdDb = options.thresholdDb ?? -40;
    this.rel = 10 ** (thresholdDb / 20);
    this.relSustained = 10 ** ((thresholdDb - 6) / 20);
    this.maxShift = options.maxShiftFrames ?? 4096;
    this.shortFrames = Math.round((1024 * fs) / 48000);
    this.longFrames = Math.round((4096 * fs) / 48000);
    this.lookaheadFrames = this.longFrames + this.maxShift + 8 * W + 2 * ALIGNED_HALF_WIDTH;
    this.maxHistoryFrames = Math.max(options.maxHistoryFrames ?? 10 * fs, (2 * SUSTAINED_WINDOWS + 8) * W + this.maxShift);
    this.totalFrames = options.totalFrames;
    this.shared = signals !== undefined && 'shared' in signals && signals.shared;
    this.capture = signals?.capture ?? new SignalHistory(4 * this.lookaheadFrames);
    this.aligned = new AlignedRender(signals?.render ?? new SignalHistory(4 * this.lookaheadFrames), options.latencySamples);
    this.initialLatency = this.aligned.latencySamples; // as aligned: within 1e-4 of a whole frame, that frame
    this.gain = options.gain ?? Number.NaN;
    this.buf = new Float64Array(W);
    this.levelAlpha = W / (0.01 * fs);
    this.sustainedBackoffFrames = Math.round(fs / 8);
  }

  /** The next frames of the render and of the capture (either may be empty; lengths need not match). */
  push(render: Float32Array, capture: Float32Array): void {
    if (render.length) this.aligned.render.append(render);
    if (capture.length) this.capture.append(capture);
    this.run(false);
  }

  /** Shared histories only: their owner appended to them; examines what has arrived. */
  advance(): void {
    this.run(false);
  }

  /** Both signals ended: examines the rest, closes what is open, returns every event in time order. */
  finish(): DropoutEvent[] {
    this.aligned.render.ended = true;
    this.capture.ended = true;
    this.run(true);
    if (this.open) this.close(this.eventStart, Math.max(this.lastFlaggedEnd, this.eventStart + this.W));
    this.open = false;
    this.commitPending();
    return this.events.sort((a, b) => a.startFrame - b.startFrame);
  }

  /** Capture frames held now (the render holds about as many): what streaming costs in memory. */
  get heldFrames(): number {
    return this.capture.heldFrames;
  }

  private predicted(n: number): number {
    return this.gain * this.aligned.at(n);
  }

  private cap(n: number): number {
    return this.capture.data[n + this.capture.offset];
  }

  private run(final: boolean): void {
    if (!this.started) {
      if (!final && !this.canStart()) return;
      this.start();
    }
    this.examineWindows(final);
    if (!final) this.forget();
  }

  /** The gain (when not given) needs the first 2 s, the noise floor the first 512 windows, each with their lookahead. */
  private canStart(): boolean {
    const need = Math.max(512 * this.W, Number.isNaN(this.gain) ? 2 * this.fs : 0);
    return this.capture.end >= need && this.aligned.render.end >= need - this.aligned.latencyInt + ALIGNED_HALF_WIDTH + 1;
  }

  /** Path gain (robustGain.ts, when not given) and the noise floor from the window RMS of the residual over the first 512 windows (noiseRms). */
  private start(): void {
    this.started = true;
    const fs = this.fs;
    const W = this.W;
    const frames = this.capture.end;
    if (Number.isNaN(this.gain)) {
      this.gain = robustGain(this.capture.data.subarray(this.capture.offset), (n) => this.aligned.at(n), Math.min(frames, 2 * fs), Math.round(fs / 20));
    }
    const windows = Math.min(Math.floor(frames / W), FLOOR_WINDOWS);
    const firstRms = new Float64Array(windows);
    for (let w = 0; w < windows; w++) {
      let sr = 0;
      for (let n = w * W; n < (w + 1) * W; n++) sr += (this.cap(n) - this.predicted(n)) ** 2;
      firstRms[w] = Math.sqrt(sr / W);
    }
    this.sigma = noiseRms(firstRms);
    this.floor = 4 * this.sigma + 1e-9;
  }

  /**
   * The window rule over every window whose lookahead has arrived (every window, when `final`): a window
   * is flagged when rms_W(r) > max(10^(thresholdDb/20)·level, floor); flagged runs open an event, three
   * clean windows close it, a loud persistent misfit or a sustained small residual asks for a shift search.
   * (Loop state lives in locals: V8 keeps closure or field state in a heap context, ~30 % slower.)
   */
  private examineWindows(final: boolean): void {
    const W = this.W;
    const fs = this.fs;
    const rel = this.rel;
    const relSustained = this.relSustained;
    const buf = this.buf;
    const levelAlpha = this.levelAlpha;
    const aligned = this.aligned;
    const renderH = aligned.render;
    const captureH = this.capture;
    const windows = final ? Math.floor(captureH.end / W) : Number.POSITIVE_INFINITY;
    const lookahead = this.lookaheadFrames;
    let { levelEnergy, sumR, sumE, blockFill, open, eventStart, lastFlaggedEnd, cleanRun, loudFlagged, w } = this;
    for (; w < windows; w++) {
      const n0 = w * W;
      if (!final && (captureH.end < n0 + lookahead || (!renderH.ended && renderH.end < n0 - aligned.latencyInt + lookahead))) break;
      if (!final && open && n0 - eventStart > this.maxHistoryFrames) {
        // An event older than the history kept: decided now, as if the capture had come clean here.
        open = false;
        this.w = w; // the search budget's window (maxSearches)
        const start = this.close(eventStart, Math.max(lastFlaggedEnd, eventStart + W));
        sumR = sumE = blockFill = 0;
        // Re-examined from the split a shift proved, else from this window.
        w = start !== undefined ? Math.floor(start / W) : w - 1;
        continue;
      }
      const gain = this.gain;
      const floor = this.floor;
      const x = captureH.data;
      const xo = captureH.offset;
      let sr = 0;
      let se = 0;
      const m0 = n0 - aligned.latencyInt;
      if (aligned.integerPath && n0 >= this.followedFrom && m0 >= ALIGNED_HALF_WIDTH && m0 + W + ALIGNED_HALF_WIDTH < renderH.end) {
        // A whole-frame latency inside the render held: read it in place (what fill() would copy).
        const e0 = renderH.data;
        for (let i = 0, n = n0 + xo, m = m0 + renderH.offset; i < W; i++, n++, m++) {
          const e = gain * e0[m];
          const r = x[n] - e;
          sr += r * r;
          se += e * e;
        }
      } else {
        aligned.fill(buf, n0, W);
        if (n0 < this.followedFrom) this.beforeFollowed(buf, n0);
        for (let i = 0, n = n0 + xo; i < W; i++, n++) {
          const e = gain * buf[i];
          const r = x[n] - e;
          sr += r * r;
          se += e * e;
        }
      }
      levelEnergy += levelAlpha * (se / W - levelEnergy);
      const limit = Math.max(rel * Math.sqrt(Math.max(levelEnergy, se / W)), floor);
      const flagged = Math.sqrt(sr / W) > limit;
      sumR += sr;
      sumE += se;
      blockFill++;

      if (!open) {
        if (flagged) {
          open = true;
          eventStart = n0;
          cleanRun = 0;
          loudFlagged = 0;
        } else {
          if (this.pending && verifiesAlignment(sr, se, W * floor * floor)) this.commitPending();
          if (blockFill < SUSTAINED_WINDOWS) continue;
          const over = sumR > relSustained * relSustained * sumE && sumR > 4 * this.sigma * this.sigma * SUSTAINED_WINDOWS * W;
          sumR = sumE = blockFill = 0;
          if (!over) {
            this.sustainedHeldFrom = undefined;
            continue;
          }
          // The split range of a search from this block: this block, the one before (a shift late in it left that one
          // under the line) and 2 windows; while the back-off holds the search back, that of the first such block.
          const reach = n0 + W - (2 * SUSTAINED_WINDOWS + 2) * W;
          if (n0 < this.nextSustainedSearchFrame) {
            this.sustainedHeldFrom ??= reach;
            continue;
          }
          // A small residual that persists: a shift too small for the window rule (a low tone)?
          this.w = w;
          const held = this.heldRangeFrom();
          this.sustainedHeldFrom = undefined;
          const found = this.searchShift(n0 + W);
          const start = found && this.decide(found, held ?? reach, n0 + W, held);
          if (start !== undefined) {
            w = Math.floor(start / W);
            continue;
          }
          this.nextSustainedSearchFrame = n0 + this.sustainedBackoffFrames;
          this.sustainedBackoffFrames = Math.min(2 * this.sustainedBackoffFrames, 2 * fs);
          continue;
        }
      }
      if (flagged) {
        lastFlaggedEnd = n0 + W;
        // The capture's energy in the window, summed only where it is needed (a flagged window: rare).
        if (capturesLoud(x, n0 + xo, W, se)) loudFlagged++;
      }
      cleanRun = flagged ? 0 : cleanRun + 1;
      if (cleanRun >= CLEAN_WINDOWS_TO_CLOSE) {
        open = false;
        this.w = w;
        const start = this.close(eventStart, lastFlaggedEnd);
        sumR = sumE = blockFill = 0; // the event consumed that residual: the sustained rule starts afresh
        if (start !== undefined) w = Math.floor(start / W);
        continue;
      }
      if (flagged && loudFlagged >= LOUD_WINDOWS_TO_SEARCH && n0 >= this.nextSearchFrame) {
        this.w = w;
        // The first search of an event from its start, or from where the capture sounds again if it fell silent
        // there (a stall: the silence fits no shift, the content after it does); a later one from the last short span.
        const c0 = loudSearchFrom(captureH.data, captureH.offset, eventStart, n0, W, floor, this.shortFrames, this.searchedEventStart === eventStart);
        this.searchedEventStart = eventStart;
        const found = this.searchShift(c0);
        if (found === undefined) continue; // silence in the span: wait for content
        const start = this.decide(found, eventStart - 4 * W, eventStart + 4 * W + Math.max(0, found.shift), this.heldRangeFrom());
        if (start !== undefined) {
          open = false;
          sumR = sumE = blockFill = 0;
          w = Math.floor(start / W);
          continue;
        }
        this.nextSearchFrame = n0 + Math.round(fs / 8);
      }
    }
    Object.assign(this, { levelEnergy, sumR, sumE, blockFill, open, eventStart, lastFlaggedEnd, cleanRun, loudFlagged, w });
  }

  /**
   * Lets go of the history no stage can look at again: behind the next window by the sustained rule's
   * span (a shift it proves splits up to 66 windows back, or, when the back-off held its search, back to the split range
   * of the first block over its line since: sustainedHeldFrom, at most maxHistoryFrames), the open event's start, the
   * pending zeroed run or glitch; the render by that minus the latency and the largest shift. A pending one older than
   * maxHistoryFrames is committed as it stands.
   */
  private forget(): void {
    const W = this.W;
    const n0 = this.w * W;
    if (this.pending && n0 - this.pending.start > this.maxHistoryFrames) this.commitPending();
    let keep = n0 - (2 * SUSTAINED_WINDOWS + 8) * W;
    if (this.sustainedHeldFrom !== undefined) keep = Math.min(keep, Math.max(this.sustainedHeldFrom, n0 - this.maxHistoryFrames));
    if (this.open) keep = Math.min(keep, this.eventStart - 8 * W);
    if (this.pending) keep = Math.min(keep, this.pending.start - 8 * W);
    const keepRender = keep - this.aligned.latencyInt - this.maxShift - 2 * ALIGNED_HALF_WIDTH;
    if (this.shared) {
      this.captureNeededFrom = keep;
      this.renderNeededFrom = keepRender;
      return;
    }
    this.capture.discardBefore(keep);
    this.aligned.render.discardBefore(keepRender);
  }

  /**
   * Where the split range of a search the back-off held back starts, searching at the window examined (w, which
   * examineWindows stores before every search): sustainedHeldFrom, no further back than maxHistoryFrames before that
   * window's end (forget() keeps the history from there); undefined when none is held.
   */
  private heldRangeFrom(): number | undefined {
    const held = this.sustainedHeldFrom;
    return held === undefined ? undefined : Math.max(held, (this.w + 1) * this.W - this.maxHistoryFrames);
  }

  private commitPending(): void {
    const p = this.pending;
    if (p) this.events.push({ kind: p.kind, startFrame: p.start, lengthFrames: p.end - p.start });
    this.pending = undefined;
  }

  /**
   * Search budget: 16 + 8 per second of the capture (all of it when its length is known, else up to what the window
   * being examined waits for, w·W + lookahead: examineWindows stores its w before every search, so the budget does not
   * depend on how the signals were cut).
   */
  private get maxSearches(): number {
    return 16 + Math.ceil((8 * (this.totalFrames ?? (this.capture.ended ? this.capture.end : this.w * this.W + this.lookaheadFrames))) / this.fs);
  }

  /**
   * The shift that best explains the capture from c0 on, or undefined when there is nothing to align on.
   * E(s) = Σ (y − g·e(n − L − s))² for every s in ±maxShiftFrames at once (ShiftResiduals, by FFT) over a
   * short span (which shifts fit) and a long one (a burst boundary rejects whole-period aliases): bestShift picks the
   * valley (the alias), valleyBottom the whole shift at its bottom (bestShift's own, the smallest |s| of its band of
   * equal fits, was −1 for a 2-sample drop of a 77 Hz tone at 40 dB SNR), fractionAt the sub-sample rest.
   */
  private searchShift(c0: number, from = -this.maxShift, to = this.maxShift): ShiftFound | undefined {
    const frames = this.capture.end;
    const shortLen = Math.min(this.shortFrames, frames - c0);
    const longLen = Math.min(this.longFrames, frames - c0);
    if (c0 < 0 || shortLen < this.shortFrames / 4 || this.searches >= this.maxSearches) return undefined;
    const search = (this.search ??= new ShiftResiduals(this.maxShift, this.shortFrames, this.longFrames));
    const S = this.maxShift;
    const ref = search.ref;
    this.aligned.fill(ref, c0 - S, ref.length);
    const gain = this.gain;
    if (!hasContentToAlign(this.capture.data, this.capture.offset, c0, shortLen, ref, gain, this.floor)) return undefined;
    const noiseShort = shortLen * this.floor * this.floor;
    this.searches++;
    const at = c0 + this.capture.offset;
    search.compute(this.capture.data.subarray(at, at + shortLen), this.capture.data.subarray(at, at + longLen), gain);
    const shift = search.valleyBottom(search.bestShift(this.sigma * this.sigma, shortLen, longLen, from, to), this.sigma * this.sigma, shortLen, gain);
    const e = search.short[shift + S];
    const rel = this.rel;
    const limit = 0.25 * (rel * rel * search.refShort[shift + S] + noiseShort);
    return { shift, c0, shortLen, residual: e, unshifted: search.short[S], limit, fraction: search.fractionAt(shift) };
  }

  /**
   * What a search proved, applied; returns the frame the windows are examined again after, or undefined when the
   * alignment stays. In this order:
   * - A whole shift s ≠ 0 that cuts the residual by 6 dB and whose fit is confirmed (under half the threshold), with
   *   the sub-sample rest followed or without it, is reported (a latency moved by 0.7 sample: +1 at any frequency;
   *   without the rest followed a 1 kHz tone still misfits by −28 dB after it). The rest is followed with the shift
   *   when it cuts the residual by another 6 dB. The 6 dB are of the residual over the noise's share N = V·σ² (V the
   *   short span), which no shift removes: E(s) − N ≤ ¼·(E(0) − N), so the rule means at 40 dB SNR what it means at
   *   60. Of the whole residual (E(s) ≤ ¼·E(0)) it refused a drop that leaves nothing but the noise whenever the misfit
   *   was under 3·N: at 40 dB SNR the 1–3-sample drops of faultyBursts' low tones were strings of glitches, 72–105
   *   events for its 40 faults (32–65 glitches; 20 s, seeds 1–6, latency 300 and 300.37: scripts/faultyBurstsSnr.ts),
   *   40 after (with valleyBottom). A steady model mismatch M, which a shift cuts to M′, still needs M′ ≤ ¼·M.
   * - Else a move of the latency by less than a sample (|s + fraction| < 1) whose fit is confirmed and cuts the
   *   residual by 6 dB is followed without an event: no sample was lost or gained (a clock re-locked). With whole
   *   shifts alone it was a string of glitches (100 Hz, 0.6 sample), an event that never closed (1 kHz), or a
   *   whole-period alias reported as a drop (70 Hz: −685).
   * The same rules for every search (the loud misfit's, the sustained rule's, close()'s); a shift proved while the
   * sustained rule's back-off holds a misfit it saw before (`heldFrom`) is first sought there (applyHeldShift). The loud misfit's search
   * reported a confirmed whole shift without the 6 dB rule until valleyBottom: a 2-sample drop in a burst's release
   * at 40 dB SNR fitted −1 and −2 alike, and −1 kept the alignment near; valleyBottom finds −2 itself, and without
   * that rule every finding of faultyBursts (40 and 60 dB), dropoutSweep and latencyMoveSweep is the same.
   */
  private decide(found: ShiftFound, lo: number, hi: number, heldFrom: number | undefined): number | undefined {
    const { shift, fraction } = found;
    const followed = this.followedResidual(found);
    const proved = this.provedFraction(found, followed);
    if (proved !== undefined) {
      const held = heldFrom === undefined ? undefined : this.applyHeldShift(heldFrom, shift);
      return held ?? this.applyShift(shift, lo, hi, proved);
    }
    const move = shift + fraction;
    if (followsAsMove(move, followed, found.limit, found.unshifted) && this.moveShows(found.c0, found.shortLen, move)) return this.followLatency(move, lo, hi);
    return undefined;
  }

  /** A search's residual with the sub-sample rest of its shift followed (its whole-shift residual where the rest is 0). */
  private followedResidual(found: ShiftFound): number {
    return found.fraction === 0 ? found.residual : this.residualAt(found.c0, found.shortLen, found.shift + found.fraction);
  }

  /**
   * The first rule of decide() on a search's answer (`followed`: its residual with the sub-sample rest followed): the
   * rest to follow with the shift (0 when following it does not cut the residual by another 6 dB) when the shift is
   * proved, else undefined.
   */
  private provedFraction(found: ShiftFound, followed: number): number | undefined {
    const noise = found.shortLen * this.sigma * this.sigma;
    if (!provesShift(found.shift, found.residual, found.unshifted, followed, found.limit, noise)) return undefined;
    return followed <= found.limit && followed <= 0.25 * found.residual ? found.fraction : 0;
  }

  /**
   * Before a shift `later` that a search proved is applied while the sustained rule's back-off holds its own search back
   * (`heldFrom`: sustainedHeldFrom, bounded by maxHistoryFrames): the capture the later search read is shifted by every
   * shift since the current alignment, and one that put the first held block over the sustained line is among them. Two
   * drops in one held period were one drop of their sum, placed at one of them: two 1-sample drops 2500 frames apart on a
   * 136 Hz tone whose 1-sample drop only the sustained rule sees were one of 2 at the second (there the capture is 2
   * samples off, over the window rule's line, and its search read both), with the second one 3 samples one of 4 there. So the first held block is searched first, from
   * its end (the search it would have made: heldFrom + 66 windows; it ends before any later search starts, since blocks
   * are held only while no event is open and the held search runs at a later block's end), among the shifts that can be a
   * part of `later` (same sign, smaller): its spans may reach the later shift, and among all shifts it found a
   * whole-period alias there (−2121 for −1 on that tone, the second drop 936 frames into its short span). A shift it
   * proves is applied instead, split within that block's range, unless its valley's bottom is `later` itself (the held
   * span then fits the sum best: one shift, or a second early in that span; so a single 2-sample drop 96 frames after
   * the held block, behind a misfit no shift explains, is not moved onto that block); the windows after it are examined
   * again and the rest is found there. Returns its split, or undefined (|later| = 1, nothing proved, or `later` found):
   * `later` stands. A search only after one proved a shift, so a misfit no shift explains costs no more
   * searches than before. Not split: a drop and an insert held together (their sum is no sum of parts of one sign), nor
   * two whose second lies early in the held block's short span (the span fits their sum best: two 1-frame drops, the
   * second 434 frames into it, were one of 2, measured).
   */
  private applyHeldShift(heldFrom: number, later: number): number | undefined {
    const at = heldFrom + (2 * SUSTAINED_WINDOWS + 2) * this.W;
    if (Math.abs(later) < 2) return undefined;
    const found = later < 0 ? this.searchShift(at, later + 1, -1) : this.searchShift(at, 1, later - 1);
    if (found === undefined || found.shift === later) return undefined;
    const proved = this.provedFraction(found, this.followedResidual(found));
    if (proved === undefined) return undefined;
    this.sustainedHeldFrom = undefined;
    return this.applyShift(found.shift, heldFrom, at, proved);
  }

  /** Σ (y − g·e(n − L − move))² over the capture's [c0, c0 + frames): the residual with the latency moved by `move`. */
  private residualAt(c0: number, frames: number, move: number): number {
    const aligned = this.aligned;
    const latency = aligned.latencySamples;
    aligned.moveTo(latency + move);
    const sum = residualEnergy(this.capture.data, this.capture.offset, (n) => this.predicted(n), c0, c0 + frames);
    aligned.moveTo(latency);
    return sum;
  }

  /**
   * Whether the capture over [c0, c0 + frames) shows a move of the latency by `move`: the move cuts its residual by
   * more than 3 standard deviations of what the noise puts into that cut, 2σ·√(Σ(p₀ − p_move)²) (p the prediction
   * at each latency; the Σn² both residuals hold cancels), as ShiftResiduals.valleyBottom asks of a whole shift. Where
   * the render does not change with the latency (a flat stretch: DC, silence) nothing can show one: a click on a
   * noise-free DC render left a short span the old alignment fitted exactly, and the closing search's flat curve read
   * a fraction of −0.83 from the FFT's rounding, which passed the other tests (0 ≤ ¼·0): followed, again and again,
   * −4.17 samples in all; a one-window click was then not reported, and the capture's end was a glitch.
   */
  private moveShows(c0: number, frames: number, move: number): boolean {
    const aligned = this.aligned;
    const latency = aligned.latencySamples;
    const moved = new Float64Array(frames);
    aligned.moveTo(latency + move);
    for (let n = c0; n < c0 + frames; n++) moved[n - c0] = this.predicted(n);
    aligned.moveTo(latency);
    let cut = 0;
    let difference = 0;
    for (let n = c0; n < c0 + frames; n++) {
      const y = this.cap(n);
      const p0 = this.predicted(n);
      const p1 = moved[n - c0];
      cut += (y - p0) ** 2 - (y - p1) ** 2;
      difference += (p0 - p1) ** 2;
    }
    return cut > 6 * this.sigma * Math.sqrt(difference);
  }

  /**
   * Follows a move of the latency by less than a sample, without an event. Returns the frame one window before
   * the split, so that the split's own window is examined again (with the old latency up to the split:
   * beforeFollowed): unlike a shift's, whose event stands for what happens there, it may hold a fault of its own
   * (a click where the latency moved, found as a glitch).
   */
  private followLatency(move: number, lo: number, hi: number): number {
    const old = this.aligned.latencySamples;
    this.aligned.moveTo(old + move);
    const start = this.splitPoint(Math.max(0, lo), Math.min(this.capture.end, hi), old);
    this.followedFrom = start;
    this.latencyBeforeFollowed = old;
    this.nextSearchFrame = start + this.W;
    this.sustainedBackoffFrames = Math.round(this.fs / 8);
    return start - this.W;
  }

  /** out[i] = e(n0 + i − L_old) for the frames of the window at n0 before the last followed split (followLatency). */
  private beforeFollowed(out: Float64Array, n0: number): void {
    const aligned = this.aligned;
    const latency = aligned.latencySamples;
    aligned.moveTo(this.latencyBeforeFollowed);
    for (let n = n0; n < Math.min(this.followedFrom, n0 + out.length); n++) out[n - n0] = aligned.at(n);
    aligned.moveTo(latency);
  }

  /** Frame in [lo, hi) that best splits "fits the old alignment" from "fits the new one" (least squares). */
  private splitPoint(lo: number, hi: number, oldLatency: number): number {
    const aligned = this.aligned;
    const save = aligned.latencySamples;
    const rOld = new Float64Array(hi - lo);
    aligned.moveTo(oldLatency);
    for (let n = lo; n < hi; n++) rOld[n - lo] = (this.cap(n) - this.predicted(n)) ** 2;
    aligned.moveTo(save);
    const rNew = new Float64Array(hi - lo);
    for (let n = lo; n < hi; n++) rNew[n - lo] = (this.cap(n) - this.predicted(n)) ** 2;
    return lo + bestSplit(rOld, rNew);
  }

  /**
   * Moves the alignment by `shift` (and a sub-sample `fraction` followed with it), reports the shift (`dropped`
   * s < 0, `inserted` s > 0), returns the split frame. A pending zeroed run or glitch is merged into the shift (the
   * shift's split is sought at its start, and it is not reported) when the new alignment explains it (its residual
   * ≤ 10 % of the energy the old one predicted there) and the 3 windows after it do not contradict it (residual
   * within the noise floor, floor² a frame): a glitch that a shift happens to fit is followed by what the shift does
   * not fit — a 1200 Hz note's last window inverted (the render half a period, 20 frames, later) and 20 frames
   * inserted in the silence after: shifted by +20 the render sounds 20 frames on where the capture fell silent, and
   * without the second test the insert was reported at the glitch and a 32-frame glitch after it.
   */
  private applyShift(shift: number, lo: number, hi: number, fraction = 0): number {
    const aligned = this.aligned;
    const oldLatency = aligned.latencySamples;
    const newLatency = oldLatency + shift + fraction;
    aligned.moveTo(newLatency);
    this.followedFrom = Number.NEGATIVE_INFINITY; // windows re-examined from this split read the new latency only
    const p = this.pending;
    if (p) {
      const x = this.capture.data;
      const xo = this.capture.offset;
      const predicted = (n: number) => this.predicted(n);
      const residualNew = residualEnergy(x, xo, predicted, p.start, p.end);
      const after = Math.min(this.capture.end, p.end + 3 * this.W);
      const residualAfter = residualEnergy(x, xo, predicted, p.end, after);
      aligned.moveTo(oldLatency);
      const renderOld = predictedEnergy(predicted, p.start, p.end);
      aligned.moveTo(newLatency);
      if (residualNew <= 0.1 * renderOld && residualAfter <= (after - p.end) * this.floor * this.floor) {
        lo = p.start - 4 * this.W;
        hi = p.start + 4 * this.W;
        this.pending = undefined;
      }
    }
    this.commitPending();
    const start = this.splitPoint(Math.max(0, lo), Math.min(this.capture.end, hi), oldLatency);
    this.events.push({ kind: shift > 0 ? 'inserted' : 'dropped', startFrame: start, lengthFrames: Math.abs(shift), shiftFrames: shift });
    this.nextSearchFrame = start + this.W;
    this.sustainedBackoffFrames = Math.round(this.fs / 8);
    return start;
  }

  /**
   * Closes the event [eventStart, lastFlaggedEnd) under the current alignment: a zeroed run (zeroedRun.ts)
   * or a glitch; returns a split frame when a shift search proved a shift instead.
   */
  private close(eventStart: number, lastFlaggedEnd: number): number | undefined {
    const W = this.W;
    const fs = this.fs;
    const floor = this.floor;
    const frames = this.capture.end;
    const lo = Math.max(0, eventStart - 2 * W);
    const hi = Math.min(frames, lastFlaggedEnd + 2 * W);
    const xo = this.capture.offset;
    const zeroLocal = fitZeroedRun(this.capture.data, (i) => this.predicted(i - xo), lo + xo, hi + xo, W, floor);
    const zero = { ...zeroLocal, startFrame: zeroLocal.startFrame - xo, endFrame: zeroLocal.endFrame - xo };
    if (zero.explained >= ZEROED_EXPLAINED && zero.silent && zero.endFrame > zero.startFrame) {
      let start = zero.startFrame;
      if (this.pending?.kind === 'zeroed') {
        // One zeroed block across a silence of the render: the capture stayed silent in between.
        let gapEnergy = 0;
        for (let n = this.pending.end; n < start; n++) gapEnergy += this.cap(n) ** 2;
        if (gapEnergy <= (start - this.pending.end) * floor * floor) start = this.pending.start;
        else this.commitPending();
      } else {
        this.commitPending(); // a pending glitch stands as one
      }
      this.pending = { kind: 'zeroed', start, end: zero.endFrame };
      if (this.verifiedAfter(zero.endFrame)) this.commitPending(); // the capture carries the render's content after the run
      return undefined;
    }
    if (eventStart >= this.nextSearchFrame) {
      let found = this.searchShift(eventStart + 2 * W);
      if (found === undefined) {
        // The capture fell silent first (a drop past a burst's end, the next burst arriving early): search from
        // where it sounds again, within the event.
        const n = firstLoudWindow(this.capture.data, this.capture.offset, eventStart + 3 * W, hi, W, 16 * W * floor * floor);
        if (n !== undefined) found = this.searchShift(n);
      }
      // The rate limit counts searches made: one that found nothing to align on (the capture silent) cost nothing,
      // and holding the next back kept a drop just before a burst's end from being found at the next burst.
      if (found !== undefined) this.nextSearchFrame = eventStart + Math.round(fs / 8);
      const start = found && this.decide(found, eventStart - 4 * W, eventStart + 4 * W + Math.max(0, found.shift), this.heldRangeFrom());
      if (start !== undefined) return start;
    }
    this.commitPending();
    this.pending = { kind: 'glitch', start: eventStart, end: eventStart + Math.max(1, lastFlaggedEnd - eventStart) };
    if (this.verifiedAfter(lastFlaggedEnd)) this.commitPending(); // the render sounds after it and the capture carries it: a glitch
    return undefined;
  }

  /** Whether the 3 windows from `from` confirm the current alignment (verifiedAfter, the module's). */
  private verifiedAfter(from: number): boolean {
    return verifiedAfter(this.capture.data, this.capture.offset, (n) => this.predicted(n), from, this.capture.end, this.W, this.floor);
  }

  /**
   * How far the detector moved its alignment without reporting it, in samples (positive: the capture came later):
   * the sub-sample moves it followed (followLatency, and the fraction followed with a shift), net of the whole-sample
   * shifts it reported. 0 on a rig whose latency holds; a clock drifting between playback and capture reads here as
   * a steady growth (20 ppm: ~9.6 samples over 10 s) that no event reports. To 10⁻⁹ sample: below, the difference
   * is the rounding of the latency's sums (5.7e-14 after shifts from 128.4).
   */
  get latencyFollowedSamples(): number {
    let reported = 0;
    for (const e of this.events) reported += e.shiftFrames ?? 0;
    return Math.round((this.aligned.latencySamples - this.initialLatency - reported) * 1e9) / 1e9 || 0;
  }
}
