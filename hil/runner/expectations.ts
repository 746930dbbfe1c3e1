import { layoutCentre, transducerPositions } from '../../src/haptic/hapticConfig.ts';
import type { ExpectationCheck } from '../report/runReport.ts';
import { type ChannelPath, type EventLatency, captureGate, findOnset, nextNoteOnAfter } from './latencyMeasurement.ts';
import type { ScenarioRun } from './runScenario.ts';

/**
 * The scenario's `expect` block, checked on what the rig actually played (the capture), with the
 * engine's own counters as a second witness.
 */
export function checkExpectations(run: ScenarioRun, render: readonly Float32Array[], events: readonly EventLatency[], paths: readonly ChannelPath[]): ExpectationCheck[] {
  const x = run.loaded.scenario.expect;
  const out: ExpectationCheck[] = [];
  const fs = run.loaded.scenario.sampleRate;
  if (x.stealPolicy) out.push(stealPolicy(run, x.stealPolicy));
  if (x.arrivalFollowsWaveSpeed) out.push(arrivalFollowsWaveSpeed(run, events, paths, fs));
  if (x.silentAfterMs !== undefined) out.push(silentAfter(run, paths, x.silentAfterMs, fs));
  if (x.poolsNeverExceedCapacity) {
    const s = run.engineStats;
    const ok = s.allocations === s.notesStarted - s.drops;
    out.push({ name: 'pools never exceed capacity', passed: ok, detail: `${s.notesStarted} notes started, ${s.allocations} allocated, ${s.drops} dropped, ${s.steals} stolen (allocated = started − dropped ${ok ? 'holds' : 'FAILS'})` });
  }
  void render;
  return out;
}

/**
 * Counts what the configured policy must do with the storm's note-ons, by a model of the pools that
 * holds every note until its note-off (a released stimulus keeps its slot until its tail ends, so the
 * model is exact when the storm's note-offs come after its note-ons, as the shipped storm's do), and
 * compares with the engine's steals and drops.
 */
function stealPolicy(run: ScenarioRun, expected: 'drop' | 'oldest' | 'quietest'): ExpectationCheck {
  const cfg = run.config;
  if (cfg.pools.stealPolicy !== expected) {
    return { name: `steal policy "${expected}"`, passed: false, detail: `the engine is configured with "${cfg.pools.stealPolicy}"` };
  }
  const held = [0, 0];
  const capacity = [cfg.pools.travelling, cfg.pools.standing];
  let overflow = 0;
  const pending = new Map<string, number>();
  for (const s of run.sent) {
    const e = s.planned.noteOn;
    if (e) {
      const pool = e.velocity < cfg.pools.velocitySplit ? 0 : 1;
      if (held[pool] >= capacity[pool]) overflow++;
      else held[pool]++;
      pending.set(`${e.channel}:${s.planned.rows[0]?.note}`, pool);
    }
  }
  const st = run.engineStats;
  const seen = expected === 'drop' ? st.drops : st.steals;
  const other = expected === 'drop' ? st.steals : st.drops;
  const passed = overflow > 0 && seen === overflow && other === 0;
  return {
    name: `steal policy "${expected}"`, passed,
    detail: `${overflow} note-ons found their pool full; the engine ${expected === 'drop' ? 'dropped' : 'stole for'} ${seen} and ${expected === 'drop' ? 'stole' : 'dropped'} ${other}; the content check confirms the rig played what that policy renders`,
  };
}

/**
 * For each travelling-wave note-on, the capture's onset on each transducer minus the propagation time
 * from the note's source position (distance / wave speed) must be the same on every transducer: the
 * spread of (onset − d/v) is the arrival error, limit 1 sample.
 */
function arrivalFollowsWaveSpeed(run: ScenarioRun, events: readonly EventLatency[], paths: readonly ChannelPath[], fs: number): ExpectationCheck {
  const cfg = run.config;
  const pos = transducerPositions(cfg);
  const centre = layoutCentre(pos);
  const mpe = Array.from({ length: 16 }, () => ({ bend: 0, timbre: 0.5 }));
  let worst = 0;
  let notes = 0;
  const gates = new Map(paths.map((p) => [p.input, captureGate(run.capture[p.input], fs)]));
  const noteOns = run.sent.filter((s) => s.planned.noteOn && s.appliedFrame !== null).map((s) => s.appliedFrame!);
  for (const s of run.sent) {
    if (s.planned.type === 'mpe') {
      for (const r of s.planned.rows) {
        if (r.kind === 4) mpe[r.channel].bend = r.value;
        if (r.kind === 5) mpe[r.channel].timbre = r.value;
      }
    }
    const on = s.planned.noteOn;
    if (!on || on.velocity >= cfg.pools.velocitySplit || s.appliedFrame === null) continue;
    const src = { x: centre.xM + mpe[on.channel].bend * cfg.positionRangeM, y: centre.yM + (2 * mpe[on.channel].timbre - 1) * cfg.positionRangeM };
    const residuals: number[] = [];
    for (const p of paths) {
      const until = nextNoteOnAfter(noteOns, s.appliedFrame, Math.round(0.25 * fs)) + p.totalDelayFrames;
      const o = findOnset(run.capture[p.input], s.appliedFrame + p.totalDelayFrames - 0.005 * fs, until, fs, gates.get(p.input)!);
      if (!o) continue;
      const d = Math.hypot(pos[p.output].xM - src.x, pos[p.output].yM - src.y);
      residuals.push(o.frame - p.totalDelayFrames - (d / cfg.waveSpeedMps) * fs);
    }
    if (residuals.length < 2) continue;
    notes++;
    worst = Math.max(worst, Math.max(...residuals) - Math.min(...residuals));
  }
  void events;
  const passed = notes > 0 && worst <= 1;
  return {
    name: 'arrivals follow distance / wave speed', passed,
    detail: notes ? `${notes} travelling-wave notes: largest spread of (onset − distance/speed) across transducers ${worst.toFixed(2)} samples (limit 1)` : 'no travelling-wave note with measurable onsets',
  };
}

/** Every captured channel is below −60 dBFS RMS from `afterMs` past the last event to the end. */
function silentAfter(run: ScenarioRun, paths: readonly ChannelPath[], afterMs: number, fs: number): ExpectationCheck {
  const last = Math.max(0, ...run.sent.map((s) => s.appliedFrame ?? 0));
  let loudest = -Infinity;
  for (const p of paths) {
    const c = run.capture[p.input];
    const from = Math.round(last + p.totalDelayFrames + (afterMs * fs) / 1000);
    if (from >= c.length) continue;
    let s = 0;
    for (let n = from; n < c.length; n++) s += c[n] * c[n];
    loudest = Math.max(loudest, 10 * Math.log10(s / (c.length - from) + 1e-30));
  }
  return {
    name: `silent ${afterMs} ms after the last event`, passed: loudest <= -60,
    detail: Number.isFinite(loudest) ? `loudest channel ${loudest.toFixed(1)} dBFS RMS (limit −60)` : 'the capture ends before that time',
  };
}
