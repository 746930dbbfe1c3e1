import type { DropoutEvent } from './dropoutEvent.ts';
import { ResidualDropoutDetector } from './residualDropoutDetector.ts';
import { SignalHistory } from './signalHistory.ts';

/**
 * Prediction-residual dropout detector: the capture is compared with the expected render (the engines are
 * deterministic), aligned by the measured path latency L (fractional) and gain g:
 *   r[n] = y[n] − g·e(n − L),   e(t) band-limited interpolation of the render (Kaiser-windowed sinc,
 *   16 taps: error below −84 dB up to 0.3·fs, −50 dB at 0.35·fs, so content above ~0.33·fs with a
 *   fractional latency raises the residual floor).
 * In windows of W frames (default 1/3 ms) a window is flagged when
 *   rms_W(r) > max(10^(thresholdDb/20)·level, 4·σ_W),
 * with `level` the render's RMS over the last ~10 ms and σ_W the median window RMS of the residual on the
 * first 512 windows, at most twice the smallest median of a block of 64 of them (the noise floor; the bound
 * keeps a shift among the first windows from raising it to the misaligned content's level).
 *
 * What a run of flagged windows is, decided by hypothesis, never by a bare delay estimate (a tone fits
 * itself shifted by whole periods, so "best correlation" alone is ambiguous):
 * - The run ends (3 clean windows) under the CURRENT alignment: no timeline shift happened. It is `zeroed`
 *   when modelling a run of the capture as silence removes ≥ 90 % of its residual and the capture really is
 *   near zero throughout the run (zeroedRun.ts: exact start and length, one sample is enough), else a
 *   `glitch` — unless a shift search (below) proves a shift. A zeroed run after which the capture does not
 *   yet carry the render's content (the render falls silent, or only its tail near the floor follows, which a
 *   silent capture passes too) stays pending: if the next burst then proves a drop that also explains the run
 *   (the capture jumped past the burst's end), it is reported as that drop, at the run's start.
 * - The misfit persists over 6 flagged windows whose capture is not silent (≈ 2 ms): a shift search.
 *   E(s) = Σ (y − g·e(n − L − s))² for every s in ±maxShiftFrames at once (shiftResiduals.ts, by FFT) over a
 *   short span (~21 ms from the disturbance: which shifts fit) and a long one (~85 ms: contains a burst
 *   onset or offset, which rejects shifts that differ by whole periods); among the equally good the
 *   smallest |s| wins, shifts −1, 0 and +1 compared at their sub-sample best (a tone whose period is not
 *   whole frames fits some whole-period alias of a sub-sample move almost exactly), and from it the search
 *   walks down to its valley's bottom (a neighbour better by more than noise can make it). It is accepted only if
 *   its short-span residual is under half the threshold (with the sub-sample rest followed, or without) and
 *   it cuts the residual over the noise's share (V·σ², which no shift removes) by ≥ 6 dB; then the event (`dropped` s < 0, `inserted` s > 0) starts at the frame
 *   that best splits old from new alignment, and the alignment follows. A zeroed block never moves the
 *   alignment.
 * - A move of the latency by less than a sample (a clock re-locked) that a search finds, whose fit is
 *   confirmed and cuts the residual by ≥ 6 dB, is followed without an event: no sample was lost or gained.
 *   So a steady tone whose latency moves by m samples gives nothing for |m| < 2/3 and one one-sample shift
 *   from there (the 6 dB rule), at any frequency; a click where it moves is still a glitch.
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
 * The detector is a stateful object, ResidualDropoutDetector (residualDropoutDetector.ts), fed render and
 * capture chunk by chunk with the same findings at any chunking (so a soak of any length is analysed in
 * bounded memory); `detectResidualDropouts` below feeds it two whole signals.
 *
 * Limits (measured in the tests): a one-sample shift leaves a residual of ω_rms·level (ω_rms the content's
 * RMS angular frequency in rad/sample): on tones the window rule sees it where it happens down to ≈ 45 Hz
 * at −40 dB (a window's residual peaks 3 dB over its RMS), the sustained rule down to ≈ 30 Hz (at 20 Hz it
 * is reported 4.5 ms late); two shifts closer than a search's short span (~21 ms) are mostly one shift of their sum
 * and a glitch over the stretch between, since the search reads both (`npx tsx scripts/twoDropsSweep.ts 400 1`: of 191
 * pairs of drops under 1100 frames apart, on tones, noise and programme alike, 185 wrong, 173 of them one drop of the
 * sum, 153 of those with a glitch); a
 * fault during silence is only seen when content returns, and is reported there; a
 * repeated block of whole periods of a steady tone, to within half a sample (350 frames of 137 Hz's 350.36),
 * is invisible until the next burst boundary (it is the capture a sub-sample latency move gives); a
 * zeroed block that ends in a silence of the render is reported up to where the render falls below the
 * noise floor (the silence holds no evidence of its true end); a latency's sub-sample move is followed only
 * where a search runs, on a misfit the window or the sustained rule sees (0.7 sample of a 50 Hz tone, −47 dB,
 * is under the sustained line: noise-free nothing, at 60 dB SNR the insert is reported 16544 frames late;
 * `npx tsx scripts/latencyMoveSweep.ts`); a move by a whole number of samples and a half (±1.5, ±2.5) is the
 * whole part (or the next) reported and the rest followed, though on a steady 70–440 Hz tone a whole-period alias
 * may be reported instead (`MOVES=1.4,-1.4,1.5,-1.5,1.6,2.5,-2.5 npx tsx scripts/latencyMoveSweep.ts`: 103 of 126
 * lines one right shift); and a continuous clock drift is not tracked as such: on a steady tone it is followed
 * in sub-sample steps and reported by nothing (9.6 samples over 10 s at 20 ppm), on programme it leaves glitches
 * (`DRIFT_PPM=2,20 npx tsx scripts/latencyMoveSweep.ts`); measure drift from the latency itself.
 * There the glitches come from the interpolation more than from the drift: on programmeLike (content up to
 * Nyquist) the 16-tap kernel differs from a 64-tap one (fractionalDelay's default, which made the capture) by
 * −46.9 dB at a 0.1-sample fraction, −39.8 dB at 0.25 and −36.7 dB at 0.5 (1024 frames at the true latency), at or
 * over the −40 dB threshold; a constant fraction of 0.25 or 0.5 gave no event here (why not: not measured), a drifting one
 * does. Tried 2026-12-06 with the detector's kernel at 64 taps: 2 ppm gave no event and followed 0.94 of 0.96
 * samples, 20 ppm 6 glitches and 4.17 of 9.6 (32 taps: 593 and 156 glitches — worse than 16, not understood); not
 * kept: it quadruples the fractional path's cost and moves every fractional-latency finding. Bright broadband
 * content at a fractional latency therefore has little or no margin.
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

/**
 * The detector over two whole signals (ResidualDropoutDetector fed them at once, read in place): the
 * findings are the same as feeding the same signals chunk by chunk.
 */
export function detectResidualDropouts(expected: Float32Array, capture: Float32Array, options: ResidualDetectorOptions): DropoutEvent[] {
  return residualDropoutsAndLatency(expected, capture, options).events;
}

/** detectResidualDropouts, and how far the detector followed the latency without an event (latencyFollowedSamples). */
export function residualDropoutsAndLatency(expected: Float32Array, capture: Float32Array, options: ResidualDetectorOptions): { events: DropoutEvent[]; latencyFollowedSamples: number } {
  const signals = { render: SignalHistory.wrap(expected), capture: SignalHistory.wrap(capture) };
  const detector = new ResidualDropoutDetector({ ...options, totalFrames: capture.length }, signals);
  const events = detector.finish();
  return { events, latencyFollowedSamples: detector.latencyFollowedSamples };
}
