import { type DelayEstimate, type DelayOptions, estimateDelays } from './estimateDelay.ts';

/**
 * The calibration probe the HIL plays on every wired output before a run, and its estimator.
 *
 * Probe: an exponential sine sweep (Farina, AES 108th conv., 2000)
 *   x(t) = A·sin(2π·f₁·T/ln(f₂/f₁)·(e^{t·ln(f₂/f₁)/T} − 1)),  0 ≤ t < T,
 * with raised-cosine fades of `fadeSeconds` at both ends. Why a sweep rather than MLS or noise: its crest
 * factor is 3 dB (a sine's), so at −6 dBFS it is loud without clipping; it is not periodic, so the delay is
 * unambiguous over the whole search range (an MLS of period P aliases delays modulo P, jack_iodelay's
 * multi-tone modulo 65536); and it covers f₁…f₂ with equal energy per octave. Its estimator is
 * estimateDelays restricted to the swept band: GCC-PHAT whitens the sweep's pink spectrum.
 * Measured (calibrationProbe.test.ts): 0.5 s probe at 48 kHz, delays 128 and 4799.9 samples recovered within
 * 0.01 sample at 40 dB SNR, polarity flagged.
 */
export interface ProbeOptions {
  sampleRate: number;
  /** Sweep length (default 0.5 s). */
  seconds?: number;
  /** Default 50 Hz. */
  startHz?: number;
  /** Default min(20 kHz, 0.45·fs). */
  endHz?: number;
  /** Peak level (default −6 dBFS). */
  levelDb?: number;
  /** Fades at both ends (default 10 ms). */
  fadeSeconds?: number;
}

export function calibrationProbe(options: ProbeOptions): Float32Array {
  const fs = options.sampleRate;
  const T = options.seconds ?? 0.5;
  const f1 = options.startHz ?? 50;
  const f2 = options.endHz ?? Math.min(20000, 0.45 * fs);
  if (!(f1 > 0 && f2 > f1 && f2 < fs / 2)) throw new RangeError(`calibrationProbe: need 0 < startHz < endHz < fs/2, got ${f1} … ${f2} at ${fs} Hz`);
  const A = 10 ** ((options.levelDb ?? -6) / 20);
  const frames = Math.round(T * fs);
  const fade = Math.round((options.fadeSeconds ?? 0.01) * fs);
  const k = Math.log(f2 / f1);
  const out = new Float32Array(frames);
  for (let n = 0; n < frames; n++) {
    const t = n / fs;
    let g = A;
    if (n < fade) g *= 0.5 - 0.5 * Math.cos((Math.PI * n) / fade);
    else if (n >= frames - fade) g *= 0.5 - 0.5 * Math.cos((Math.PI * (frames - 1 - n)) / fade);
    out[n] = g * Math.sin(((2 * Math.PI * f1 * T) / k) * (Math.exp((t * k) / T) - 1));
  }
  return out;
}

/** Delays of each capture against the probe, analysed over the swept band only. */
export function measureProbeDelays(probe: Float32Array, captures: readonly Float32Array[], probeOptions: ProbeOptions, options: DelayOptions = {}): DelayEstimate[] {
  const fs = probeOptions.sampleRate;
  const f1 = probeOptions.startHz ?? 50;
  const f2 = probeOptions.endHz ?? Math.min(20000, 0.45 * fs);
  return estimateDelays(probe, captures, { bandCyclesPerSample: [f1 / fs, f2 / fs], ...options });
}
