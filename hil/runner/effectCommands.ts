import { EventKind, type TimedEvent } from '../../src/engine/events.ts';
import type { OscArg } from '../../src/protocols/osc/oscCodec.ts';
import { epochMsToTimeTag, writeOscPacket } from '../../src/protocols/osc/oscCodec.ts';
import { loadPreset } from '../../src/presets/presetStore.ts';
import { workspace } from '../../src/presets/workspace.ts';
import type { LoadedScenario, TimedScenarioEvent } from '../scenario/loadScenario.ts';
import type { PlannedCommand } from './plannedCommands.ts';
import type { EngineEntry } from '../../src/engine/engineDefinition.ts';
import { LiveParams } from '../../src/host/liveParams.ts';
import { fixedKeysDiffering } from '../../src/host/livePresets.ts';
import { parseParams } from '../../src/engine/params.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An effect scenario's timeline as OSC commands to the live effect — `/<engine>/param/<name> value` and
 * `/<engine>/preset/load "name"` — each with the Param events the server makes of it, in the order it
 * queues them (one event-log entry each), for the offline render:
 * - a parameter (the engine's own name or an alias the bridge takes): one Param event (value sent as a
 *   double, so the server applies exactly the value rendered);
 * - a preset load: one Param event per live parameter (the engine's `paramNames`, in their order) whose
 *   value the preset sets and which differs from the value running — as the live host loads a preset
 *   (src/host/livePresets.ts), each change ramping with the engine's smoothing; the preset then becomes the
 *   running set. Presets come from the scenario's `presetsDir` first, then the shipped ones. The running
 *   set is kept in the live host's own LiveParams, so names, aliases and exclusive pairs agree; that the
 *   server queued exactly these events is checked against its log after the run (runScenario.ts);
 * - a structural change (a parameter the engine is built with, or a preset that differs in one): the Swap
 *   event to the engine the server builds for it (`build`: the running set with the change, or the preset
 *   whole; the server numbers its switches 1, 2, … in order), crossfaded in — the offline render stages the
 *   same engine for it (effectAnalysis.ts). A change sent while the previous one still builds or fades waits
 *   on the server; one superseded there (a third sent meanwhile) makes the log differ from the plan: a problem
 *   the run reports.
 * Raw `osc` events with these addresses are planned the same way; any other address gives no event.
 */
export function planEffectCommands(loaded: LoadedScenario, entry: EngineEntry, paramNames: readonly string[], config: unknown, presetsDir: string | undefined): PlannedCommand[] {
  const engine = entry.engine;
  // The running parameter set, kept as the live host keeps it (names, aliases, exclusive pairs).
  const running = new LiveParams(engine, paramNames, entry.paramsSchema, config);
  let nextSwitchId = 1;
  return loaded.events.map((e, index) => {
    const base = { index, atFrame: e.atFrame, transport: 'osc' as const, type: e.type, origin: e.origin, wire: 'osc' as const };
    const { address, args, change } = effectMessage(e, engine);
    let rows: TimedEvent[] = [];
    let build: PlannedCommand['build'];
    /** A structural change: the Swap to the engine the server builds with `params` (its switches numbered in order). */
    const switchTo = (params: unknown) => {
      build = { id: nextSwitchId++, params };
      rows = [swapRow(build.id)];
      running.replace(params);
    };
    if (change?.kind === 'param') {
      const structural = running.structuralKey(change.name);
      // As the bridge builds it (effectBridge.ts setStructural): the running set with this key changed, parsed whole.
      if (structural !== undefined) switchTo(parseParams(entry.paramsSchema, { ...running.snapshot(), [structural]: change.value }, e.origin));
      else {
        const p = running.resolve(change.name);
        if (typeof p === 'string') throw new Error(`${e.origin}: ${p}`);
        rows = [paramRow(p.index, change.value)];
        running.set(p, change.value);
      }
    } else if (change?.kind === 'preset') {
      const dir = presetsDir && existsSync(join(presetsDir, engine, `${change.name}.json`)) ? presetsDir : workspace.presetsDir;
      const preset = loadPreset(engine, change.name, dir).params;
      const before = running.snapshot();
      // A preset that differs in structure is built whole (livePresets.ts); otherwise each changed live parameter ramps.
      if (fixedKeysDiffering(running, preset).length) switchTo(preset);
      else {
        paramNames.forEach((name, i) => {
          const value = LiveParams.numberAt(preset, name);
          if (value !== undefined && value !== LiveParams.numberAt(before, name)) rows.push(paramRow(i, value));
        });
        running.replace(preset);
      }
    }
    const msg = { address, args };
    return { ...base, bytes: writeOscPacket(msg), stamp: (epochMs: number) => writeOscPacket({ timeTag: { raw: epochMsToTimeTag(epochMs) }, packets: [msg] }), rows, build };
  });
}

type Change = { kind: 'param'; name: string; value: number } | { kind: 'preset'; name: string };

/** The OSC message of one timeline event of an effect scenario, and the change it asks for. */
function effectMessage(e: TimedScenarioEvent, engine: string): { address: string; args: OscArg[]; change: Change | null } {
  const prefix = `/${engine}/`;
  if (e.type === 'param') return { address: `${prefix}param/${e.name}`, args: [{ type: 'd', value: e.value }], change: { kind: 'param', name: e.name, value: e.value } };
  if (e.type === 'preset') return { address: `${prefix}preset/load`, args: [{ type: 's', value: e.name }], change: { kind: 'preset', name: e.name } };
  if (e.type !== 'osc') throw new Error(`${e.origin}: an effect scenario's timeline holds parameters, preset loads and OSC messages, not "${e.type}"`);
  const args: OscArg[] = e.args.map((v) => (typeof v === 'string' ? { type: 's', value: v } : { type: 'd', value: v }));
  let change: Change | null = null;
  if (e.address.startsWith(`${prefix}param/`) && typeof e.args[0] === 'number') change = { kind: 'param', name: e.address.slice(prefix.length + 6), value: e.args[0] };
  else if (e.address === `${prefix}preset/load` && typeof e.args[0] === 'string') change = { kind: 'preset', name: e.args[0] };
  return { address: e.address, args, change };
}

const paramRow = (paramIndex: number, value: number): TimedEvent => ({ kind: EventKind.Param, atFrame: 0, channel: 0, note: 0, value, paramIndex });
const swapRow = (id: number): TimedEvent => ({ kind: EventKind.Swap, atFrame: 0, channel: 0, note: 0, value: id, paramIndex: 0 });
