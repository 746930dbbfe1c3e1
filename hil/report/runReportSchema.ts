import { z } from 'zod';
import { RUN_REPORT_FORMAT_VERSION, type RunReport } from './runReport.ts';

/**
 * report.json as a zod schema, for the JSON Schema shipped in schemas/run-report.schema.json (the
 * TypeScript interface in runReport.ts stays the source the harness writes against; the type checks at
 * the bottom keep the two in step both ways).
 */
const ms = z.number().nullable();
const budgetCheck = z.object({ name: z.string(), key: z.string(), limit: z.number(), measured: z.number().nullable(), unit: z.string(), passed: z.boolean(), detail: z.string().optional() });
const latency = z.object({
  eventCount: z.number(), onsetCount: z.number(), p50Ms: ms, p95Ms: ms, p99Ms: ms, maxMs: ms, jitterMs: ms, skewMs: ms,
  clockStallEventCount: z.number(), atEnvironmentOnsetCount: z.number().optional(), samplesMs: z.array(z.number()), perTransducerP50Ms: z.array(ms),
});
const breakdown = z.object({ transportMs: ms, schedulingMs: ms, bufferingMs: ms, pathMs: ms, totalMs: ms, budgetMs: ms });
const dropout = z.object({
  channelIndex: z.number().describe('engine output (transducer), 0-based: 0 is channel 1, as the report page, JUnit and the CLI show it; -1 for a backend flag, which concerns every channel'), startFrame: z.number(), lengthFrames: z.number(), atSeconds: z.number(), kind: z.string(),
  detector: z.enum(['residual', 'pilot', 'backend-flag']), pictureSvg: z.string().optional(),
});
const timelineEntry = z.object({
  index: z.number(), type: z.string(), transport: z.string(), scheduledMs: z.number(), sentMs: ms, receivedMs: ms,
  effectiveFrame: z.number().nullable(), latencyMs: ms, clockStallMs: ms.optional(),
});
const effect = z.object({
  perChannelLatencyMs: z.array(ms), worstLatencyMs: ms, engineLatencyMs: ms, pathMs: ms, latencyDetail: z.string().optional(), smoothingMs: z.number(),
  changes: z.array(z.object({ index: z.number(), paramIndex: z.number(), paramName: z.string(), value: z.number(), appliedFrame: z.number(), stepDb: ms, atEnvironment: z.boolean().optional() })),
  worstClickStepDb: ms,
}).describe('effect scenarios: input → output latency and the click-free bound on every parameter change');
const scenarioResult = z.object({
  name: z.string(), description: z.string(), status: z.enum(['passed', 'failed', 'skipped', 'interrupted']),
  durationSeconds: z.number(), analysisSeconds: z.number().nullable().optional(),
  budgets: z.array(budgetCheck), latency, breakdown, perTransducerRmsDbfs: z.array(ms), dropouts: z.array(dropout),
  backendFlags: z.object({ underflowCount: z.number(), overflowCount: z.number(), messages: z.array(z.string()), serverXrunCount: z.number().nullable(), serverDriverXrunCount: z.number().nullable() }),
  dropoutAttribution: z.object({
    xrunRecord: z.enum(['callback', 'log', 'none']), serverEventCount: z.number(), outputRingUnderrunCount: z.number(), environmentEventCount: z.number(),
    driverXrunCount: z.number(), clientXrunCount: z.number(), unknownXrunCount: z.number(), matchWindowMs: z.number(),
    frameJumpCount: z.number().optional(), frameJumpSeconds: z.array(z.number()).optional(), frameJumpSteps: z.array(z.number().nullable()).optional(),
    serverEventSeconds: z.array(z.number()), environmentEventSeconds: z.array(z.number()), driverXrunSeconds: z.array(z.number()), clientXrunSeconds: z.array(z.number()).optional(),
    machineStalls: z.enum(['realtime', 'not-realtime', 'none']).optional(), machineStallCount: z.number().optional(), machineStallMaxMs: z.number().nullable().optional(),
    machineStallSeconds: z.array(z.number()).optional(), serverUnderrunCount: z.number().optional(), machineUnderrunCount: z.number().optional(), earlyCycleUnderrunCount: z.number().optional(), heldUnderrunCount: z.number().optional(), cushionMs: z.number().optional(),
    serverUnderruns: z.array(z.object({ seconds: z.number(), startLagMs: z.number().nullable(), blockMs: z.number().nullable(), marginMs: z.number().nullable(), ownMs: z.number().nullable().optional(), heldMs: z.number().nullable().optional(), waitedMs: z.number().nullable().optional(), cycleGapMs: z.number().nullable().optional(), nearestStall: z.object({ startMs: z.number(), lengthMs: z.number() }).nullable().optional(), nearestDriverXrunMs: z.number().nullable().optional() })).optional(),
    serverUnderrunSlowBlockCount: z.number().optional(), serverUnderrunLateStartCount: z.number().optional(), serverUnderrunNoRecordCount: z.number().optional(), lateBlockRecordsLost: z.number().optional(),
  }).optional(),
  content: z.object({
    perChannelResidualDb: z.array(ms), worstResidualDb: ms, excludedSeconds: z.number().optional(), worstResidualWithExcludedDb: ms.optional(),
    latencyFollowedSamples: z.array(ms).optional(), worstLatencyFollowedSamples: ms.optional(),
  }),
  expectations: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
  server: z.object({ malformedPacketCount: z.number(), lateEventCount: z.number(), underrunCount: z.number() }),
  timeline: z.array(timelineEntry),
  harnessCpuPercentOfOneCore: ms,
  skipReason: z.string().optional(),
  effect: effect.optional(),
  audio: z.object({ captureFile: z.string(), expectedFile: z.string(), cueCount: z.number() }).optional(),
  error: z.string().optional(),
  environmentReruns: z.array(z.string()).optional(),
});
const calibrationChannel = z.object({
  outputIndex: z.number().describe('rig output, 0-based: 0 is the interface\'s output 1, as the report page, JUnit and the CLI show it'),
  inputIndex: z.number().describe('rig input wired to the output, 0-based: 0 is the interface\'s input 1; -1: not wired'), status: z.enum(['ok', 'no-signal', 'inverted', 'clipped', 'miswired']),
  totalRoundTripSamples: ms, harnessBufferSamples: ms, deviceRoundTripSamples: ms, confidence: ms, detail: z.string().optional(),
  attempt: z.number().int().min(1).optional().describe('the calibration capture (from 1) these figures come from: each channel keeps the first capture that measured it undisturbed'),
});

