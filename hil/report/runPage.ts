import { badge, esc, figure, page } from './html.ts';
import type { RunReport } from './runReport.ts';
import { failureCount, isUnfinished, shownStatus } from './runStatus.ts';
import { periodSweepSection } from './periodSweepSection.ts';
import { channelLabel, wiringLabel } from './channelLabel.ts';
import { gridChart, scenarioAnchor, scenarioSection } from './scenarioSection.ts';

/**
 * The self-contained HTML page of one run: the verdict and every scenario × budget at the top, then one
 * section per scenario, calibration, rig and software versions and the seed. No external resource:
 * CSS inline, pictures inline SVG.
 */

const UNFINISHED_TEXT: Record<string, string> = {
  interrupted: 'The run was interrupted before it finished',
  crashed: 'The run crashed before it finished',
  running: 'The run had not finished when this report was written (it is still running, or the harness died without a word)',
};

/** Whole numbers (counts, limits of 0) without decimals; ms to the µs; anything else to 2 decimals. */
function digitsFor(unit: string, ...values: Array<number | null>): number {
  if (values.every((v) => v === null || Number.isInteger(v))) return 0;
  return unit === 'ms' ? 3 : 2;
}

function summary(report: RunReport): string {
  const status = shownStatus(report);
  const unfinished = isUnfinished(status)
    ? `<p class="unfinished">${esc(UNFINISHED_TEXT[status])}${report.statusDetail ? `: ${esc(report.statusDetail)}` : ''}. What was measured up to then is shown below.</p>`
    : '';
  return `<div class="summary ${esc(status)}">${badge(status)} <strong>${report.scenarios.length}</strong> scenario(s), <strong>${failureCount(report)}</strong> failure(s) · rig <strong>${esc(report.rig.name)}</strong> · started ${esc(report.startedAt)}${report.finishedAt ? ` · finished ${esc(report.finishedAt)}` : ''} · seed ${figure('seed', report.seed, 0)}${unfinished}</div>`;
}

function budgetTable(report: RunReport): string {
  if (report.scenarios.length === 0) return '<p class="muted">No scenario ran.</p>';
  const rows = report.scenarios.flatMap((s, i) => {
    const name = `<a href="#${scenarioAnchor(i)}">${esc(s.name)}</a> ${badge(s.status)}`;
    if (s.budgets.length === 0) return [`<tr><td class="l">${name}</td><td class="l muted" colspan="5">no budget measured${s.error ? `: ${esc(s.error)}` : ''}</td></tr>`];
    return s.budgets.map((b, j) => {
      const p = `scenarios[${i}].budgets[${j}]`, d = digitsFor(b.unit, b.limit, b.measured);
      const first = j === 0 ? `<td class="l" rowspan="${s.budgets.length}">${name}</td>` : '';
      return `<tr class="${b.passed ? '' : 'fail'}">${first}<td class="l">${esc(b.name)} <span class="muted">(${esc(b.key)})</span></td><td>≤ ${figure(`${p}.limit`, b.limit, d, b.unit)}</td><td>${figure(`${p}.measured`, b.measured, d, b.unit)}</td><td class="l">${badge(b.passed ? 'passed' : 'failed')}</td><td class="l">${esc(b.detail ?? '')}</td></tr>`;
    });
  });
  return `<table class="budgets"><tr><th class="l">scenario</th><th class="l">budget</th><th>limit</th><th>measured</th><th class="l">result</th><th class="l">detail</th></tr>\n${rows.join('\n')}</table>`;
}

