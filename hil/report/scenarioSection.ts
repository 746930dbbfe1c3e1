import { gridHeatmapSvg } from '../../src/plot/gridHeatmap.ts';
import { histogramSvg } from '../../src/plot/histogram.ts';
import { timelineSvg } from '../../src/plot/timeline.ts';
import { BREAKDOWN_STAGES, breakdownBarSvg } from './breakdownChart.ts';
import { gridDomain } from './gridDomain.ts';
import { channelLabel, findingChannel } from './channelLabel.ts';
import { badge, chart, esc, figure } from './html.ts';
import { type ScenarioResult, isBackendFlag } from './runReport.ts';
import { gridRowLabels, transducerGrid } from './transducerGrid.ts';
import { CLOCK_STALL_LIMIT_MS } from '../runner/clockStall.ts';

/**
 * One scenario of the run page: latency histogram and percentiles, the transducer grids (latency, level,
 * content residual), the budget breakdown, the event timeline, every dropout with its picture, backend
 * flags, server counters, expectations and harness CPU. Every number is a `figure()` at its JSON path.
 */

/** A chart, or a note saying why there is none; a chart that fails to render never stops the report. */
export async function safeChart(hasData: boolean, emptyNote: string, render: () => Promise<string>, caption: string): Promise<string> {
  if (!hasData) return `<p class="muted">${esc(emptyNote)}</p>`;
  try {
    return chart(await render(), caption);
  } catch (error) {
    return `<p class="muted">Chart unavailable: ${esc((error as Error).message)}</p>`;
  }
}

export const scenarioAnchor = (index: number) => `scenario-${index}`;


export async function gridChart(values: ReadonlyArray<number | null>, valueTitle: string, caption: string, format: string, scheme: 'viridis' | 'magma', minSpan: number, floor?: number, top?: number): Promise<string> {
  const grid = transducerGrid(values);
  return safeChart(values.some((v) => v !== null && Number.isFinite(v)), `${caption}: no value (null in report.json).`, () =>
    gridHeatmapSvg({ values: grid, valueTitle, format, scheme, domain: gridDomain(values, minSpan, floor, top), cellSize: 38, rowLabels: gridRowLabels(grid.length), columnLabels: ['1', '2', '3', '4', '5', '6', '7', '8'], rowTitle: 'Transducers', columnTitle: 'Column' }), caption);
}

function latencyTable(s: ScenarioResult, at: string): string {
  const l = s.latency, p = `${at}.latency`;
  const failed = new Set(s.budgets.filter((b) => !b.passed).map((b) => b.key));
  const cell = (key: keyof typeof l, digits = 3) => `<td${failed.has(key) ? ' class="over"' : ''}>${figure(`${p}.${key}`, l[key] as number | null, digits)}</td>`;
  return `<table><tr><th class="l">events</th><th class="l">onsets</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>jitter σ ms</th><th>skew ms</th><th>left out: clock stall</th></tr>
<tr>${cell('eventCount', 0)}${cell('onsetCount', 0)}${cell('p50Ms')}${cell('p95Ms')}${cell('p99Ms')}${cell('maxMs')}${cell('jitterMs')}${cell('skewMs')}${cell('clockStallEventCount', 0)}</tr></table>${l.clockStallEventCount ? `<p class="muted">${l.clockStallEventCount} event(s) left out of the figures: the stream's own clock stood still between their send and their effect (more than ${CLOCK_STALL_LIMIT_MS} ms; a JACK dummy driver waiting for a late cycle, counted as a driver xrun). Their latencies are in the timeline.</p>` : ''}`;
}

async function breakdownBlock(s: ScenarioResult, at: string): Promise<string> {
  const b = s.breakdown, p = `${at}.breakdown`;
  const rows = BREAKDOWN_STAGES.map((st) => `<tr><td class="l">${esc(st.label)}</td><td>${figure(`${p}.${st.key}`, b[st.key], 3, 'ms')}</td></tr>`).join('');
  const table = `<table><tr><th class="l">stage (median)</th><th>latency</th></tr>${rows}
<tr><th class="l">total</th><th>${figure(`${p}.totalMs`, b.totalMs, 3, 'ms')}</th></tr>
<tr><td class="l">budget (p99)</td><td>${b.budgetMs === null ? '<span class="muted">none: this scenario has no latency budget</span>' : figure(`${p}.budgetMs`, b.budgetMs, 3, 'ms')}</td></tr></table>`;
  const measured = BREAKDOWN_STAGES.some((st) => b[st.key] !== null);
  return `<div class="cols">${table}${await safeChart(measured, 'No stage measured.', () => breakdownBarSvg(b), b.budgetMs === null ? 'Stages of the event-to-transducer path (no latency budget)' : `Stages of the event-to-transducer path against this scenario's p99 budget, ${b.budgetMs} ms`)}</div>`;
}

