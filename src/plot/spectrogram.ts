import { PNG } from 'pngjs';
import type { TopLevelSpec } from 'vega-lite';
import { fftOfSize } from '../analysis/latency/fft.ts';
import { hannWindow } from '../dsp/hannWindow.ts';
import { colorLut, type ColorScheme } from './colorMap.ts';
import { renderVegaLiteSvg } from './renderVegaLite.ts';

/**
 * Short-time Fourier transform magnitude in dB re full scale, for pictures.
 *
 * Frame t: Hann-windowed samples [t·hop, t·hop + frameSize); level = 20·log10(2·|X[k]| / Σw), so a
 * full-scale sine reads 0 dB at its bin (−1.4 dB at worst between bins, Hann scalloping), clamped at
 * floorDb. Long signals: when more than maxColumns frames would be needed the hop is widened
 * (frames are decimated, one frame per column), so a 10-minute file costs maxColumns FFTs; an event
 * shorter than the widened hop can fall between frames and not show.
 */
export interface SpectrogramOptions {
  /** FFT length, a power of two (default 2048). */
  frameSize?: number;
  /** Hop between frames in samples (default frameSize / 4); widened to respect maxColumns. */
  hopSize?: number;
  /** Most image columns (default 1200). */
  maxColumns?: number;
  /** Levels below this are drawn as the floor colour (default −120 dB). */
  floorDb?: number;
  /** Frequency axis: 'linear' or 'log' (rows log-spaced from minFrequencyHz); a row shows the max over its bins. */
  frequencyScale?: 'linear' | 'log';
  /** Most rows of a linear axis (default 600; one row per bin when there are fewer bins). */
  maxRows?: number;
  /** Lowest frequency of a log axis (default 20 Hz). */
  minFrequencyHz?: number;
  /** Rows of a log axis (default 400). */
  logRows?: number;
}

export interface Spectrogram {
  sampleRate: number;
  frameSize: number;
  /** Hop actually used, samples. */
  hopSize: number;
  columns: number;
  rows: number;
  /** Level of row r (0 = lowest frequency), column c at levelsDb[r·columns + c], dB re full scale, ≥ floorDb. */
  levelsDb: Float32Array;
  floorDb: number;
  frequencyScale: 'linear' | 'log';
  /** Frequency range covered by the rows: [lowest, highest] Hz. */
  frequencyRangeHz: [number, number];
  /** Time range covered by the columns, [start of first frame, end of last frame] in seconds. */
  timeRangeSeconds: [number, number];
}

export function computeSpectrogram(samples: Float32Array, sampleRate: number, options: SpectrogramOptions = {}): Spectrogram {
  const frameSize = options.frameSize ?? 2048;
  if (!(frameSize >= 16 && (frameSize & (frameSize - 1)) === 0)) {
    throw new RangeError(`computeSpectrogram: frameSize ${frameSize} must be a power of two ≥ 16`);
  }
  const floorDb = options.floorDb ?? -120;
  const maxColumns = options.maxColumns ?? 1200;
  let hopSize = options.hopSize ?? frameSize / 4;
  if (samples.length > frameSize && Math.floor((samples.length - frameSize) / hopSize) + 1 > maxColumns) {
    hopSize = Math.ceil((samples.length - frameSize) / (maxColumns - 1));
  }
  const columns = samples.length <= frameSize ? 1 : Math.floor((samples.length - frameSize) / hopSize) + 1;
  const bins = frameSize / 2 + 1;
  const binHz = sampleRate / frameSize;

  const scale = options.frequencyScale ?? 'linear';
  const minHz = Math.max(binHz, options.minFrequencyHz ?? 20);
  const nyquistHz = sampleRate / 2;
  const rows = scale === 'log' ? options.logRows ?? 400 : Math.min(bins, options.maxRows ?? 600);
  // Row r takes the max over bins [rowFirstBin[r], rowFirstBin[r + 1]) (at least one bin).
  const rowFirstBin = new Int32Array(rows + 1);
  for (let r = 0; r <= rows; r++) {
    rowFirstBin[r] = scale === 'log' ? Math.round((minHz * Math.pow(nyquistHz / minHz, r / rows)) / binHz) : Math.round((r * bins) / rows);
  }

  const window = hannWindow(frameSize);
  let windowSum = 0;
  for (let i = 0; i < frameSize; i++) windowSum += window[i];
  const fft = fftOfSize(frameSize);
  const frame = new Float64Array(frameSize);
  const spectrum = new Float64Array(2 * frameSize);
  const binDb = new Float64Array(bins);
  const levelsDb = new Float32Array(rows * columns);
  const toAmplitude = 2 / windowSum;

  for (let c = 0; c < columns; c++) {
    const start = c * hopSize;
    for (let i = 0; i < frameSize; i++) frame[i] = (start + i < samples.length ? samples[start + i] : 0) * window[i];
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < bins; k++) {
      const magnitude = Math.hypot(spectrum[2 * k], spectrum[2 * k + 1]) * toAmplitude;
      binDb[k] = magnitude > 0 ? Math.max(floorDb, 20 * Math.log10(magnitude)) : floorDb;
    }
    for (let r = 0; r < rows; r++) {
      const first = Math.min(bins - 1, rowFirstBin[r]);
      const last = Math.min(bins, Math.max(first + 1, rowFirstBin[r + 1]));
      let level = floorDb;
      for (let k = first; k < last; k++) if (binDb[k] > level) level = binDb[k];
      levelsDb[r * columns + c] = level;
    }
  }
  return {
    sampleRate,
    frameSize,
    hopSize,
    columns,
    rows,
    levelsDb,
    floorDb,
    frequencyScale: scale,
    frequencyRangeHz: scale === 'log' ? [minHz, nyquistHz] : [0, nyquistHz],
    timeRangeSeconds: [0, ((columns - 1) * hopSize + frameSize) / sampleRate],
  };
}

