import cliProgress from 'cli-progress';

/**
 * Progress of a long HIL run: the current scenario, elapsed time and the time remaining (the planned
 * duration of the scenarios still to run, minus what the current one has used). On a terminal it is a
 * cli-progress bar redrawn in place; anywhere else (CI logs) it prints plain lines: one when a scenario
 * starts and ends, and at most one every `plainIntervalSeconds` in between.
 */
export interface PlannedScenario {
  name: string;
  /** Planned duration (the scenario's length plus settling), used for the bar and the time remaining. */
  expectedSeconds: number;
}

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface RunProgressOptions {
  scenarios: PlannedScenario[];
  /** Default process.stderr (stdout stays for results and --json). */
  stream?: ProgressStream;
  /** Clock in seconds (default performance.now() / 1000); tests pass their own. */
  nowSeconds?: () => number;
  plainIntervalSeconds?: number;
}

const { SingleBar, Presets } = cliProgress;
type Bar = InstanceType<typeof SingleBar>;

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const two = (v: number) => String(v).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${m}:${two(r)}`;
}

export class RunProgress {
  private readonly scenarios: PlannedScenario[];
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly plainIntervalSeconds: number;
  private readonly totalSeconds: number;
  private readonly startSeconds: number;
  private bar: Bar | null = null;
  private current = -1;
  private currentStartSeconds = 0;
  private doneSeconds = 0;
  private running = false;
  private lastPlainSeconds = -Infinity;

  constructor(options: RunProgressOptions) {
    this.scenarios = options.scenarios;
    this.stream = options.stream ?? process.stderr;
    this.now = options.nowSeconds ?? (() => performance.now() / 1000);
    this.plainIntervalSeconds = options.plainIntervalSeconds ?? 30;
    this.totalSeconds = Math.max(1e-9, this.scenarios.reduce((sum, s) => sum + Math.max(0, s.expectedSeconds), 0));
    this.startSeconds = this.now();
    if (this.stream.isTTY) {
      this.bar = new SingleBar({
        // Only a terminal gets a bar (isTTY above): a real tty.WriteStream, not the narrow test double.
        stream: this.stream as NodeJS.WritableStream, hideCursor: true, clearOnComplete: false, barsize: 30, etaBuffer: 1, fps: 5,
        format: '{bar} {percentage}% | {position} {scenario} | elapsed {elapsedText} | remaining {remainingText}',
      }, Presets.shades_classic);
      this.bar.start(1000, 0, this.payload());
    }
  }

  /** Marks the start of the next scenario (by name, which must be one of the planned ones). */
  startScenario(name: string): void {
    const index = this.scenarios.findIndex((s, i) => i > this.current && s.name === name);
    this.current = index >= 0 ? index : this.current + 1;
    this.currentStartSeconds = this.now();
    this.running = true;
    if (this.bar) this.update();
    else this.line(`started · elapsed ${formatDuration(this.elapsedSeconds())} · remaining ~${formatDuration(this.remainingSeconds())}`);
  }

  /** Redraws the bar (call it as often as convenient; plain output is rate-limited). */
  tick(): void {
    if (this.bar) this.update();
    else if (this.now() - this.lastPlainSeconds >= this.plainIntervalSeconds) this.line(`${Math.floor(this.fraction() * 100)}% · elapsed ${formatDuration(this.elapsedSeconds())} · remaining ~${formatDuration(this.remainingSeconds())}`);
  }

  /** Marks the current scenario done with its status. */
  finishScenario(status: string): void {
    const took = this.now() - this.currentStartSeconds;
    this.doneSeconds += Math.max(0, this.scenarios[this.current]?.expectedSeconds ?? 0);
    this.running = false;
    if (this.bar) this.update();
    else this.line(`${status} in ${took.toFixed(1)} s · elapsed ${formatDuration(this.elapsedSeconds())} · remaining ~${formatDuration(this.remainingSeconds())}`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  elapsedSeconds(): number {
    return this.now() - this.startSeconds;
  }

  /** Planned time of the scenarios not yet finished, less what the running one has already used. */
  remainingSeconds(): number {
    const running = this.scenarios[this.current];
    const usedOfCurrent = running && this.running ? Math.min(this.now() - this.currentStartSeconds, running.expectedSeconds) : 0;
    return Math.max(0, this.totalSeconds - this.doneSeconds - usedOfCurrent);
  }

  /** Share of the planned time done, 0…1. */
  fraction(): number {
    return Math.min(1, 1 - this.remainingSeconds() / this.totalSeconds);
  }

  private payload(): object {
    const s = this.scenarios[this.current];
    return {
      scenario: s ? s.name : 'calibration',
      position: `${Math.max(0, this.current) + (s ? 1 : 0)}/${this.scenarios.length}`,
      elapsedText: formatDuration(this.elapsedSeconds()),
      remainingText: formatDuration(this.remainingSeconds()),
    };
  }

  private update(): void {
    this.bar?.update(Math.round(this.fraction() * 1000), this.payload());
  }

  private line(text: string): void {
    const s = this.scenarios[this.current];
    const where = s ? `${this.current + 1}/${this.scenarios.length} ${s.name}` : 'run';
    this.stream.write(`[hil] ${where}: ${text}\n`);
    this.lastPlainSeconds = this.now();
  }
}
