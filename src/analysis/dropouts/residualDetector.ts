import { fractionalDelayKernel } from '../testSignals/fractionalDelay.ts';
import type { DropoutEvent } from './dropoutEvent.ts';
import { bestSplit, ShiftResiduals } from './shiftResiduals.ts';
import { robustGain } from './robustGain.ts';
import { fitZeroedRun } from './zeroedRun.ts';

/**
 * Prediction-residual dropout detector: the capture is compared with the expected render (the engines are
 * deterministic), aligned by the measured path latency L (fractional) and gain g:
 *   r[n] = y[n] − g·e(n − L),   e(t) band-limited interpolation of the render (Kaiser-windowed sinc,
 *   16 taps: error below −84 dB up to 0.3·fs, −50 dB at 0.35·fs, so content above ~0.33·fs with a
 *   fractional latency raises the residual floor).
 * In windows of W frames (default 1/3 ms) a window is flagged when
 *   rms_W(r) > max(10^(thresholdDb/20)·level, 4·σ_W),
 * with `level` the render's RMS over the last ~10 ms and σ_W the median window RMS of the residual on the
 * first windows (the noise floor).
 *
 * What a run of flagged windows is, decided by hypothesis, never by a bare delay estimate (a tone fits
 * itself shifted by whole periods, so "best correlation" alone is ambiguous):
 * - The run ends (3 clean windows) under the CURRENT alignment: no timeline shift happened. It is `zeroed`
 *   when modelling a run of the capture as silence removes ≥ 90 % of its residual and the capture really is
 *   near zero throughout the run (zeroedRun.ts: exact start and length, one sample is enough), else a
 *   `glitch` — unless a shift search (below) proves a shift. A zeroed run after which the render falls
 *   silent stays pending: if the next burst then proves a drop that also explains the run (the capture
 *   jumped past the burst's end), it is reported as that drop, at the run's start.
 * - The misfit persists over 6 flagged windows whose capture is not silent (≈ 2 ms): a shift search.
 *   E(s) = Σ (y − g·e(n − L − s))² for every s in ±maxShiftFrames at once (shiftResiduals.ts, by FFT) over a
 *   short span (~21 ms from the disturbance: which shifts fit) and a long one (~85 ms: contains a burst
 *   onset or offset, which rejects shifts that differ by whole periods); among the equally good the
 *   smallest |s| wins. It is accepted only if its short-span residual is under half the threshold; then
 *   the event (`dropped` s < 0, `inserted` s > 0) starts at the frame that best splits old from new
 *   alignment, and the alignment follows. A zeroed block never moves the alignment.
 * - A small residual sustained over ~10 ms above thresholdDb − 6 dB (a one-sample shift of a tone at f
 *   leaves 20·log10(2π·f/fs) dB: −48 dB at 30 Hz) triggers the same search; it is reported only when a
 *   shift cuts the residual by ≥ 6 dB, so a steady model mismatch (EQ, converter filters) costs searches
 *   (with back-off), never events.
 * No search while the expectation is silent in the span (nothing to align on): the run is re-examined when
 * content returns. Searches are rate-limited (≤ 8 per second of signal after a failed one, back-off to 2 s
 * for the sustained trigger), so nothing thrashes; a clean channel never searches.
 *
 * Throughput per 48 kHz channel (`npm run bench -- dropout_residual`, loaded 2-core machine): clean programme
 * ≈ 3000× real time at an integer latency, ≈ 500× fractional (16-tap interpolation); sine bursts with a fault
 * every 0.5 s ≈ 500× (each search ≈ 3 ms; the single-estimate re-alignment this replaced ran at ≈ 2× there,
 * and reported 261 events for 20 faults). The 32 channels of the HIL sweep with 5 faults: 0.25 s CPU.
 *
 * Limits (measured in the tests): a one-sample shift leaves a residual of ω_rms·level (ω_rms the content's
 * RMS angular frequency in rad/sample): on tones the window rule sees it where it happens down to ≈ 45 Hz
 * at −40 dB (a window's residual peaks 3 dB over its RMS), the sustained rule down to ≈ 30 Hz (at 20 Hz it
 * is reported 4.5 ms late); a fault during silence is only seen when content returns, and is reported there; a
 * repeated block of exactly whole periods of a steady tone is invisible until the next burst boundary; a
 * zeroed block that ends in a silence of the render is reported up to where the render falls below the
 * noise floor (the silence holds no evidence of its true end); clock drift between render and capture is not
 * followed (only whole-sample shifts are).
 */
export interface ResidualDetectorOptions {
  sampleRate: number;
  /** Path latency, capture frames after the render (fractional), from estimateDelay. */
  latencySamples: number;
  /** Path gain, sign included (default: estimated over the first 2 s, robust to faults there: robustGain.ts). */
  gain?: number;
  /** Residual limit relative to the local render level (default −40 dB). */
  thresholdDb?: number;
  windowFrames?: number;
  /** Largest drop/insert/repeat the re-alignment looks for (default 4096 frames). */
  maxShiftFrames?: number;
}

