import { RUN_REPORT_FORMAT_VERSION, type RunReport } from './runReport.ts';

/**
 * A report.json as this version reads it. Format 1 named channel indices `channel` (dropouts) and
 * `output` / `input` (calibration); format 2 says they are indices: `channelIndex`, `outputIndex`,
 * `inputIndex` (same 0-based values). Anything else passes through unchanged; a report newer than this
 * code is returned as it is (its keys are not guessed).
 */
export function upgradeRunReport(json: unknown): RunReport {
  const r = json as { formatVersion?: number; scenarios?: Array<{ dropouts?: Array<Record<string, unknown>> }>; calibration?: { channels?: Array<Record<string, unknown>> } };
  if (typeof r !== 'object' || r === null || r.formatVersion !== 1) return json as RunReport;
  for (const s of r.scenarios ?? []) for (const d of s.dropouts ?? []) renameKey(d, 'channel', 'channelIndex');
  for (const c of r.calibration?.channels ?? []) {
    renameKey(c, 'output', 'outputIndex');
    renameKey(c, 'input', 'inputIndex');
  }
  r.formatVersion = RUN_REPORT_FORMAT_VERSION;
  return r as unknown as RunReport;
}

function renameKey(o: Record<string, unknown>, from: string, to: string): void {
  if (!(from in o) || to in o) return;
  o[to] = o[from];
  delete o[from];
}
