import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { type TimedEvent, at } from '../../engine/events.ts';
import { render } from '../../engine/render.ts';
import { HapticEngine } from '../../haptic/hapticEngine.ts';
import { writeWavAtomic } from '../../io/wavFile.ts';
import { CliError } from '../cliError.ts';
import { printFigures } from '../output.ts';
import { MAX_RENDER_SECONDS, secondsOption } from '../numberOptions.ts';

const SAMPLE_RATE = 48000;
const BLOCK_FRAMES = 128;

/**
 * The built-in demo performance, `seconds` long: four MPE voices (member channels 1–4, travelling
 * waves) that sweep across the plate with pitch bend (x) and CC74 (y) and swell with pressure, plus
 * standing-wave pulses once a second; everything is released 0.7 s before the end.
 */
export function demoPerformance(seconds: number, sampleRate = SAMPLE_RATE): TimedEvent[] {
  const f = (s: number) => Math.round(s * sampleRate);
  const end = Math.max(0.5, seconds - 0.7);
  const events: TimedEvent[] = [];
  const voices = [
    { ch: 1, note: 40, velocity: 45, start: 0.05 },
    { ch: 2, note: 47, velocity: 55, start: 0.4 },
    { ch: 3, note: 52, velocity: 35, start: 0.8 },
    { ch: 4, note: 57, velocity: 60, start: 1.2 },
  ];
  for (const v of voices) {
    if (v.start >= end) continue;
    events.push(at.pitchBend(f(v.start), v.ch, -1), at.timbre(f(v.start), v.ch, 0.5), at.pressure(f(v.start), v.ch, 0.6));
    events.push(at.noteOn(f(v.start), v.ch, v.note, v.velocity));
    for (let t = v.start + 0.02; t < end; t += 0.02) {
      const phase = (t - v.start) * (0.25 + 0.05 * v.ch);
      events.push(at.pitchBend(f(t), v.ch, Math.sin(2 * Math.PI * phase)));
      events.push(at.timbre(f(t), v.ch, 0.5 + 0.5 * Math.cos(2 * Math.PI * phase * 1.3)));
      events.push(at.pressure(f(t), v.ch, 0.6 + 0.4 * Math.sin(2 * Math.PI * phase * 0.7)));
    }
    events.push(at.noteOff(f(end), v.ch, v.note));
  }
  for (let t = 0.5, k = 0; t + 0.3 < end; t += 1, k++) {
    events.push(at.noteOn(f(t), 10 + (k % 2), 33 + (k % 3) * 2, 100));
    events.push(at.noteOff(f(t + 0.3), 10 + (k % 2), 33 + (k % 3) * 2));
  }
  events.push(at.panic(f(end)));
  return events;
}

const dbfs = (x: number) => (x > 0 ? 20 * Math.log10(x) : -Infinity);
const round2 = (x: number) => (Number.isFinite(x) ? Math.round(x * 100) / 100 : x);

export function register(program: Command): void {
  program
    .command('demo')
    .description('render the built-in haptic demo performance (32 transducers) to a float WAV and print per-transducer metrics')
    .option('--out <file>', 'output WAV (32-bit float, one channel per transducer)', 'reports/demo.wav')
    .option('--seconds <s>', `length of the render, 1 to ${MAX_RENDER_SECONDS} s`, secondsOption(1, MAX_RENDER_SECONDS), 6)
    .option('--json', 'print the metrics as JSON')
    .action((opts: { out: string; seconds: number; json?: boolean }) => {
      const engine = new HapticEngine({ masterGainDb: -6 });
      const started = performance.now();
      const channels = render(engine, { sampleRate: SAMPLE_RATE, blockFrames: BLOCK_FRAMES, seconds: opts.seconds, events: demoPerformance(opts.seconds) });
      const renderMs = performance.now() - started;
      try {
        mkdirSync(dirname(opts.out), { recursive: true });
        writeWavAtomic(opts.out, { sampleRate: SAMPLE_RATE, channels });
      } catch (e) {
        throw new CliError(`cannot write ${opts.out}: ${(e as Error).message}`);
      }
      const transducers = channels.map((ch, t) => {
        let peak = 0;
        let sum = 0;
        for (let i = 0; i < ch.length; i++) {
          const a = Math.abs(ch[i]);
          if (a > peak) peak = a;
          sum += ch[i] * ch[i];
        }
        return { transducerIndex: t, peakDbfs: round2(dbfs(peak)), rmsDbfs: round2(dbfs(Math.sqrt(sum / ch.length))) };
      });
      const figures = {
        file: opts.out,
        seconds: opts.seconds,
        sampleRate: SAMPLE_RATE,
        transducers: channels.length,
        realtimeFactor: round2(opts.seconds / (renderMs / 1000)),
        ...engine.getStats(),
      };
      if (opts.json) {
        printFigures({ ...figures, perTransducer: transducers }, true);
        return;
      }
      printFigures(figures, false);
      process.stdout.write('\ntransducer (from 1)  peak dBFS  RMS dBFS\n');
      for (const t of transducers) {
        process.stdout.write(`${String(t.transducerIndex + 1).padStart(19)}  ${t.peakDbfs.toFixed(2).padStart(9)}  ${t.rmsDbfs.toFixed(2).padStart(8)}\n`);
      }
    });
}
