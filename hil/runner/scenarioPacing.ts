import type { AudioRig } from '../../src/host/audioRig.ts';
import type { EventLogEntry } from '../../src/host/eventLog.ts';
import { type CaptureRecorder, OFFSET_WINDOW } from './captureRecorder.ts';
import type { SentCommand } from './runScenario.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * How a scenario's time passes on a rig — the one thing that differs between a simulated clock (the
 * harness advances the rig period by period) and a real one (the rig's callback runs by itself and the
 * harness waits on wall-clock time). runScenario plays every scenario the same way and asks its pacing
 * at each of these points; nothing else in the runner knows which clock it is on.
 */
export interface ScenarioPacing {
  readonly name: 'simulated' | 'real-time';
  /**
   * Places the scenario's frame 0 on the stream clock (sets and returns recorder.originFrame). The
   * stream clock does not restart with the stream: frame 0 comes after the first period seen.
   */
  placeOrigin(): Promise<number>;
  /** Returns once the stream has reached scenario frame `atFrame` (the moment to send an event planned there). */
  reach(atFrame: number): Promise<void>;
  /**
   * The timestamp (epoch ms) of a scheduled send of an event planned at `atFrame`, `aheadMs` ahead of
   * the moment it stands for, given the measured send time.
   */
  stamp(atFrame: number, aheadMs: number): (sendEpochMs: number) => number;
  /** Runs the stream to scenario frame `frames` (the end of the capture); false when stopped early. */
  runTo(frames: number, shouldStop?: () => boolean, onProgress?: (fraction: number) => void): Promise<boolean>;
  /**
   * After the run: completes each sent command's timing from the server's log entry — send frame,
   * arrival frame (transport time) and the stream clock's stall between send and effect.
   */
  settle(sent: SentCommand[]): void;
}

/**
 * The simulated clock: the harness advances the rig period by period and sends each event between the
 * periods that bracket its time (as a live sender would). Time stands still while the harness sends
 * and waits for delivery: an event arrives when it is sent, and the clock never stalls.
 */
export class SimulatedPacing implements ScenarioPacing {
  readonly name = 'simulated';

  constructor(private readonly rig: AudioRig, private readonly recorder: CaptureRecorder) {}

  async placeOrigin(): Promise<number> {
    this.rig.advance(1);
    this.recorder.originFrame = this.recorder.position;
    return this.recorder.originFrame;
  }

  async reach(atFrame: number): Promise<void> {
    const target = this.recorder.originFrame + atFrame;
    const periods = Math.floor(target / this.rig.periodFrames) + 1 - this.recorder.position / this.rig.periodFrames;
    if (periods > 0) this.rig.advance(periods);
  }

  /** Of the scenario frame the send stands for (simulated time does not move while the harness sends). */
  stamp(atFrame: number, aheadMs: number): (sendEpochMs: number) => number {
    const r = this.recorder;
    return () => performance.timeOrigin + r.hostOffsetMs + ((r.originFrame + atFrame) * 1000) / this.rig.sampleRate + aheadMs;
  }

  async runTo(frames: number): Promise<boolean> {
    const periods = Math.ceil((this.recorder.originFrame + frames) / this.rig.periodFrames) - this.recorder.position / this.rig.periodFrames;
    if (periods > 0) this.rig.advance(periods);
    return true;
  }

  settle(sent: SentCommand[]): void {
    for (const s of sent) {
      s.clockStallMs = 0;
      if (s.entry) s.arrivalFrame = s.sendFrame;
    }
  }
}

/**
 * A real clock: the rig's callback runs on its own; the harness sends at the wall-clock moment mapped
 * from the stream clock (CaptureRecorder's live map), never spinning (the audio callback runs on this
 * thread). Send frames, transport times and clock stalls are measured after the run, by the periods
 * that followed each send (frameAtHostMsAfterRun).
 */
export class RealTimePacing implements ScenarioPacing {
  readonly name = 'real-time';

  constructor(private readonly rig: AudioRig, private readonly recorder: CaptureRecorder) {}

  async placeOrigin(): Promise<number> {
    // The live clock map looks back OFFSET_WINDOW periods: let the stream's first periods (often a
    // burst as it starts) leave that window before events are placed by it; then a little ahead.
    while (this.recorder.periods < OFFSET_WINDOW + 8) await sleep(5);
    this.recorder.originFrame = this.recorder.position + Math.round(0.1 * this.rig.sampleRate);
    return this.recorder.originFrame;
  }

  /**
   * The send time is measured, not assumed, so the timer's granularity only moves when the event is
   * sent, not what is measured. The live map runs ahead of a stream that has just stalled (it still
   * holds the offset from before); nothing is sent before the stream has delivered the scenario's
   * frame 0, so no event takes effect before the capture starts. Later events keep their random phase
   * to the periods.
   */
  async reach(atFrame: number): Promise<void> {
    const r = this.recorder;
    const target = r.originFrame + atFrame;
    const fs = this.rig.sampleRate;
    for (;;) {
      const aheadMs = ((target - r.frameAtHostMs(performance.now())) * 1000) / fs;
      if (aheadMs <= 0 && r.position >= r.originFrame) return;
      // Far off: one timer to within REACH_FINE_MS of it, then 1 ms steps (a timer and a promise every
      // millisecond for the whole run were the control thread's second-largest garbage while streaming).
      await sleep(aheadMs > REACH_FINE_MS + 1 ? Math.min(aheadMs - REACH_FINE_MS, 50) : 1);
    }
  }

  stamp(_atFrame: number, aheadMs: number): (sendEpochMs: number) => number {
    return (sendEpochMs) => sendEpochMs + aheadMs;
  }

  async runTo(frames: number, shouldStop?: () => boolean, onProgress?: (fraction: number) => void): Promise<boolean> {
    const r = this.recorder;
    const end = r.originFrame + frames;
    while (r.position < end) {
      if (shouldStop?.()) return false;
      await sleep(10);
      onProgress?.((r.position - r.originFrame) / frames);
    }
    return true;
  }

  /**
   * The send frame by the periods after each send (which only the finished run has); the transport time
   * is the wall-clock time between send and arrival (one process, one clock), placed on the same map.
   */
  settle(sent: SentCommand[]): void {
    const r = this.recorder;
    const fs = this.rig.sampleRate;
    for (const s of sent) {
      s.sendFrame = r.frameAtHostMsAfterRun(s.sendEpochMs - performance.timeOrigin) - r.originFrame;
      const e: EventLogEntry | null = s.entry;
      if (e) s.arrivalFrame = s.sendFrame + ((e.arrivalEpochMs - s.sendEpochMs) * fs) / 1000;
      if (s.appliedFrame !== null) s.clockStallMs = r.clockStallMsAfterRun(s.sendEpochMs - performance.timeOrigin, s.appliedFrame + r.originFrame);
    }
  }
}

/** How close to an event's moment RealTimePacing.reach steps in 1 ms sleeps, ms (a timer fires 1–2 ms late under load). */
const REACH_FINE_MS = 3;

/** The pacing of a rig's clock. */
export function pacingFor(rig: AudioRig, recorder: CaptureRecorder): ScenarioPacing {
  return rig.clock === 'simulated' ? new SimulatedPacing(rig, recorder) : new RealTimePacing(rig, recorder);
}
