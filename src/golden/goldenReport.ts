import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeWavAtomic } from '../io/wavFile.ts';
import { spectrogramFigure } from '../plot/spectrogram.ts';
import { waveformSvg } from '../plot/waveformPlot.ts';
import type { GoldenCheck, MetricDelta } from './compareGolden.ts';
import { describeOutcome, goldenOutcome } from './goldenOutcome.ts';
import { GOLDEN_TOLERANCES } from './goldenSettings.ts';
import { goldenReportDir, writeTextAtomic } from './goldenStore.ts';

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined ? '—' : Number.isFinite(v) ? v.toFixed(digits) : String(v));

export function evidenceDir(check: GoldenCheck, root = goldenReportDir()): string {
  return join(root, check.preset.engine, check.preset.name);
}

/** The channel where new and golden differ most (the one the pictures show). */
function worstChannel(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let worst = 0;
  let most = -1;
  for (let c = 0; c < Math.min(a.length, b.length); c++) {
    let e = 0;
    const n = Math.min(a[c].length, b[c].length);
    for (let i = 0; i < n; i++) e += (a[c][i] - b[c][i]) ** 2;
    if (e > most) [most, worst] = [e, c];
  }
  return worst;
}

function metricRows(deltas: readonly MetricDelta[]): string {
  return deltas.map((d) => `<tr class="${d.ok ? 'ok' : 'bad'}"><td>${escapeHtml(d.metric)}</td><td>${fmt(d.golden)}</td><td>${fmt(d.current)}</td>`
    + `<td>${d.delta === null ? '—' : `${fmt(d.delta, 2)} ${d.unit}`}</td><td>±${d.limit} ${d.unit}</td><td>${d.ok ? (d.note ?? 'ok') : 'OUT'}</td></tr>`).join('\n');
}

/**
 * Writes the evidence of a failed comparison to reports/golden/<engine>/<name>/: golden.wav, new.wav,
 * difference.wav (new − golden) and index.html with a player for each, waveform and spectrogram
 * pictures of the three (the channel that differs most), and the metric table. Returns the page path.
 */
export async function writeEvidence(check: GoldenCheck, root = goldenReportDir()): Promise<string> {
  const dir = evidenceDir(check, root);
  mkdirSync(dir, { recursive: true });
  const { sampleRate } = check.settings;
  const golden = check.golden ?? check.rendered.map((c) => new Float32Array(c.length));
  const frames = Math.max(check.rendered[0]?.length ?? 0, golden[0]?.length ?? 0);
  const pad = (ch: Float32Array) => { const out = new Float32Array(frames); out.set(ch.subarray(0, frames)); return out; };
  const current = check.rendered.map(pad);
  const reference = golden.map(pad);
  const difference = current.map((c, i) => c.map((v, k) => v - (reference[i]?.[k] ?? 0)));
  writeWavAtomic(join(dir, 'golden.wav'), { sampleRate, channels: reference });
  writeWavAtomic(join(dir, 'new.wav'), { sampleRate, channels: current });
  writeWavAtomic(join(dir, 'difference.wav'), { sampleRate, channels: difference });

  const channel = worstChannel(current, reference);
  const signals: Array<[string, Float32Array[]]> = [['golden', reference], ['new', current], ['difference', difference]];
  const pictures: string[] = [];
  for (const [label, audio] of signals) {
    const wave = await waveformSvg({ series: [{ name: label, samples: audio[channel] }], sampleRate, title: `${label} — waveform, channel ${channel + 1}`, height: 160 });
    const spec = await spectrogramFigure(audio[channel], sampleRate, { title: `${label} — spectrogram, channel ${channel + 1}`, frameSize: 1024, frequencyScale: 'log', height: 220 });
    pictures.push(`<section><h2>${label}</h2><audio controls preload="none" src="${label}.wav"></audio> <a href="${label}.wav">${label}.wav</a>\n<div>${wave}</div>\n<div>${spec.svg}</div></section>`);
  }
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>golden ${escapeHtml(check.ref)}: ${check.status}</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
td:first-child{text-align:left}tr.bad{background:#fde2e2}section{margin-top:1.5em}code{background:#f4f4f4;padding:0 .3em}</style></head>
<body><h1>${escapeHtml(check.ref)} — ${check.status}</h1>
<p>${escapeHtml(check.message)}</p>
<p>Null-test residual: <b>${fmt(check.residualDb, 1)} dB</b> re the golden (limit ${GOLDEN_TOLERANCES.residualDb} dB).
Render: ${sampleRate} Hz, ${check.rendered.length} channels, ${frames} frames, block ${check.settings.blockFrames}.
Preset file <code>${escapeHtml(check.preset.file)}</code>; golden engine version ${escapeHtml(check.sidecar?.engineVersion ?? '—')}.</p>
<p>Accept the new render with <code>npm run golden -- approve ${escapeHtml(check.ref)}</code>.</p>
<table><thead><tr><th>metric</th><th>golden</th><th>new</th><th>change</th><th>limit</th><th></th></tr></thead><tbody>
${metricRows(check.deltas ?? [])}
</tbody></table>
${pictures.join('\n')}
</body></html>
`;
  const page = join(dir, 'index.html');
  writeTextAtomic(page, html);
  return page;
}

/**
 * reports/golden/index.html: every preset that failed (differs, is stale, missing or corrupt) and every
 * preset whose samples changed within tolerance — each with its residual and a link to its evidence — then
 * the identical ones.
 */
export function writeReviewIndex(checks: readonly GoldenCheck[], pages: ReadonlyMap<string, string>, root = goldenReportDir()): string {
  mkdirSync(root, { recursive: true });
  const row = (c: GoldenCheck, cls: string) => {
    const page = pages.get(c.ref);
    const link = page ? `<a href="${escapeHtml(relative(root, page))}">evidence</a>` : '';
    return `<tr class="${cls}"><td>${escapeHtml(c.ref)}</td><td>${c.status}</td><td>${fmt(c.residualDb, 1)}</td><td style="text-align:left">${escapeHtml(describeOutcome(c))}</td><td>${link}</td></tr>`;
  };
  const table = (rows: string[]) => `<table><thead><tr><th>preset</th><th>status</th><th>residual dB</th><th>outcome</th><th></th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
  const failed = checks.filter((c) => goldenOutcome(c) === 'failed');
  const changed = checks.filter((c) => goldenOutcome(c) === 'changed');
  const identical = checks.filter((c) => goldenOutcome(c) === 'identical').map((c) => `<li>${escapeHtml(c.ref)} — identical</li>`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>golden review</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em}tr.bad{background:#fde2e2}tr.changed{background:#fff4d6}</style></head>
<body><h1>Golden review: ${failed.length} of ${checks.length} presets need attention, ${changed.length} changed within tolerance</h1>
<h2>Failed</h2>
${failed.length ? table(failed.map((c) => row(c, 'bad'))) : '<p>None.</p>'}
<h2>Changed within tolerance</h2>
<p>The engines are deterministic: other samples mean the code changed. These pass, but listen to the evidence and approve them, or find out why they moved.</p>
${changed.length ? table(changed.map((c) => row(c, 'changed'))) : '<p>None.</p>'}
${failed.length + changed.length ? '<p>Approve chosen ones with <code>npm run golden -- approve &lt;preset …&gt;</code> or all with <code>--all</code>.</p>' : ''}
<h2>Identical</h2><ul>${identical.join('')}</ul>
</body></html>
`;
  const page = join(root, 'index.html');
  writeTextAtomic(page, html);
  return page;
}
