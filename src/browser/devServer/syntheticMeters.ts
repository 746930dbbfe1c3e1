/** One meter frame: per-channel peak and RMS in dBFS (−Infinity → null in JSON), at a stream frame. */
export interface MeterFrame {
  peakDb: (number | null)[];
  rmsDb: (number | null)[];
  frame: number;
  synthetic: boolean;
}

/**
 * A synthetic meter frame for developing the UI without audio: channel c's RMS follows
 * −30 + 12·sin(2π·(0.5·t + c/channels)) dBFS (a slow wave rolling across the channels, t = seconds),
 * its peak 3 dB above (a sine's crest factor). Deterministic: the same `timeSeconds` gives the same frame.
 */
export function syntheticMeterFrame(timeSeconds: number, channels: number, sampleRate = 48_000): MeterFrame {
  const rmsDb: number[] = [];
  const peakDb: number[] = [];
  for (let c = 0; c < channels; c++) {
    const rms = -30 + 12 * Math.sin(2 * Math.PI * (0.5 * timeSeconds + c / channels));
    rmsDb.push(rms);
    peakDb.push(rms + 3.01);
  }
  return { peakDb, rmsDb, frame: Math.round(timeSeconds * sampleRate), synthetic: true };
}