const HALF_WIDTH = 8;
const CLEAN_WINDOWS_TO_CLOSE = 3;
const LOUD_WINDOWS_TO_SEARCH = 6;
const SUSTAINED_WINDOWS = 32;
const ZEROED_EXPLAINED = 0.9;

export function detectResidualDropouts(expected: Float32Array, capture: Float32Array, options: ResidualDetectorOptions): DropoutEvent[] {
  if (!Number.isFinite(options.latencySamples) || !(options.sampleRate > 0)) {
    throw new RangeError(`detectResidualDropouts: latencySamples must be finite and sampleRate positive, got ${options.latencySamples} and ${options.sampleRate}`);
  }
  const fs = options.sampleRate;
  const W = options.windowFrames ?? Math.max(8, Math.round(fs / 3000));
  const thresholdDb = options.thresholdDb ?? -40;
  const rel = 10 ** (thresholdDb / 20);
  const relSustained = 10 ** ((thresholdDb - 6) / 20);
  const maxShift = options.maxShiftFrames ?? 4096;
  let latencyInt = Math.floor(options.latencySamples);
  const fraction = options.latencySamples - latencyInt;
  const integerPath = fraction < 1e-4 || fraction > 1 - 1e-4;
  if (integerPath) latencyInt = Math.round(options.latencySamples);
  const taps = fractionalDelayKernel(integerPath ? 0 : fraction, HALF_WIDTH);
  const N = expected.length;

  /** e(n − L) for the current integer latency. */
  const aligned = (n: number): number => {
    const m = n - latencyInt;
    if (integerPath) return m >= 0 && m < N ? expected[m] : 0;
    const base = m + HALF_WIDTH - 1;
    let acc = 0;
    if (base - taps.length + 1 >= 0 && base < N) {
      for (let t = 0; t < taps.length; t++) acc += expected[base - t] * taps[t];
    } else {
      for (let t = 0; t < taps.length; t++) if (base - t >= 0 && base - t < N) acc += expected[base - t] * taps[t];
    }
    return acc;
  };

  const gain = options.gain ?? robustGain(capture, aligned, Math.min(capture.length, 2 * fs), Math.round(fs / 20));
  const predicted = (n: number): number => gain * aligned(n);

  const windows = Math.floor(capture.length / W);
  // Noise floor: median window RMS of the residual over the first 512 windows.
  const firstRms: number[] = [];
  for (let w = 0; w < Math.min(windows, 512); w++) {
    let sr = 0;
    for (let n = w * W; n < (w + 1) * W; n++) sr += (capture[n] - predicted(n)) ** 2;
    firstRms.push(Math.sqrt(sr / W));
  }
  firstRms.sort((a, b) => a - b);
  const sigma = firstRms[firstRms.length >> 1] ?? 0;
  const floor = 4 * sigma + 1e-9;

  // ---- shift search --------------------------------------------------------------------------------
  const shortFrames = Math.round((1024 * fs) / 48000);
  const longFrames = Math.round((4096 * fs) / 48000);
  let search: ShiftResiduals | undefined;
  const maxSearches = 16 + Math.ceil((8 * capture.length) / fs);
  let searches = 0;
  let nextSearchFrame = 0;
  let nextSustainedSearchFrame = 0;
  let sustainedBackoffFrames = Math.round(fs / 8);

  /** The shift that best explains the capture from c0 on, or undefined when there is nothing to align on. */
  const searchShift = (c0: number): { shift: number; confirmed: boolean; ratio: number } | undefined => {
    const shortLen = Math.min(shortFrames, capture.length - c0);
    const longLen = Math.min(longFrames, capture.length - c0);
    if (c0 < 0 || shortLen < shortFrames / 4 || searches >= maxSearches) return undefined;
    search ??= new ShiftResiduals(maxShift, shortFrames, longFrames);
    const S = maxShift;
    const ref = search.ref;
    const from = c0 - S;
    if (integerPath) {
      for (let j = 0; j < ref.length; j++) {
        const m = from + j - latencyInt;
        ref[j] = m >= 0 && m < N ? expected[m] : 0;
      }
    } else {
      for (let j = 0; j < ref.length; j++) ref[j] = aligned(from + j);
    }
    let refAll = 0;
    let capNow = 0;
    for (let j = 0; j < ref.length; j++) refAll += ref[j] * ref[j];
    for (let i = 0; i < shortLen; i++) {
      capNow += capture[c0 + i] ** 2;
    }
    const g2 = gain * gain;
    const noiseShort = shortLen * floor * floor;
    // Nothing to align on: a capture within 12 dB of the noise (a silent span fits any silent stretch of the
    // render), or no render content within reach of any shift.
    if (capNow < noiseShort || g2 * refAll < noiseShort) return undefined;
    searches++;
    search.compute(capture.subarray(c0, c0 + shortLen), capture.subarray(c0, c0 + longLen), gain);
    const shift = search.bestShift(sigma * sigma, shortLen, longLen);
    const e = search.short[shift + S];
    return { shift, confirmed: e <= 0.25 * (rel * rel * search.refShort[shift + S] + noiseShort), ratio: e / Math.max(search.short[S], 1e-30) };
  };

  /** Frame in [lo, hi) that best splits "fits the old alignment" from "fits the new one" (least squares). */
  const splitPoint = (lo: number, hi: number, oldLatency: number): number => {
    const save = latencyInt;
    const rOld = new Float64Array(hi - lo);
    latencyInt = oldLatency;
    for (let n = lo; n < hi; n++) rOld[n - lo] = (capture[n] - predicted(n)) ** 2;
    latencyInt = save;
    const rNew = new Float64Array(hi - lo);
    for (let n = lo; n < hi; n++) rNew[n - lo] = (capture[n] - predicted(n)) ** 2;
    return lo + bestSplit(rOld, rNew);
  };

  const events: DropoutEvent[] = [];
  /**
   * A zeroed run after which the render fell silent: nothing yet confirms the alignment, and a drop that
   * jumps past a burst's end looks exactly like it (the capture is silent where the render still sounds)
   * until the next burst arrives early. Committed when content returns clean, merged into the shift when the
   * next search finds one that also explains the run.
   */
  let pendingZero: { start: number; end: number } | undefined;
  const commitPending = (): void => {
    if (pendingZero) events.push({ kind: 'zeroed', startFrame: pendingZero.start, lengthFrames: pendingZero.end - pendingZero.start });
    pendingZero = undefined;
  };
  /** Moves the alignment by `shift`, reports it, returns the split frame. */
  const applyShift = (shift: number, lo: number, hi: number): number => {
    const oldLatency = latencyInt;
    latencyInt += shift;
    if (pendingZero) {
      let residualNew = 0;
      let renderOld = 0;
      for (let n = pendingZero.start; n < pendingZero.end; n++) residualNew += (capture[n] - predicted(n)) ** 2;
      latencyInt = oldLatency;
      for (let n = pendingZero.start; n < pendingZero.end; n++) renderOld += predicted(n) ** 2;
      latencyInt += shift;
      if (residualNew <= 0.1 * renderOld) {
        lo = pendingZero.start - 4 * W;
        hi = pendingZero.start + 4 * W;
        pendingZero = undefined;
      }
    }
    commitPending();
    const start = splitPoint(Math.max(0, lo), Math.min(capture.length, hi), oldLatency);
    events.push({ kind: shift > 0 ? 'inserted' : 'dropped', startFrame: start, lengthFrames: Math.abs(shift), shiftFrames: shift });
    nextSearchFrame = start + W;
    sustainedBackoffFrames = Math.round(fs / 8);
    return start;
  };

  const buf = new Float64Array(W);
  /** buf[i] = e(n0 + i − L) for i < W: the hot path, without per-sample calls. */
  const fillWindow = (n0: number): void => {
    const m0 = n0 - latencyInt;
    if (m0 - HALF_WIDTH < 0 || m0 + W + HALF_WIDTH >= N) {
      for (let i = 0; i < W; i++) buf[i] = aligned(n0 + i);
      return;
    }
    if (integerPath) {
      for (let i = 0; i < W; i++) buf[i] = expected[m0 + i];
      return;
    }
    const T = taps.length;
    for (let i = 0; i < W; i++) {
      const base = m0 + i + HALF_WIDTH - 1;
      let acc = 0;
      for (let t = 0; t < T; t++) acc += expected[base - t] * taps[t];
      buf[i] = acc;
    }
  };

  const levelAlpha = W / (0.01 * fs);
  let levelEnergy = 0;
  // Sustained rule: residual and render energy summed over consecutive blocks of SUSTAINED_WINDOWS windows.
  let sumR = 0;
  let sumE = 0;
  let blockFill = 0;

  /**
   * Closes the event [eventStart, lastFlaggedEnd) under the current alignment; returns a split frame when it
   * proved a shift instead. (The loop's own state is not captured by closures: V8 would keep it in a heap
   * context, which cost ~30 % of the clean-channel throughput.)
   */
  const close = (eventStart: number, lastFlaggedEnd: number): number | undefined => {
    const lo = Math.max(0, eventStart - 2 * W);
    const hi = Math.min(capture.length, lastFlaggedEnd + 2 * W);
    const zero = fitZeroedRun(capture, predicted, lo, hi, W, floor);
    if (zero.explained >= ZEROED_EXPLAINED && zero.silent && zero.endFrame > zero.startFrame) {
      let start = zero.startFrame;
      if (pendingZero) {
        // One zeroed block across a silence of the render: the capture stayed silent in between.
        let gapEnergy = 0;
        for (let n = pendingZero.end; n < start; n++) gapEnergy += capture[n] * capture[n];
        if (gapEnergy <= (start - pendingZero.end) * floor * floor) start = pendingZero.start;
        else commitPending();
      }
      pendingZero = { start, end: zero.endFrame };
      let after = 0;
      for (let n = zero.endFrame; n < Math.min(capture.length, zero.endFrame + 3 * W); n++) after += predicted(n) ** 2;
      if (after > 3 * W * floor * floor) commitPending(); // the alignment was verified on content after the run
      return undefined;
    }
    if (eventStart >= nextSearchFrame) {
      let found = searchShift(eventStart + 2 * W);
      if (found === undefined) {
        // The capture fell silent first (a drop past a burst's end, the next burst arriving early): search from
        // where it sounds again, within the event.
        for (let n = eventStart + 3 * W; n + W <= hi; n += W) {
          let e = 0;
          for (let i = n; i < n + W; i++) e += capture[i] * capture[i];
          if (e > 16 * W * floor * floor) {
            found = searchShift(n);
            break;
          }
        }
      }
      nextSearchFrame = eventStart + Math.round(fs / 8);
      if (found && found.shift !== 0 && found.confirmed && found.ratio <= 0.25) return applyShift(found.shift, eventStart - 4 * W, eventStart + 4 * W + Math.max(0, found.shift));
    }
    commitPending();
    events.push({ kind: 'glitch', startFrame: eventStart, lengthFrames: Math.max(1, lastFlaggedEnd - eventStart) });
    return undefined;
  };

  let open = false;
  let eventStart = 0;
  let lastFlaggedEnd = 0;
  let cleanRun = 0;
  let loudFlagged = 0;
  for (let w = 0; w < windows; w++) {
    const n0 = w * W;
    let sr = 0;
    let se = 0;
    let sy = 0;
    fillWindow(n0);
    for (let i = 0, n = n0; i < W; i++, n++) {
      const e = gain * buf[i];
      const r = capture[n] - e;
      sr += r * r;
      se += e * e;
      sy += capture[n] * capture[n];
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
        if (pendingZero && se > W * floor * floor) commitPending();
        if (blockFill < SUSTAINED_WINDOWS) continue;
        const sustained = n0 >= nextSustainedSearchFrame && sumR > relSustained * relSustained * sumE && sumR > 4 * sigma * sigma * SUSTAINED_WINDOWS * W;
        sumR = sumE = blockFill = 0;
        if (!sustained) continue;
        // A small residual that persists: a shift too small for the window rule (a low tone)?
        const found = searchShift(n0 + W);
        if (found && found.shift !== 0 && found.confirmed && found.ratio <= 0.25) {
          const start = applyShift(found.shift, n0 + W - (2 * SUSTAINED_WINDOWS + 2) * W, n0 + W);
          w = Math.floor(start / W);
          continue;
        }
        nextSustainedSearchFrame = n0 + sustainedBackoffFrames;
        sustainedBackoffFrames = Math.min(2 * sustainedBackoffFrames, 2 * fs);
        continue;
      }
    }
    if (flagged) {
      lastFlaggedEnd = n0 + W;
      if (sy >= 0.25 * se) loudFlagged++;
    }
    cleanRun = flagged ? 0 : cleanRun + 1;
    if (cleanRun >= CLEAN_WINDOWS_TO_CLOSE) {
      open = false;
      const start = close(eventStart, lastFlaggedEnd);
      sumR = sumE = blockFill = 0; // the event consumed that residual: the sustained rule starts afresh
      if (start !== undefined) w = Math.floor(start / W);
      continue;
    }
    if (flagged && loudFlagged >= LOUD_WINDOWS_TO_SEARCH && n0 >= nextSearchFrame) {
      const found = searchShift(eventStart + 2 * W);
      if (found === undefined) continue; // silence in the span: wait for content
      if (found.shift !== 0 && found.confirmed) {
        open = false;
        const start = applyShift(found.shift, eventStart - 4 * W, eventStart + 4 * W + Math.max(0, found.shift));
        sumR = sumE = blockFill = 0;
        w = Math.floor(start / W);
        continue;
      }
      nextSearchFrame = n0 + Math.round(fs / 8);
    }
  }
  if (open) close(eventStart, Math.max(lastFlaggedEnd, eventStart + W));
  commitPending();
  return events.sort((a, b) => a.startFrame - b.startFrame);
}