/** Beyond these, the timeline chart shows every n-th event and the table the first rows (report.json keeps all). */
const MAX_TIMELINE_EVENTS = 2000;
const MAX_TABLE_ROWS = 1000;

async function timelineBlock(s: ScenarioResult, at: string, sampleRate: number): Promise<string> {
  const stride = Math.ceil(s.timeline.length / MAX_TIMELINE_EVENTS);
  const events = s.timeline.filter((_, i) => i % stride === 0).map((e) => ({ timeSeconds: e.scheduledMs / 1000, lane: `${e.transport} events`, kind: e.type }));
  const spans = s.dropouts.map((d) => ({ startSeconds: d.atSeconds, endSeconds: d.atSeconds + Math.max(d.lengthFrames / sampleRate, 0.02), lane: `dropouts (${d.detector})`, kind: 'dropout' }));
  const picture = await safeChart(events.length + spans.length > 0, 'No events recorded.', () => timelineSvg({ events, spans, width: 900, timeUnit: 's' }), `Events by transport at their scheduled time${stride > 1 ? ` (every ${stride}th of ${s.timeline.length})` : ''}; dropouts as spans`);
  if (s.timeline.length === 0) return picture;
  const rows = s.timeline.slice(0, MAX_TABLE_ROWS).map((e, i) => {
    const p = `${at}.timeline[${i}]`;
    return `<tr><td>${figure(`${p}.index`, e.index, 0)}</td><td class="l">${esc(e.type)}</td><td class="l">${esc(e.transport)}</td><td>${figure(`${p}.scheduledMs`, e.scheduledMs, 3)}</td><td>${figure(`${p}.sentMs`, e.sentMs, 3)}</td><td>${figure(`${p}.receivedMs`, e.receivedMs, 3)}</td><td>${figure(`${p}.effectiveFrame`, e.effectiveFrame, 0)}</td><td>${figure(`${p}.latencyMs`, e.latencyMs, 3)}</td></tr>`;
  }).join('\n');
  return `${picture}<details><summary>${s.timeline.length > MAX_TABLE_ROWS ? `The first ${MAX_TABLE_ROWS} of ${s.timeline.length} events (all are in report.json)` : `All ${s.timeline.length} events`}</summary><table><tr><th>#</th><th class="l">type</th><th class="l">transport</th><th>scheduled ms</th><th>sent ms</th><th>received ms</th><th>effective frame</th><th>latency ms</th></tr>
${rows}</table></details>`;
}

function dropoutsBlock(s: ScenarioResult, at: string): string {
  if (s.dropouts.length === 0) return `<p>No dropout found (${figure(`${at}.dropouts.length`, 0, 0)}).</p>`;
  const items = s.dropouts.map((d, i) => {
    const p = `${at}.dropouts[${i}]`;
    const facts = `<table><tr><th class="l">channel (from 1)</th><th>at</th><th>start frame</th><th>length</th><th class="l">kind</th><th class="l">detector</th></tr>
<tr><td class="l">${channelLabel(d.channelIndex, 'all (backend flag)')}</td><td>${figure(`${p}.atSeconds`, d.atSeconds, 4, 's')}</td><td>${figure(`${p}.startFrame`, d.startFrame, 0)}</td><td>${figure(`${p}.lengthFrames`, d.lengthFrames, 0, 'frames')}</td><td class="l">${esc(d.kind)}</td><td class="l">${esc(d.detector)}</td></tr></table>`;
    const picture = d.pictureSvg ? chart(d.pictureSvg, `Dropout ${i + 1} (${findingChannel(d.channelIndex)}): waveform around it, the dropout shaded`) : '<p class="muted">No waveform picture recorded.</p>';
    return `<div class="dropout"><h4>Dropout ${i + 1}: ${findingChannel(d.channelIndex)}</h4>${facts}${picture}</div>`;
  });
  const flagged = s.dropouts.filter(isBackendFlag).length;
  const witness = flagged ? ` ${flagged} of them are periods the backend flagged (detector "backend-flag": PortAudio's under/overflow; on JACK any xrun of the server) — the second witness, listed here; the dropout budget counts what the content shows.` : '';
  const a = s.dropoutAttribution;
  const split = a && a.xrunRecord !== 'none'
    ? ` Whose: the server's ${figure(`${at}.dropoutAttribution.serverEventCount`, a.serverEventCount, 0)} event(s) (counted by the budget) and ${figure(`${at}.dropoutAttribution.outputRingUnderrunCount`, a.outputRingUnderrunCount, 0)} underrun(s) of its output ring; the environment's ${figure(`${at}.dropoutAttribution.environmentEventCount`, a.environmentEventCount, 0)} event(s), each within ${figure(`${at}.dropoutAttribution.matchWindowMs`, a.matchWindowMs, 1, 'ms')} of one of the audio server's ${figure(`${at}.dropoutAttribution.driverXrunCount`, a.driverXrunCount, 0)} driver xrun(s) (the machine ran its driver late: listed, not counted).`
    : '';
  return `<p>${figure(`${at}.dropouts.length`, s.dropouts.length, 0)} dropouts found.${witness}${split}${machineStallSentence(a, at)}${underrunCauseSentence(a, at)}</p><div class="charts">${items.join('\n')}</div>`;
}

