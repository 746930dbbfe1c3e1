// d3-scale-chromatic ships no type declarations here; only the two interpolators used below are typed.
// @ts-ignore -- untyped ESM module
import { interpolateMagma, interpolateViridis } from 'd3-scale-chromatic';

/** Colour maps shared by the PNG spectrogram and the Vega-Lite legends (Vega's built-in schemes of the same name). */
export type ColorScheme = 'magma' | 'viridis';

/**
 * A 256-entry RGB lookup table of a perceptually uniform map from d3-scale-chromatic:
 * lut[3·i … 3·i + 2] is the colour of t = i / 255 (0 = darkest).
 */
export function colorLut(scheme: ColorScheme = 'magma'): Uint8Array {
  const interpolate = (scheme === 'viridis' ? interpolateViridis : interpolateMagma) as (t: number) => string;
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = interpolate(i / 255);
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c) ?? /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(c);
    if (!m) throw new Error(`colorLut: unexpected colour '${c}' from d3-scale-chromatic`);
    const parse = (s: string) => (s.length === 2 && /[a-f]/i.test(s)) || c.startsWith('#') ? parseInt(s, 16) : parseInt(s, 10);
    lut[3 * i] = parse(m[1]);
    lut[3 * i + 1] = parse(m[2]);
    lut[3 * i + 2] = parse(m[3]);
  }
  return lut;
}
