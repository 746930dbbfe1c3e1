import { describe, expect, it } from 'vitest';
import { svgParseError, svgTexts } from './svgTestUtils.ts';
import { reduceToColumns, waveformSvg } from './waveformPlot.ts';

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

  it('reduces 10 minutes to pixel columns, keeping a single-sample spike (its speed: npm run bench -- plot_waveform)', async () => {
    const long = new Float32Array(RATE * 600);
    long[RATE * 300] = 1;
    const columns = 720;

    const rows = reduceToColumns({ name: 'x', samples: long }, RATE, columns);
    const spike = rows.findIndex((r) => r.max === 1);

    expect(rows).toHaveLength(columns);
    expect(rows.filter((r) => r.max !== 0)).toHaveLength(1);
    expect(spike).toBe(Math.floor((RATE * 300 * columns) / long.length));
    expect(rows[spike].time).toBeCloseTo(300, 0);
    const svg = await waveformSvg({ sampleRate: RATE, series: [{ name: 'x', samples: long }], columns });
    expect(svgParseError(svg)).toBeNull();
  });

  it('rejects an empty series list', async () => {
    await expect(waveformSvg({ sampleRate: RATE, series: [] })).rejects.toThrow(/no series/);
  });
});
