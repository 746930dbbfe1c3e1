/** Frames of history kept beyond the longest delay before the linear history is shifted back. */
export const HISTORY_CHUNK_FRAMES = 1024;

/** What the haptic engine keeps in its kernel memory, sized in prepare(). */
export interface HapticMemorySizes {
  numTransducers: number;
  maxBlockFrames: number;
  travellingCapacity: number;
  standingCapacity: number;
  /** Samples of history a travelling stimulus must keep: the longest delay plus interpolation margin. */
  historyFrames: number;
}

/**
 * Where each block lives in the one WebAssembly memory the mix kernels work on. Offsets are in 32-bit
 * words (f32/i32 index = word, byte = 4·word); every region starts on a 16-byte boundary (the SIMD
 * kernels' v128 loads), except `sineWord`, `batchWord` and `tapWord`, which index f64 words (8-byte aligned).
 */
export interface HapticMemoryLayout {
  /** Total size in 32-bit words. */
  words: number;
  /** Floats between two transducers' output blocks: maxBlockFrames rounded up to 4. */
  strideFloats: number;
  /** numTransducers output blocks of strideFloats. */
  outWord: number;
  /** The standing-wave bus, one block. */
  busWord: number;
  /** travellingCapacity linear histories of histLen floats. */
  histWord: number;
  histLen: number;
  /** travellingCapacity tap tables of coefWords words (5 per transducer, see tapCoefficients.ts). */
  coefWord: number;
  coefWords: number;
  /** Per transducer: standing-wave gain, block peak, block sum of squares. */
  gainsWord: number;
  peakWord: number;
  sumsqWord: number;
  /** Index in f64 words of the sineRun state (5 f64). */
  sineWord: number;
  /** The span's list of sounding travelling stimuli for the mix kernels: travellingCapacity i32 pairs [src byte, coef byte]. */
  listWord: number;
  /** Scratch of mixSpan: numTransducers × travellingCapacity entries of 4 words [source address, c0, c1, unused]. */
  mixTableWord: number;
  /** Index in f64 words of the sineRunMany table: max(travellingCapacity, standingCapacity) entries of 6 f64. */
  batchWord: number;
  /** Index in f64 words of linearTaps' arguments: 4 f64 [x, y, samplesPerMetre, gainLinear], then the transducers' xs[numTransducers] and ys[numTransducers]. */
  tapWord: number;
  /** A wave-speed crossfade (travellingWaves.ts): the mix with the old taps, numTransducers blocks of strideFloats. */
  fadeWord: number;
  /** The old taps: travellingCapacity tap tables of coefWords words, as at coefWord. */
  oldCoefWord: number;
  /** The span's list for the old taps: travellingCapacity i32 pairs [src byte, old coef byte]. */
  oldListWord: number;
}

/** Lays out the kernel memory; regions follow one another in the order of HapticMemoryLayout. */
export function layoutHapticMemory({ numTransducers, maxBlockFrames, travellingCapacity, standingCapacity, historyFrames }: HapticMemorySizes): HapticMemoryLayout {
  const strideFloats = Math.ceil(Math.max(1, maxBlockFrames) / 4) * 4;
  const histLen = Math.ceil((historyFrames + HISTORY_CHUNK_FRAMES) / 4) * 4;
  const coefWords = 5 * numTransducers;
  let word = 0;
  const take = (words: number) => { const at = word; word += Math.ceil(words / 4) * 4; return at; };
  const outWord = take(numTransducers * strideFloats);
  const busWord = take(strideFloats);
  const histWord = take(travellingCapacity * histLen);
  const coefWord = take(travellingCapacity * coefWords);
  const gainsWord = take(numTransducers);
  const peakWord = take(numTransducers);
  const sumsqWord = take(numTransducers);
  const sineWord = take(12) / 2; // 5 f64 of sineRun state, 8-byte aligned (take() aligns to 16 bytes)
  const listWord = take(2 * travellingCapacity);
  const mixTableWord = take(4 * numTransducers * travellingCapacity);
  const batchWord = take(12 * Math.max(travellingCapacity, standingCapacity)) / 2;
  const tapWord = take(2 * (4 + 2 * numTransducers)) / 2;
  const fadeWord = take(numTransducers * strideFloats);
  const oldCoefWord = take(travellingCapacity * coefWords);
  const oldListWord = take(2 * travellingCapacity);
  return {
    words: word, strideFloats, outWord, busWord, histWord, histLen, coefWord, coefWords, gainsWord, peakWord, sumsqWord, sineWord, listWord, mixTableWord, batchWord, tapWord,
    fadeWord, oldCoefWord, oldListWord,
  };
}
