import type { Command } from 'commander';
import { type DelayEstimate, estimateDelays } from '../../analysis/latency/estimateDelay.ts';
import { type Audio, readWav } from '../../io/wavFile.ts';
import { CliError } from '../cliError.ts';
import { printFigures } from '../output.ts';

/**
 * `rig latency <reference.wav> <capture.wav>`: the sub-sample delay of every capture channel (or one, with
 * --channel, counted from 1) against the reference's first channel, with confidence, polarity, clipping and
 * SNR. A channel without a measurable signal is named with the reason and the exit code is 3; an unreadable
 * file or mismatched rates exit 2. Never prints a delay it did not measure.
 */
interface LatencyOptions {
  json?: boolean;
  channel?: string;
  maxDelayMs?: string;
  minDelayMs?: string;
}

function load(path: string): Audio {
  try {
    return readWav(path);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

function parseNumber(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (!Number.isFinite(v)) throw new CliError(`${name} must be a number, got "${value}"`);
  return v;
}

/** A channel's figures for --json: the channel as a 0-based `channelIndex` (0 is channel 1), as in every JSON the project writes. */
function figuresOf(channelIndex: number, e: DelayEstimate, sampleRate: number): Record<string, unknown> {
  if (!e.ok) return { channelIndex, measured: false, reason: e.reason, detail: e.detail, clipped: e.clipped };
  return {
    channelIndex,
    measured: true,
    delaySamples: Number(e.delaySamples.toFixed(4)),
    delayMs: Number(((1000 * e.delaySamples) / sampleRate).toFixed(5)),
    confidence: Number(e.confidence.toFixed(5)),
    polarity: e.inverted ? 'inverted' : 'normal',
    clipped: e.clipped,
    clippedSamples: e.clippedSamples,
    snrDb: Number(e.snrDb.toFixed(2)),
    gain: Number(e.gain.toFixed(5)),
  };
}

/** Text lines keep every digit that matters (printFigures would round 128.25 to 128.3); `channel` counts from 1. */
function textOf(channel: number, e: DelayEstimate, sampleRate: number): Record<string, unknown> {
  if (!e.ok) return { channel, delay: `no measurement (${e.reason}): ${e.detail}`, clipped: e.clipped ? 'yes' : 'no' };
  return {
    channel,
    delaySamples: `${e.delaySamples.toFixed(3)} samples`,
    delayMs: `${((1000 * e.delaySamples) / sampleRate).toFixed(4)} ms`,
    confidence: e.confidence.toFixed(4),
    polarity: e.inverted ? 'inverted' : 'normal',
    clipped: e.clipped ? `yes (${e.clippedSamples} samples)` : 'no',
    snrDb: `${e.snrDb.toFixed(1)} dB`,
  };
}

export function register(program: Command): void {
  program
    .command('latency')
    .description('estimate the sub-sample delay of a capture against a reference (per channel), with confidence, polarity and clipping')
    .argument('<reference>', 'reference WAV (its first channel is used)')
    .argument('<capture>', 'captured WAV (every channel, or the one given by --channel)')
    .option('--json', 'print the figures as JSON')
    .option('--channel <n>', 'only this capture channel, counted from 1')
    .option('--max-delay-ms <ms>', 'largest delay searched (default: the capture length, at most 131072 samples)')
    .option('--min-delay-ms <ms>', 'smallest delay searched, negative if the capture may lead (default 0)')
    .action((referencePath: string, capturePath: string, opts: LatencyOptions) => {
      const reference = load(referencePath);
      const capture = load(capturePath);
      if (reference.sampleRate !== capture.sampleRate) {
        throw new CliError(`sample rates differ: ${referencePath} is ${reference.sampleRate} Hz, ${capturePath} is ${capture.sampleRate} Hz`);
      }
      const fs = capture.sampleRate;
      let indices = capture.channels.map((_, i) => i);
      if (opts.channel !== undefined) {
        const n = Number(opts.channel);
        if (!Number.isInteger(n) || n < 1 || n > capture.channels.length) {
          throw new CliError(`--channel must be an integer from 1 to ${capture.channels.length} (${capturePath} has ${capture.channels.length} channel(s)), got "${opts.channel}"`);
        }
        indices = [n - 1];
      }
      const maxMs = parseNumber(opts.maxDelayMs, '--max-delay-ms');
      const minMs = parseNumber(opts.minDelayMs, '--min-delay-ms');
      const minDelaySamples = minMs === undefined ? 0 : Math.round((minMs * fs) / 1000);
      const maxDelaySamples = maxMs === undefined ? undefined : Math.round((maxMs * fs) / 1000);
      if (maxDelaySamples !== undefined && maxDelaySamples < minDelaySamples) throw new CliError('--max-delay-ms must not be below --min-delay-ms');
      const estimates = estimateDelays(reference.channels[0], indices.map((i) => capture.channels[i]), { minDelaySamples, maxDelaySamples });
      const rows = estimates.map((e, k) => figuresOf(indices[k], e, fs));
      if (opts.json) {
        printFigures({ reference: referencePath, capture: capturePath, sampleRate: fs, channels: rows }, true);
      } else {
        estimates.forEach((e, k) => {
          if (k > 0) process.stdout.write('\n');
          printFigures(textOf(indices[k] + 1, e, fs), false);
        });
      }
      const failed = estimates.flatMap((e, k) => (e.ok ? [] : [`channel ${indices[k] + 1}: ${e.detail}`]));
      if (failed.length) throw new CliError(`no measurement on ${failed.length} of ${estimates.length} channel(s) — ${failed.join('; ')}`, 3);
    });
}
