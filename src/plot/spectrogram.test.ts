import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { computeSpectrogram, spectrogramFigure, spectrogramPng } from './spectrogram.ts';
import { svgParseError, svgTexts } from './svgTestUtils.ts';

const RATE = 48000;

function sine(frequencyHz: number, seconds: number, amplitude = 1): Float32Array {
  const x = new Float32Array(Math.round(seconds * RATE));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / RATE);
  return x;
}

function brightestRow(png: { width: number; height: number; data: Uint8Array }): number {
  let best = -1, bestRow = -1;
  for (let y = 0; y < png.height; y++) {
    let sum = 0;
    for (let x = 0; x < png.width; x++) {
      const o = (y * png.width + x) * 4;
      sum += png.data[o] + png.data[o + 1] + png.data[o + 2];
    }
    if (sum > best) [best, bestRow] = [sum, y];
  }
  return bestRow;
}

describe('spectrogram', () => {
  it('reads a full-scale sine at 0 dB ±1.5 (Hann scalloping) at its bin, and silence at the floor', () => {
    const s = computeSpectrogram(sine(3000, 0.5), RATE, { frameSize: 1024 });
    const quiet = computeSpectrogram(new Float32Array(RATE / 2), RATE, { frameSize: 1024, floorDb: -100 });

    const bin = 3000 / (RATE / 1024);
    const levelDb = s.levelsDb[bin * s.columns + (s.columns >> 1)];

    expect(Math.abs(levelDb)).toBeLessThan(1.5);
    expect(Math.max(...quiet.levelsDb)).toBe(-100);
  });

  it('encodes a PNG that decodes to columns × rows and shows a 3 kHz sine as the brightest row at its height', () => {
    const s = computeSpectrogram(sine(3000, 1, 0.5), RATE, { frameSize: 1024 });

    const png = PNG.sync.read(Buffer.from(spectrogramPng(s)));

    expect([png.width, png.height]).toEqual([s.columns, 513]);
    expect(png.height - 1 - brightestRow(png)).toBe(64);
  });

  it('pools bins into at most maxRows rows (max per row) and keeps the sine at its height', () => {
    const s = computeSpectrogram(sine(3000, 0.5, 0.5), RATE, { frameSize: 4096, maxRows: 600 });

    const png = PNG.sync.read(Buffer.from(spectrogramPng(s)));

    expect(png.height).toBe(600);
    expect(Math.abs(png.height - 1 - brightestRow(png) - (3000 / 24000) * 600)).toBeLessThanOrEqual(1);
  });

  it('places the sine at the right height on a log frequency axis too', () => {
    const s = computeSpectrogram(sine(1000, 1, 0.5), RATE, { frameSize: 2048, frequencyScale: 'log', logRows: 300, minFrequencyHz: 20 });

    const png = PNG.sync.read(Buffer.from(spectrogramPng(s)));
    const rowFromBottom = png.height - 1 - brightestRow(png);
    const [lowHz, highHz] = s.frequencyRangeHz;
    const expected = (300 * Math.log(1000 / lowHz)) / Math.log(highHz / lowHz);

    expect(Math.abs(rowFromBottom - expected)).toBeLessThanOrEqual(2);
  });

  it('widens the hop of a long signal so the image has at most maxColumns columns', () => {
    const s = computeSpectrogram(new Float32Array(RATE * 60), RATE, { maxColumns: 300 });

    expect(s.columns).toBeLessThanOrEqual(300);
    expect(s.columns).toBeGreaterThan(290);
    expect(Math.abs(s.timeRangeSeconds[1] - 60)).toBeLessThan(0.5);
  });

  it('renders an SVG figure with time and frequency axes, a dB legend and the PNG embedded', async () => {
    const { svg, png } = await spectrogramFigure(sine(3000, 1, 0.5), RATE, { title: '3 kHz test tone' });

    expect(svgParseError(svg)).toBeNull();
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['Time (s)', 'Frequency (Hz)', 'Level (dB FS)', '3 kHz test tone']));
    expect(svg).toContain(`data:image/png;base64,${Buffer.from(png).toString('base64').slice(0, 64)}`);
  });

  it('renders a 10-minute signal with its columns limited, the tone in the right column (its speed: npm run bench -- plot_spectrogram)', async () => {
    const long = new Float32Array(RATE * 600);
    long.set(sine(1000, 10, 0.5), RATE * 300);

    const { spectrogram: s, png } = await spectrogramFigure(long, RATE);

    expect(s.columns).toBeLessThanOrEqual(1200);
    expect(s.columns).toBeGreaterThan(1100);
    expect(png.length).toBeGreaterThan(0);
    // Silence reads the floor: the loud columns are those whose frames lie over the tone at 300…310 s.
    const columnMaxDb = (c: number) => Math.max(...Array.from({ length: s.rows }, (_, r) => s.levelsDb[r * s.columns + c]));
    const loudColumns = [...Array(s.columns).keys()].filter((c) => columnMaxDb(c) > -20);
    const frameCentreSeconds = (c: number) => (c * s.hopSize + s.frameSize / 2) / RATE;
    expect(loudColumns.length).toBeGreaterThanOrEqual(Math.floor((10 * RATE) / s.hopSize));
    expect(frameCentreSeconds(loudColumns[0])).toBeGreaterThan(300 - s.frameSize / RATE);
    expect(frameCentreSeconds(loudColumns.at(-1)!)).toBeLessThan(310 + s.frameSize / RATE);
  });

  it('rejects a frame size that is not a power of two', () => {
    expect(() => computeSpectrogram(new Float32Array(4096), RATE, { frameSize: 1000 })).toThrow(/frameSize 1000/);
  });
});
