/** Samples of a signal in either precision (full scale ±1); analysis code reads both and computes in double. */
export type Samples = Float32Array | Float64Array;