/** The time the residual left out as the environment's, and the figure with it. */
function excludedNote(s: ScenarioResult, at: string): string {
  const c = s.content;
  if (!c.excludedSeconds) return '';
  return `, outside ${figure(`${at}.content.excludedSeconds`, c.excludedSeconds, 3, 's')} attributed to the environment (at a driver xrun or a machine stall, with no underrun of the server's there: see the dropouts); over every frame ${figure(`${at}.content.worstResidualWithExcludedDb`, c.worstResidualWithExcludedDb ?? null, 2, 'dB')}`;
}

/** How far the dropout detector followed the capture's latency without an event (a drift between two clocks). */
function latencyFollowedNote(s: ScenarioResult, at: string): string {
  const worst = s.content.worstLatencyFollowedSamples;
  if (worst === undefined || worst === null) return '';
  const channel = s.content.latencyFollowedSamples?.indexOf(worst) ?? -1;
  const moved = Math.abs(worst) >= 0.5;
  return `<p>Latency followed by the dropout detector without an event: ${figure(`${at}.content.worstLatencyFollowedSamples`, worst, 2, 'samples')}${channel >= 0 && worst !== 0 ? ` (channel ${channel + 1})` : ''}${moved ? ' — the capture\'s latency moved during the run by less than a sample at a time, as a clock drifting between playback and capture (or a path that resamples) moves it; the content residual is measured at the calibrated latency' : ''}.</p>`;
}

/** What the machine-stall sentinel saw, and whose the underruns were by it (jack-native runs). */
function machineStallSentence(a: ScenarioResult['dropoutAttribution'], at: string): string {
  if (!a?.machineStalls || a.machineStalls === 'none') return '';
  const p = `${at}.dropoutAttribution`;
  if (a.machineStalls === 'not-realtime') return ' The machine-stall sentinel could not run at real-time priority: its record excuses nothing.';
  return ` The machine-stall sentinel (a real-time thread above every audio thread) saw the machine stop ${figure(`${p}.machineStallCount`, a.machineStallCount ?? 0, 0)} time(s) for at least the render-ahead cushion of ${figure(`${p}.cushionMs`, a.cushionMs ?? 0, 2, 'ms')} (longest lateness ${figure(`${p}.machineStallMaxMs`, a.machineStallMaxMs ?? 0, 2, 'ms')}): ${figure(`${p}.machineUnderrunCount`, a.machineUnderrunCount ?? 0, 0)} underrun(s) fell in those stalls or at a cycle the audio server ran early (the machine's: no program could have filled them${a.earlyCycleUnderrunCount ? `; ${figure(`${p}.earlyCycleUnderrunCount`, a.earlyCycleUnderrunCount, 0)} of them early cycles — their blocks finished before their deadline by their input cycle's clock` : ''}${a.heldUnderrunCount ? `; ${figure(`${p}.heldUnderrunCount`, a.heldUnderrunCount, 0)} of them blocks the machine held back — the render thread's own work fitted the cushion, the rest was a late wake-up or time ready but off a CPU` : ''}); ${figure(`${p}.serverUnderrunCount`, a.serverUnderrunCount ?? 0, 0)} did not (the server's).`;
}