/** PNG bytes of a spectrogram: one pixel per column × row, highest frequency at the top. */
export function spectrogramPng(s: Spectrogram, options: { ceilingDb?: number; scheme?: ColorScheme } = {}): Uint8Array {
  const ceilingDb = options.ceilingDb ?? 0;
  const lut = colorLut(options.scheme);
  const png = new PNG({ width: s.columns, height: s.rows, colorType: 2 });
  const data = png.data as Uint8Array;
  const span = ceilingDb - s.floorDb;
  for (let r = 0; r < s.rows; r++) {
    const y = s.rows - 1 - r;
    for (let c = 0; c < s.columns; c++) {
      const t = Math.min(1, Math.max(0, (s.levelsDb[r * s.columns + c] - s.floorDb) / span));
      const i = Math.round(t * 255) * 3, o = (y * s.columns + c) * 4;
      data[o] = lut[i];
      data[o + 1] = lut[i + 1];
      data[o + 2] = lut[i + 2];
      data[o + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png, { colorType: 2 }));
}

export interface SpectrogramFigureOptions extends SpectrogramOptions {
  title?: string;
  /** Plot area in CSS pixels (default 720 × 300). */
  width?: number;
  height?: number;
  ceilingDb?: number;
  scheme?: ColorScheme;
}

/**
 * A readable spectrogram figure: SVG with time (s) and frequency (Hz) axes and a dB colour legend,
 * the image embedded as a PNG data URI; also returns the PNG bytes and the computed spectrogram.
 */
export async function spectrogramFigure(
  samples: Float32Array,
  sampleRate: number,
  options: SpectrogramFigureOptions = {},
): Promise<{ svg: string; png: Uint8Array; spectrogram: Spectrogram }> {
  const s = computeSpectrogram(samples, sampleRate, options);
  const png = spectrogramPng(s, options);
  const ceilingDb = options.ceilingDb ?? 0;
  const url = `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
  const [t0, t1] = s.timeRangeSeconds;
  const [f0, f1] = s.frequencyRangeHz;
  const spec: TopLevelSpec = {
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 720,
    height: options.height ?? 300,
    layer: [
      {
        data: { values: [{ t0, t1, f0, f1 }] },
        mark: { type: 'image', url, aspect: false },
        encoding: {
          x: { field: 't0', type: 'quantitative', scale: { domain: [t0, t1], nice: false, zero: false }, title: 'Time (s)' },
          x2: { field: 't1' },
          y: {
            field: 'f0',
            type: 'quantitative',
            scale: s.frequencyScale === 'log' ? { type: 'log', domain: [f0, f1], nice: false } : { domain: [f0, f1], nice: false, zero: false },
            axis: { labelExpr: "datum.value >= 1000 ? format(datum.value / 1000, '~g') + 'k' : format(datum.value, '~g')" },
            title: 'Frequency (Hz)',
          },
          y2: { field: 'f1' },
        },
      },
      {
        data: { values: [{ level: s.floorDb }, { level: ceilingDb }] },
        mark: { type: 'point', opacity: 0 },
        encoding: {
          color: {
            field: 'level',
            type: 'quantitative',
            scale: { scheme: options.scheme ?? 'magma', domain: [s.floorDb, ceilingDb] },
            legend: { title: 'Level (dB FS)', gradientLength: options.height ?? 300, tickCount: 6 },
          },
        },
      },
    ],
  };
  return { svg: await renderVegaLiteSvg(spec), png, spectrogram: s };
}