export const runReportSchema = z.object({
  $schema: z.string().optional(),
  formatVersion: z.literal(RUN_REPORT_FORMAT_VERSION),
  runId: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(),
  status: z.enum(['passed', 'failed', 'interrupted', 'crashed', 'running']), statusDetail: z.string().optional(),
  seed: z.number(),
  rig: z.object({ name: z.string(), backend: z.string(), sampleRate: z.number(), periodFrames: z.number(), inputChannels: z.number(), outputChannels: z.number(), device: z.string().optional(), server: z.string().optional() }),
  software: z.object({ studioRigVersion: z.string(), node: z.string(), gitCommit: z.string().nullable(), platform: z.string() }),
  harness: z.object({ pid: z.number(), host: z.string() }).optional(),
  calibration: z.object({ channels: z.array(calibrationChannel), jackIodelaySamples: ms, deviceRoundTripMedianSamples: ms, attempts: z.number().optional(), retryReasons: z.array(z.string()).optional() }),
  scenarios: z.array(scenarioResult),
  periodSweep: z.object({
    scenario: z.string(), budgetMs: z.number(), model: z.string(),
    rows: z.array(z.object({
      periodFrames: z.number(), periodMs: z.number(), onsetCount: z.number(), p50Ms: ms, p99Ms: ms, maxMs: ms, jitterMs: ms,
      breakdown, meetsBudget: z.boolean(), dropouts: z.number(),
    })),
  }).optional().describe('the latency budget table: the latency probe at each period size on the virtual rig'),
});

// The schema and the interface describe the same document: each must be assignable to the other.
type Schema = Omit<z.infer<typeof runReportSchema>, '$schema'>;
const _reportFitsSchema = (r: RunReport): Schema => r;
const _schemaFitsReport = (r: Schema): RunReport => r;
void _reportFitsSchema;
void _schemaFitsReport;