/** Why the server's underruns happened, by the host's late-block record (jack-native runs). */
function underrunCauseSentence(a: ScenarioResult['dropoutAttribution'], at: string): string {
  if (!a?.serverUnderruns || a.serverUnderruns.length === 0) return '';
  const p = `${at}.dropoutAttribution`;
  return ` By the host's record of the block due at each of the server's underruns: ${figure(`${p}.serverUnderrunSlowBlockCount`, a.serverUnderrunSlowBlockCount ?? 0, 0)} took longer than a period to render, ${figure(`${p}.serverUnderrunLateStartCount`, a.serverUnderrunLateStartCount ?? 0, 0)} took less but started too late (the rendering thread was not running), ${figure(`${p}.serverUnderrunNoRecordCount`, a.serverUnderrunNoRecordCount ?? 0, 0)} have no record${a.lateBlockRecordsLost ? ` (${figure(`${p}.lateBlockRecordsLost`, a.lateBlockRecordsLost, 0)} records were overwritten before the run ended)` : ''}.`;
}

function countersBlock(s: ScenarioResult, at: string): string {
  const f = s.backendFlags, v = s.server;
  const messages = f.messages.length ? `<ul>${f.messages.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : '';
  return `<div class="cols"><table><tr><th class="l" colspan="2">backend flags</th></tr>
<tr><td class="l">underflows</td><td>${figure(`${at}.backendFlags.underflowCount`, f.underflowCount, 0)}</td></tr>
<tr><td class="l">overflows</td><td>${figure(`${at}.backendFlags.overflowCount`, f.overflowCount, 0)}</td></tr>
<tr><td class="l">audio server xruns (client)</td><td>${figure(`${at}.backendFlags.serverXrunCount`, f.serverXrunCount, 0)}</td></tr>
<tr><td class="l">audio server xruns (driver)</td><td>${figure(`${at}.backendFlags.serverDriverXrunCount`, f.serverDriverXrunCount, 0)}</td></tr></table>
<table><tr><th class="l" colspan="2">server counters</th></tr>
<tr><td class="l">malformed packets</td><td>${figure(`${at}.server.malformedPacketCount`, v.malformedPacketCount, 0)}</td></tr>
<tr><td class="l">late events</td><td>${figure(`${at}.server.lateEventCount`, v.lateEventCount, 0)}</td></tr>
<tr><td class="l">underruns</td><td>${figure(`${at}.server.underrunCount`, v.underrunCount, 0)}</td></tr></table>
<table><tr><th class="l" colspan="2">harness</th></tr>
<tr><td class="l">CPU (share of one core)</td><td>${figure(`${at}.harnessCpuPercentOfOneCore`, s.harnessCpuPercentOfOneCore, 1, '%')}</td></tr>
<tr><td class="l">wall time, playing</td><td>${figure(`${at}.durationSeconds`, s.durationSeconds, 2, 's')}</td></tr>
<tr><td class="l">wall time, analysis</td><td>${s.analysisSeconds === undefined ? '<span class="muted">not recorded</span>' : figure(`${at}.analysisSeconds`, s.analysisSeconds, 2, 's')}</td></tr></table></div>${messages}`;
}

/** An effect scenario's own figures: the input → output latency and the step after every parameter change. */
function effectBlock(s: ScenarioResult, at: string): string {
  const e = s.effect;
  if (!e) return '';
  const p = `${at}.effect`;
  const latency = `<table><tr><th class="l">input → output latency</th><th>ms</th></tr>
<tr><td class="l">worst channel</td><td>${figure(`${p}.worstLatencyMs`, e.worstLatencyMs, 3)}</td></tr>
<tr><td class="l">the engine's own (offline)</td><td>${figure(`${p}.engineLatencyMs`, e.engineLatencyMs, 3)}</td></tr>
<tr><td class="l">the rig's path (calibrated)</td><td>${figure(`${p}.pathMs`, e.pathMs, 3)}</td></tr></table>${e.latencyDetail ? `<p class="muted">${esc(e.latencyDetail)}</p>` : ''}`;
  const rows = e.changes.slice(0, MAX_TABLE_ROWS).map((c, i) => `<tr><td>${figure(`${p}.changes[${i}].index`, c.index, 0)}</td><td class="l">${esc(c.paramName)}</td><td>${figure(`${p}.changes[${i}].value`, c.value, 4)}</td><td>${figure(`${p}.changes[${i}].appliedFrame`, c.appliedFrame, 0)}</td><td>${figure(`${p}.changes[${i}].stepDb`, c.stepDb, 2)}</td></tr>`).join('');
  const changes = e.changes.length
    ? `<table><tr><th>command</th><th class="l">parameter</th><th>value</th><th>applied frame</th><th>largest step vs render, dB</th></tr>${rows}</table>`
    : '<p class="muted">No parameter change was applied.</p>';
  return `<h3>Effect: latency and parameter changes</h3><div class="cols">${latency}</div>
<p>Click-free bound: after each change, over ${figure(`${p}.smoothingMs`, e.smoothingMs, 1, 'ms')} of the engine's smoothing and a period, the capture's largest sample step against the offline render's; worst ${figure(`${p}.worstClickStepDb`, e.worstClickStepDb, 2, 'dB')}.</p>${changes}`;
}

