import type { DropoutFinding } from '../report/runReport.ts';
import { streamEventStarts } from './dropoutAttribution.ts';

/** Distinct dropout events: findings on any channel within 1 ms of each other are one event of the stream. */
export function dropoutEvents(findings: readonly DropoutFinding[], sampleRate: number): number {
  return streamEventStarts(findings, sampleRate).length;
}
