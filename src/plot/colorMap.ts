import { interpolateMagma, interpolateViridis } from 'd3-scale-chromatic';

/** Colour maps shared by the PNG spectrogram and the Vega-Lite legends (Vega's built-in schemes of the same name). */
export type ColorScheme = 'magma' | 'viridis';

/**
 * A 256-entry RGB lookup table of a perceptually uniform map from d3-scale-chromatic:
 * lut[3·i … 3·i + 2] is the colour of t = i / 255 (0 = darkest).
 */
export function colorLut(scheme: ColorScheme = 'magma'): Uint8Array {
  const interpolate = scheme === 'viridis' ? interpolateViridis : interpolateMagma;
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const colour = interpolate(i / 255);
    const hex = /^#([0-9a-f]{6})$/i.exec(colour);
    const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(colour);
    if (hex) {
      const v = parseInt(hex[1], 16);
      lut.set([v >> 16, (v >> 8) & 255, v & 255], 3 * i);
    } else if (rgb) {
      lut.set([Number(rgb[1]), Number(rgb[2]), Number(rgb[3])], 3 * i);
    } else {
      throw new Error(`colorLut: unexpected colour '${colour}' from d3-scale-chromatic`);
    }
  }
  return lut;
}
