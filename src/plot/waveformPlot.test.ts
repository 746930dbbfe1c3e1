import { describe, expect, it } from 'vitest';
import { svgParseError, svgTexts } from './svgTestUtils.ts';
import { waveformSvg } from './waveformPlot.ts';

const RATE = 48000;
const decay = (seconds: number) => Float32Array.from({ length: seconds * RATE }, (_, i) => Math.exp(-i / RATE) * Math.sin(i / 20));

describe('waveformSvg', () => {
  it('draws overlaid series with a legend, a marked region and a time axis in seconds', async () => {
    const golden = decay(2);
    const fresh = golden.map((v, i) => (i > 50000 && i < 52400 ? 0 : v));
    const difference = fresh.map((v, i) => v - golden[i]);

    const svg = await waveformSvg({
      sampleRate: RATE,
      title: 'Golden vs new',
      series: [{ name: 'golden', samples: golden }, { name: 'new', samples: fresh }, { name: 'difference', samples: difference }],
      regions: [{ startSeconds: 50000 / RATE, endSeconds: 52400 / RATE, label: 'dropout 50 ms' }],
    });

    expect(svgParseError(svg)).toBeNull();
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['Time (s)', 'Amplitude (FS)', 'golden', 'new', 'difference', 'dropout 50 ms']));
  });

  it('draws an envelope in dB FS on a millisecond axis', async () => {
    const svg = await waveformSvg({ sampleRate: RATE, series: [{ name: 'x', samples: decay(1) }], yAxis: 'dbfs', timeUnit: 'ms' });

    expect(svgParseError(svg)).toBeNull();
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['Time (ms)', 'Peak level (dB FS)']));
  });

  it('reduces 10 minutes to pixel columns and renders in well under a second', async () => {
    const long = new Float32Array(RATE * 600);
    long[RATE * 300] = 1;
    await waveformSvg({ sampleRate: RATE, series: [{ name: 'warm-up', samples: long.subarray(0, 1000) }] });

    const t0 = performance.now();
    const svg = await waveformSvg({ sampleRate: RATE, series: [{ name: 'x', samples: long }] });
    const elapsedMs = performance.now() - t0;

    expect(svgParseError(svg)).toBeNull();
    expect(elapsedMs).toBeLessThan(1000);
  });

  it('rejects an empty series list', async () => {
    await expect(waveformSvg({ sampleRate: RATE, series: [] })).rejects.toThrow(/no series/);
  });
});