async function calibrationSection(report: RunReport): Promise<string> {
  const c = report.calibration;
  const rows = c.channels.map((ch, i) => {
    const p = `calibration.channels[${i}]`;
    return `<tr class="${ch.status === 'ok' ? '' : 'fail'}"><td>${channelLabel(ch.outputIndex)}</td><td>${channelLabel(ch.inputIndex)}</td><td class="l">${badge(ch.status)}</td><td>${figure(`${p}.totalRoundTripSamples`, ch.totalRoundTripSamples, 3)}</td><td>${figure(`${p}.harnessBufferSamples`, ch.harnessBufferSamples, 3)}</td><td>${figure(`${p}.deviceRoundTripSamples`, ch.deviceRoundTripSamples, 3)}</td><td>${figure(`${p}.confidence`, ch.confidence, 3)}</td><td>${ch.attempt ?? 1}</td><td class="l">${esc(ch.detail ?? '')}</td></tr>`;
  });
  let iodelay = '<p class="muted">No jack_iodelay comparison on this rig.</p>';
  if (c.jackIodelaySamples !== null) {
    const diff = c.deviceRoundTripMedianSamples === null ? null : c.deviceRoundTripMedianSamples - c.jackIodelaySamples;
    const agrees = diff !== null && Math.abs(diff) <= 1;
    iodelay = `<p>jack_iodelay: ${figure('calibration.jackIodelaySamples', c.jackIodelaySamples, 3, 'samples')} · device round trip (median of channels): ${figure('calibration.deviceRoundTripMedianSamples', c.deviceRoundTripMedianSamples, 3, 'samples')} · difference ${diff === null ? '—' : diff.toFixed(3)} samples ${badge(agrees ? 'passed' : 'failed')} <span class="muted">(must agree within 1 sample)</span></p>`;
  } else if (c.deviceRoundTripMedianSamples !== null) {
    iodelay = `<p>Device round trip (median of channels): ${figure('calibration.deviceRoundTripMedianSamples', c.deviceRoundTripMedianSamples, 3, 'samples')}. No jack_iodelay comparison on this rig.</p>`;
  }
  const retries = c.retryReasons?.length
    ? `<p>Calibration made ${figure('calibration.attempts', c.attempts ?? null, 0)} capture(s); disturbed channels: ${c.retryReasons.map((r, i) => `capture ${i + 1}: ${esc(r)}`).join(' · ')}. Each channel keeps the first capture that measured it undisturbed (the table's "capture" column)${c.channels.some((ch) => ch.detail?.includes('disturbed in every capture')) ? '; channels disturbed in every capture keep their best one and say so' : ''}.</p>`
    : '';
  const bad = c.channels.filter((ch) => ch.status !== 'ok');
  const badNote = bad.length ? `<p class="unfinished">${bad.length} channel(s) not ok: ${bad.map((ch) => `${wiringLabel(ch.outputIndex, ch.inputIndex)} ${esc(ch.status)}`).join('; ')}.</p>` : '';
  const table = c.channels.length
    ? `<table><tr><th>output (from 1)</th><th>input (from 1)</th><th class="l">status</th><th>total round trip (samples)</th><th>harness buffering (samples)</th><th>device round trip (samples)</th><th>confidence</th><th>capture</th><th class="l">detail</th></tr>\n${rows.join('\n')}</table>`
    : '<p class="muted">No calibration recorded.</p>';
  const byOutput = Array.from({ length: Math.max(0, ...c.channels.map((ch) => ch.outputIndex + 1)) }, (_, i) => c.channels.find((ch) => ch.outputIndex === i)?.deviceRoundTripSamples ?? null);
  const grid = await gridChart(byOutput, 'samples', 'Device round trip per output (samples)', '.2f', 'viridis', 0.1);
  return `<section id="calibration"><h2>Calibration</h2>${badNote}${retries}${iodelay}<div class="charts">${grid}</div>${table}</section>`;
}

function versionsSection(report: RunReport): string {
  const r = report.rig, s = report.software;
  return `<section id="versions"><h2>Rig, software and seed</h2><div class="cols"><dl class="kv">
<dt>rig</dt><dd>${esc(r.name)} (${esc(r.backend)})</dd>${r.device ? `<dt>device</dt><dd>${esc(r.device)}</dd>` : ''}${r.server ? `<dt>audio server</dt><dd>${esc(r.server)}</dd>` : ''}
<dt>sample rate</dt><dd>${figure('rig.sampleRate', r.sampleRate, 0, 'Hz')}</dd><dt>period</dt><dd>${figure('rig.periodFrames', r.periodFrames, 0, 'frames')}</dd>
<dt>channels</dt><dd>${figure('rig.outputChannels', r.outputChannels, 0)} out / ${figure('rig.inputChannels', r.inputChannels, 0)} in</dd></dl>
<dl class="kv"><dt>studio-rig</dt><dd>${esc(s.studioRigVersion)}</dd><dt>git commit</dt><dd>${esc(s.gitCommit ?? 'unknown')}</dd><dt>node</dt><dd>${esc(s.node)}</dd><dt>platform</dt><dd>${esc(s.platform)}</dd>
<dt>seed</dt><dd>${figure('seed', report.seed, 0)}</dd><dt>run id</dt><dd>${esc(report.runId)}</dd><dt>report format</dt><dd>${figure('formatVersion', report.formatVersion, 0)}</dd></dl></div></section>`;
}

export async function runReportHtml(report: RunReport): Promise<string> {
  const sections: string[] = [];
  for (let i = 0; i < report.scenarios.length; i++) sections.push(await scenarioSection(report.scenarios[i], i, report.rig.sampleRate > 0 ? report.rig.sampleRate : 48_000));
  const toc = report.scenarios.map((s, i) => `<a href="#${scenarioAnchor(i)}">${esc(s.name)}</a>`).join('') + (report.periodSweep ? '<a href="#period-sweep">period sizes</a>' : '') + '<a href="#calibration">calibration</a><a href="#versions">versions</a>';
  const body = `<p class="muted"><a href="../../index.html">← all runs</a> · <a href="report.json">report.json</a> · <a href="junit.xml">junit.xml</a></p>
<h1>HIL run ${esc(report.runId)}</h1>
${summary(report)}
<nav class="toc">${toc}</nav>
<h2>Budgets</h2>
${budgetTable(report)}
${sections.join('\n')}
${periodSweepSection(report)}
${await calibrationSection(report)}
${versionsSection(report)}`;
  return page(`HIL ${shownStatus(report).toUpperCase()} — ${report.runId}`, body);
}