function expectationsBlock(s: ScenarioResult): string {
  if (s.expectations.length === 0) return '<p class="muted">No expectation checked.</p>';
  const rows = s.expectations.map((e) => `<tr class="${e.passed ? '' : 'fail'}"><td class="l">${esc(e.name)}</td><td class="l">${badge(e.passed ? 'passed' : 'failed')}</td><td class="l">${esc(e.detail)}</td></tr>`).join('');
  return `<table><tr><th class="l">expectation</th><th class="l">result</th><th class="l">detail</th></tr>${rows}</table>`;
}

/**
 * The runner rewrites the report after every scenario; a finished scenario's section is the same each
 * time, so the last sections rendered are kept, keyed by their full content (the output still depends
 * on the input alone).
 */
const sectionCache = new Map<string, string>();
const SECTION_CACHE_SIZE = 8;

export async function scenarioSection(s: ScenarioResult, index: number, sampleRate: number): Promise<string> {
  const key = `${index}\u0000${sampleRate}\u0000${JSON.stringify(s)}`;
  const cached = sectionCache.get(key);
  if (cached !== undefined) return cached;
  const html = await renderScenarioSection(s, index, sampleRate);
  sectionCache.set(key, html);
  if (sectionCache.size > SECTION_CACHE_SIZE) sectionCache.delete(sectionCache.keys().next().value!);
  return html;
}

async function renderScenarioSection(s: ScenarioResult, index: number, sampleRate: number): Promise<string> {
  const at = `scenarios[${index}]`;
  const samples = s.latency.samplesMs.filter(Number.isFinite);
  const histogram = await safeChart(samples.length > 0, 'No onset measured.', () => histogramSvg({ values: samples, xTitle: 'Event-to-transducer latency (ms)', percentiles: [50, 95, 99], quantum: 1000 / sampleRate, width: 560, height: 200 }), `Latency of every onset, to the sample (${(1000 / sampleRate).toPrecision(3)} ms)`);
  const grids = await Promise.all([
    gridChart(s.latency.perTransducerP50Ms, 'p50 (ms)', 'Latency per transducer (p50, ms)', '.2f', 'viridis', 0.1),
    gridChart(s.perTransducerRmsDbfs, 'RMS (dB FS)', 'Level per transducer (RMS, dB FS)', '.1f', 'magma', 1, -120),
    gridChart(s.content.perChannelResidualDb, 'residual (dB)', 'Content residual per channel vs the offline render (dB; −160 and below drawn alike)', '.0f', 'magma', 1, -160, -40),
  ]);
  return `<section class="scenario" id="${scenarioAnchor(index)}">
<h2>${esc(s.name)} ${badge(s.status)}</h2>
<p>${esc(s.description)}</p>
${s.error ? `<div class="error">${esc(s.error)}</div>` : ''}
${s.status === 'interrupted' ? '<p class="unfinished">This scenario did not run to its end: the figures below are what was measured before it stopped.</p>' : ''}
${s.effect ? effectBlock(s, at) : `<h3>Latency</h3>${latencyTable(s, at)}<div class="charts">${histogram}</div>`}
<h3>Transducer grid</h3><div class="charts">${grids[0]}${grids[1]}</div>
<h3>Latency budget breakdown</h3>${await breakdownBlock(s, at)}
<h3>Event timeline</h3>${await timelineBlock(s, at, sampleRate)}
<h3>Dropouts</h3>${dropoutsBlock(s, at)}${s.audio ? `<p class="audio">Listen: <a href="${esc(s.audio.captureFile)}">capture</a> and <a href="${esc(s.audio.expectedFile)}">the render it is checked against</a> (float WAVs lined up sample for sample, ${figure(`${at}.audio.cueCount`, s.audio.cueCount, 0)} cue markers, one per finding).</p>` : ''}
<h3>Content check</h3><p>Worst residual: ${figure(`${at}.content.worstResidualDb`, s.content.worstResidualDb, 2, 'dB')}${excludedNote(s, at)}</p>${latencyFollowedNote(s, at)}<div class="charts">${grids[2]}</div>
<h3>Expectations</h3>${expectationsBlock(s)}
<h3>Flags, counters and harness load</h3>${countersBlock(s, at)}
</section>`;
}
