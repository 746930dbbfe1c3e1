import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWav, writeWavAtomic } from '../io/wavFile.ts';
import { loadPreset } from '../presets/presetStore.ts';
import { checkGolden, compareMetrics } from './compareGolden.ts';
import { sampleHash } from './goldenHash.ts';
import { goldenMetrics } from './goldenMetrics.ts';
import { writeEvidence, writeReviewIndex } from './goldenReport.ts';
import { goldenPaths, readSidecar } from './goldenStore.ts';
import { approveGolden } from './goldenWorkflow.ts';

const preset = loadPreset('lossy', 'sampler-8bit');
let dir: string;
let savedCi: string | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'golden-'));
  savedCi = process.env.CI;
  delete process.env.CI;
});
afterEach(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
  rmSync(dir, { recursive: true, force: true });
});

/** Rewrites the golden WAV through `edit` and records the edited samples' hash and metrics in the sidecar (as if approved so). */
function editGolden(edit: (channels: Float32Array[]) => void, updateSidecar = true): void {
  const paths = goldenPaths(preset.engine, preset.name, dir);
  const audio = readWav(paths.wav);
  edit(audio.channels);
  writeWavAtomic(paths.wav, audio);
  if (updateSidecar) {
    const sidecar = readSidecar(paths.json)!;
    sidecar.sampleHash = sampleHash(audio.channels);
    sidecar.metrics = goldenMetrics(audio.channels, sidecar.settings);
    writeFileSync(paths.json, JSON.stringify(sidecar));
  }
}

describe('checkGolden', () => {
  it('passes a render identical to its golden without measuring', () => {
    approveGolden(preset, dir);
    const c = checkGolden(preset, dir);
    expect(c.status).toBe('identical');
    expect(c.ok).toBe(true);
  });

  it('passes a change far below the tolerances (one sample moved by 1e-6)', () => {
    approveGolden(preset, dir);
    editGolden((ch) => { ch[0][30000] += 1e-6; });
    const c = checkGolden(preset, dir);
    expect(c.status).toBe('within-tolerance');
    expect(c.residualDb).toBeLessThan(-60);
  });

  it('fails a golden 1 dB louder than the render, on the residual and the loudness', () => {
    approveGolden(preset, dir);
    editGolden((ch) => { for (const c of ch) for (let i = 0; i < c.length; i++) c[i] *= 10 ** (1 / 20); });
    const c = checkGolden(preset, dir);
    expect(c.status).toBe('differs');
    expect(c.residualDb).toBeGreaterThan(-60);
    expect(c.deltas?.find((d) => d.metric === 'integratedLufs')?.ok).toBe(false);
  });

  it('reports a golden made with another configuration as stale and does not compare it', () => {
    approveGolden(preset, dir);
    const paths = goldenPaths(preset.engine, preset.name, dir);
    const sidecar = readSidecar(paths.json)!;
    sidecar.configHash = 'sha256:0000';
    writeFileSync(paths.json, JSON.stringify(sidecar));
    const c = checkGolden(preset, dir);
    expect(c.status).toBe('stale');
    expect(c.residualDb).toBeUndefined();
  });

  it('reports a WAV that does not match its sidecar as corrupt', () => {
    approveGolden(preset, dir);
    editGolden((ch) => { ch[1][100] = 0.25; }, false);
    expect(checkGolden(preset, dir).status).toBe('corrupt');
  });

  it('reports a missing golden', () => {
    expect(checkGolden(preset, dir).status).toBe('missing');
  });
});

describe('approving', () => {
  it('writes the WAV and sidecar and leaves no temporary file', () => {
    approveGolden(preset, dir);
    const files = readdirSync(join(dir, 'lossy'));
    expect(files.sort()).toEqual(['sampler-8bit.json', 'sampler-8bit.wav']);
  });

  it('leaves a golden whose audio did not change untouched, engine version included (no churn on approve --all)', () => {
    const first = approveGolden(preset, dir);
    const paths = goldenPaths(preset.engine, preset.name, dir);
    const sidecar = readSidecar(paths.json)!;
    sidecar.engineVersion = 'an-older-engine-version';
    writeFileSync(paths.json, `${JSON.stringify(sidecar, null, 2)}\n`);
    const before = { json: readFileSync(paths.json), wav: readFileSync(paths.wav) };

    const again = approveGolden(preset, dir);

    expect([first.written, again.written]).toEqual([true, false]);
    expect(readFileSync(paths.json)).toEqual(before.json);
    // Buffer.equals: toEqual walks a Buffer index by index (5–9 s for this WAV at load 10).
    expect(readFileSync(paths.wav).equals(before.wav), 'the WAV is byte for byte what it was').toBe(true);
  });

  it('rewrites a golden whose audio changed, or whose WAV does not hold what its sidecar records', () => {
    approveGolden(preset, dir);
    editGolden((ch) => { ch[0][30000] += 1e-6; });
    expect(approveGolden(preset, dir).written).toBe(true);
    expect(checkGolden(preset, dir).status).toBe('identical');
    editGolden((ch) => { ch[1][100] = 0.25; }, false);
    expect(approveGolden(preset, dir).written).toBe(true);
    expect(checkGolden(preset, dir).status).toBe('identical');
  });

  it('writes nothing when CI is set', () => {
    process.env.CI = 'true';
    expect(() => approveGolden(preset, dir)).toThrow(/CI is set/);
    expect(existsSync(join(dir, 'lossy'))).toBe(false);
  });
});

describe('evidence', () => {
  it('writes the three WAVs and a page with players, pictures and the metric table', async () => {
    approveGolden(preset, dir);
    editGolden((ch) => { for (let i = 20000; i < 20500; i++) ch[0][i] = 0; });
    const c = checkGolden(preset, dir);
    const reports = join(dir, 'reports');
    const page = await writeEvidence(c, reports);
    const html = readFileSync(page, 'utf8');
    for (const f of ['golden.wav', 'new.wav', 'difference.wav']) {
      expect(existsSync(join(reports, 'lossy', 'sampler-8bit', f))).toBe(true);
      expect(html).toContain(`<audio controls preload="none" src="${f}">`);
    }
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(6);
    expect(html).toContain('integratedLufs');
    const index = readFileSync(writeReviewIndex([c], new Map([[c.ref, page]]), reports), 'utf8');
    expect(index).toContain('lossy/sampler-8bit');
    expect(index).toContain('1 of 1 presets need attention');
    expect(index).toContain('<h2>Failed</h2>');
  });
});

describe('compareMetrics', () => {
  const base = {
    rt60Seconds: 1, rt60BandsSeconds: { '63': 1.2, '250': 1.1, '1000': 1 } as Record<string, number | null>, edtSeconds: 0.9, c80Db: 2,
    centroidHz: 1000, integratedLufs: -20, samplePeakDbfs: -3, truePeakDbtp: -2.9,
  };

  it('fails a 5 % change of the 250 Hz RT60 and ignores the 63 Hz band', () => {
    const deltas = compareMetrics(base, { ...base, rt60BandsSeconds: { '63': 2, '250': 1.155, '1000': 1 } });
    expect(deltas.filter((d) => !d.ok).map((d) => d.metric)).toEqual(['rt60Seconds@250Hz']);
  });

  it('shows a figure measured on one side only without failing on it', () => {
    const deltas = compareMetrics(base, { ...base, rt60BandsSeconds: { ...base.rt60BandsSeconds, '1000': null } });
    const band = deltas.find((d) => d.metric === 'rt60Seconds@1000Hz');
    expect(band).toMatchObject({ ok: true, note: 'measured on one side only' });
  });
});
