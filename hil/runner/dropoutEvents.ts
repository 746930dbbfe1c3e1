import type { DropoutFinding } from '../report/runReport.ts';

/** Distinct dropout events: findings on any channel within 1 ms of each other are one event of the stream. */
export function dropoutEvents(findings: readonly DropoutFinding[], sampleRate: number): number {
  const starts = findings.map((d) => d.startFrame).sort((a, b) => a - b);
  const window = sampleRate / 1000;
  let events = 0;
  let last = -Infinity;
  for (const s of starts) {
    if (s - last > window) events++;
    last = s;
  }
  return events;
}
