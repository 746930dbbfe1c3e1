/** 0, 1, …, n − 1: for writing repeated lines of WebAssembly text (one per register, lane or row). */
export const range = (n: number) => Array.from({ length: n }, (_, k) => k);
