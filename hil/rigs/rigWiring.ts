import { identityMap } from '../../src/host/audioRig.ts';
import { namedChannel, wiringLabel } from '../report/channelLabel.ts';
import type { RigFile } from './rigFile.ts';

/** Runs of outputs listed before the rest is summed up as "… N more". */
const MAX_RUNS = 8;

/**
 * A rig file's wiring as a person reads it: channels counted from 1 and labelled, never the file's
 * 0-based indices. Consecutive outputs wired to consecutive inputs read as one run:
 * "outputs 1–32 → inputs 1–32" for a straight rig; "outputs 1–2 → inputs 1–2, output 3 → input 4,
 * output 4 → not wired" otherwise (at most 8 runs, then "… N more"), then the pilot pair,
 * "pilot output 32 → input 32".
 */
export function wiringSummary(rig: Pick<RigFile, 'inputChannels' | 'outputChannels' | 'inputIndexPerOutput' | 'pilot'>): string {
  const map = rig.inputIndexPerOutput ?? identityMap(rig.outputChannels, rig.inputChannels);
  const runs: string[] = [];
  for (let start = 0; start < map.length;) {
    let end = start;
    while (end + 1 < map.length && map[end + 1] === (map[start] < 0 ? -1 : map[end] + 1)) end++;
    runs.push(end === start ? wiringLabel(start, map[start]) : `outputs ${start + 1}–${end + 1} → ${map[start] < 0 ? 'not wired' : `inputs ${map[start] + 1}–${map[end] + 1}`}`);
    start = end + 1;
  }
  const shown = runs.length > MAX_RUNS ? [...runs.slice(0, MAX_RUNS), `… ${runs.length - MAX_RUNS} more`] : runs;
  const pilot = rig.pilot ? `; pilot ${namedChannel('output', rig.pilot.outputIndex)} → ${namedChannel('input', rig.pilot.inputIndex)}` : '';
  return `${shown.join(', ')}${pilot}`;
}
