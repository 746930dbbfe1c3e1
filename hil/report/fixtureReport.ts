import { mulberry32 } from '../../src/analysis/signal/seededNoise.ts';
import { percentile } from '../../src/analysis/statistics/percentile.ts';
import { dropoutPictureSvg } from './dropoutPicture.ts';
import { RUN_REPORT_FORMAT_VERSION, type BudgetCheck, type CalibrationChannel, type DropoutFinding, type RunReport, type RunStatus, type ScenarioResult } from './runReport.ts';

/**
 * A realistic RunReport for tests and the Playwright check: 32 transducers, three scenarios (one passing,
 * one failing its p99 and dropout budgets with two dropouts and their waveform pictures, one with
 * isolated notes), calibration with one inverted channel. All numbers come from a seeded generator.
 */
export interface FixtureOptions {
  runId?: string;
  startedAt?: string;
  status?: RunStatus;
  seed?: number;
  /** Scale of the latency distribution (1 = nominal); lets a series of fixtures show a trend. */
  latencyScale?: number;
  /** Keep only the first n scenarios (a run interrupted after them). */
  scenarioCount?: number;
}

const SAMPLE_RATE = 48_000;
const CHANNELS = 32;

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

function budget(name: string, key: string, limit: number, measured: number | null, unit: string): BudgetCheck {
  return { name, key, limit, measured, unit, passed: measured !== null && measured <= limit };
}

async function dropoutPicture(rand: () => number, d: Omit<DropoutFinding, 'pictureSvg'>): Promise<string> {
  const captureStartFrame = d.startFrame - 960;
  const capture = new Float32Array(1920 + d.lengthFrames);
  const expected = new Float32Array(capture.length);
  for (let i = 0; i < capture.length; i++) {
    const frame = captureStartFrame + i;
    expected[i] = 0.5 * Math.sin((2 * Math.PI * 180 * frame) / SAMPLE_RATE);
    const inGap = frame >= d.startFrame && frame < d.startFrame + d.lengthFrames;
    capture[i] = inGap ? (d.kind === 'repeated block' ? 0.5 * Math.sin((2 * Math.PI * 180 * (frame - d.lengthFrames)) / SAMPLE_RATE) : 0) : expected[i] + 0.01 * gaussian(rand);
  }
  return dropoutPictureSvg(d, { capture, captureStartFrame, expected, sampleRate: SAMPLE_RATE });
}

async function scenario(rand: () => number, name: string, description: string, opts: { latencyMs: number; spreadMs: number; events: number; tail: number; dropouts: number; scale: number; p99BudgetMs?: number }): Promise<ScenarioResult> {
  const p99BudgetMs = opts.p99BudgetMs ?? 5;
  const onsets: number[] = [];
  const perChannel: number[][] = Array.from({ length: CHANNELS }, () => []);
  const timeline: ScenarioResult['timeline'] = [];
  for (let e = 0; e < opts.events; e++) {
    const scheduledMs = e * 125;
    const transport = e % 3 === 0 ? 'osc' : 'socket';
    const sentMs = scheduledMs + 0.05 + 0.02 * rand();
    const receivedMs = sentMs + 0.2 + 0.1 * rand();
    const lat = (opts.latencyMs + opts.spreadMs * gaussian(rand) + (rand() < opts.tail ? 2.5 * rand() : 0)) * opts.scale;
    const channel = e % CHANNELS;
    onsets.push(round(lat, 4));
    perChannel[channel].push(lat);
    timeline.push({ index: e, type: e % 2 === 0 ? 'noteOn' : 'mpe', transport, scheduledMs, sentMs: round(sentMs), receivedMs: round(receivedMs), effectiveFrame: Math.round(((receivedMs + 2.67) / 1000) * SAMPLE_RATE), latencyMs: round(lat) });
  }
  const sorted = [...onsets].sort((a, b) => a - b);
  const mean = onsets.reduce((s, v) => s + v, 0) / onsets.length;
  const jitter = Math.sqrt(onsets.reduce((s, v) => s + (v - mean) ** 2, 0) / onsets.length);
  const p = (q: number) => round(percentile(sorted, q));
  const latency = {
    eventCount: opts.events, onsetCount: onsets.length, clockStallEventCount: 0, p50Ms: p(50), p95Ms: p(95), p99Ms: p(99), maxMs: round(sorted[sorted.length - 1]),
    jitterMs: round(jitter), skewMs: round(0.03 + 0.05 * rand()), samplesMs: onsets,
    perTransducerP50Ms: perChannel.map((v) => (v.length ? round(percentile([...v].sort((a, b) => a - b), 50)) : null)),
  };
  const dropouts: DropoutFinding[] = [];
  for (let k = 0; k < opts.dropouts; k++) {
    const d = { channelIndex: 5 + 14 * k, startFrame: 96_000 + 61_440 * k, lengthFrames: k === 0 ? 128 : 64, atSeconds: 0, kind: k === 0 ? 'zeroed block' : 'repeated block', detector: (k === 0 ? 'residual' : 'pilot') as DropoutFinding['detector'] };
    d.atSeconds = round(d.startFrame / SAMPLE_RATE, 6);
    dropouts.push({ ...d, pictureSvg: await dropoutPicture(rand, d) });
  }
  const budgets = [
    budget('latency p50', 'p50Ms', 4, latency.p50Ms, 'ms'),
    budget('latency p99', 'p99Ms', p99BudgetMs, latency.p99Ms, 'ms'),
    budget('latency max', 'maxMs', 8, latency.maxMs, 'ms'),
    budget('jitter', 'jitterMs', 0.5, latency.jitterMs, 'ms'),
    budget('inter-channel skew', 'skewMs', 0.1, latency.skewMs, 'ms'),
    budget('dropouts', 'dropoutCount', 0, dropouts.length, 'count'),
    budget('clipped samples', 'clippedSampleCount', 0, 0, 'count'),
  ];
  const expectations = [
    { name: 'every note-on reached its transducer', passed: true, detail: `${opts.events} of ${opts.events} onsets found` },
    { name: 'content matches the offline render', passed: opts.dropouts === 0, detail: opts.dropouts === 0 ? 'worst residual −71.3 dB' : `residual above −40 dB around ${dropouts.length} dropouts` },
  ];
  const passed = budgets.every((b) => b.passed) && expectations.every((e) => e.passed);
  return {
    name, description, status: passed ? 'passed' : 'failed', durationSeconds: round((opts.events * 0.125) + 0.5, 2), analysisSeconds: round(0.4 + opts.events * 0.004, 2), budgets, latency,
    breakdown: { transportMs: round(0.24 * opts.scale), schedulingMs: round(0.41 * opts.scale), bufferingMs: 1.333, pathMs: round(latency.p50Ms! - 0.24 * opts.scale - 0.41 * opts.scale - 1.333), totalMs: latency.p50Ms, budgetMs: p99BudgetMs },
    perTransducerRmsDbfs: Array.from({ length: CHANNELS }, () => round(-18 - 6 * rand(), 2)),
    dropouts,
    backendFlags: { underflowCount: opts.dropouts > 0 ? 1 : 0, overflowCount: 0, messages: opts.dropouts > 0 ? ['output underflow at 2.003 s'] : [], serverXrunCount: opts.dropouts > 0 ? 1 : 0, serverDriverXrunCount: 0 },
    content: (() => { const r = Array.from({ length: CHANNELS }, (_, c) => round(dropouts.some((d) => d.channelIndex === c) ? -31 - 4 * rand() : -68 - 8 * rand(), 2)); return { perChannelResidualDb: r, worstResidualDb: Math.max(...r) }; })(),
    expectations,
    server: { malformedPacketCount: 0, lateEventCount: opts.dropouts > 0 ? 2 : 0, underrunCount: opts.dropouts > 0 ? 1 : 0 },
    timeline,
    harnessCpuPercentOfOneCore: round(14 + 8 * rand(), 1),
  };
}

