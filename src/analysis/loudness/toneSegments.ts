/**
 * Test-signal generator for the EBU Tech 3341/3342 cases: a sine of `frequencyHz` whose peak level
 * steps through segments of (levelDbfs, seconds), phase-continuous across steps (dBFS of a sine = its
 * peak, so 0 dBFS is a full-scale sine, as in Tech 3341). Fast: one period-exact table
 * (fs / gcd(fs, f) samples) is computed once and copied, so 80 s at 96 kHz takes milliseconds.
 * Requires integer frequencyHz and sample rate.
 */
export interface ToneSegment {
  levelDbfs: number;
  seconds: number;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function toneSegments(sampleRateHz: number, segments: ToneSegment[], frequencyHz = 1000): Float32Array {
  const period = sampleRateHz / gcd(sampleRateHz, frequencyHz);
  const table = new Float64Array(period);
  for (let i = 0; i < period; i++) table[i] = Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz);
  const total = segments.reduce((n, s) => n + Math.round(s.seconds * sampleRateHz), 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const s of segments) {
    const end = at + Math.round(s.seconds * sampleRateHz);
    const amplitude = Math.pow(10, s.levelDbfs / 20);
    for (let i = at, phase = at % period; i < end; i++) {
      out[i] = amplitude * table[phase];
      if (++phase === period) phase = 0;
    }
    at = end;
  }
  return out;
}
