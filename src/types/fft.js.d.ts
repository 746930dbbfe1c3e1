// fft.js (radix-4, by Fedor Indutny) ships no declarations and there is no @types package: the part of
// its API this project uses. Complex data interleaved [re0, im0, re1, im1, …]; inverse scales by 1/N.
declare module 'fft.js' {
  export default class FFT {
    constructor(size: number);
    readonly size: number;
    transform(out: Float64Array, data: Float64Array): void;
    realTransform(out: Float64Array, data: Float64Array): void;
    inverseTransform(out: Float64Array, data: Float64Array): void;
  }
}