function calibration(rand: () => number): RunReport['calibration'] {
  const channels: CalibrationChannel[] = Array.from({ length: CHANNELS }, (_, c) => {
    const device = round(384 + 0.05 * gaussian(rand), 3);
    const ch: CalibrationChannel = { outputIndex: c, inputIndex: c, status: 'ok', totalRoundTripSamples: round(device + 128, 3), harnessBufferSamples: 128, deviceRoundTripSamples: device, confidence: round(0.97 + 0.03 * rand(), 3) };
    return c === 6 ? { ...ch, status: 'inverted', detail: 'polarity inverted: correlation peak −0.98' } : ch;
  });
  return { channels, jackIodelaySamples: 384, deviceRoundTripMedianSamples: 384.01 };
}

export async function fixtureRunReport(options: FixtureOptions = {}): Promise<RunReport> {
  const seed = options.seed ?? 20261121;
  const rand = mulberry32(seed);
  const scale = options.latencyScale ?? 1;
  const scenarios = [
    await scenario(rand, 'latency-probe', 'Isolated notes on every transducer', { latencyMs: 3.1, spreadMs: 0.08, events: 96, tail: 0.02, dropouts: 0, scale }),
    await scenario(rand, 'mpe-glide', 'An MPE glide moving a travelling wave across the grid', { latencyMs: 3.4, spreadMs: 0.25, events: 160, tail: 0.12, dropouts: 2, scale }),
    await scenario(rand, 'osc-automation', 'OSC parameter automation', { latencyMs: 3.2, spreadMs: 0.1, events: 64, tail: 0.0, dropouts: 0, scale, p99BudgetMs: 8 }),
  ].slice(0, options.scenarioCount ?? 3);
  const status = options.status ?? (scenarios.every((s) => s.status === 'passed') ? 'passed' : 'failed');
  const startedAt = options.startedAt ?? '2026-11-21T02:00:00.000Z';
  const unfinished = status === 'interrupted' || status === 'crashed' || status === 'running';
  return {
    formatVersion: RUN_REPORT_FORMAT_VERSION,
    runId: options.runId ?? `${startedAt.replace(/[:.]/g, '-')}-virtual`,
    startedAt,
    finishedAt: unfinished ? null : new Date(Date.parse(startedAt) + 95_000).toISOString(),
    status,
    ...(status === 'interrupted' ? { statusDetail: 'SIGINT received during scenario osc-automation' } : status === 'crashed' ? { statusDetail: 'rig server exited with code 134 (SIGABRT)' } : {}),
    seed,
    rig: { name: 'virtual', backend: 'virtual', sampleRate: SAMPLE_RATE, periodFrames: 128, inputChannels: CHANNELS, outputChannels: CHANNELS, device: 'in-process loopback' },
    software: { studioRigVersion: '0.1.0', node: 'v20.19.0', gitCommit: '96ea0e1', platform: 'linux x64' },
    calibration: calibration(rand),
    scenarios,
  };
}
