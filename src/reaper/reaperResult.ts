import { z } from 'zod';
import { describeIssues } from '../engine/params.ts';
import { PROTOCOL_VERSION, ProtocolVersionError } from './protocolVersionError.ts';

const lufs = z.number().nullable().default(null);

/**
 * REAPER's answer (`fl_control_result.json`, protocol version 1), written by the generated script — or,
 * when REAPER never answers, by the harness itself with status "timeout", so a report has one shape.
 *
 * `integrated_lufs` and `short_term_lufs` (the largest short-term loudness) are REAPER's figures for the
 * render where its API gives them, else null; `lufs` is the headline figure (the integrated one).
 * `fx_errors` lists every expected FX that differs: `name` is what REAPER has (null: no such track or
 * slot), `expected` what the command asked for. `tracks_verified` counts the tracks whose FX were read.
 */
export const reaperResultSchema = z.strictObject({
  version: z.literal(PROTOCOL_VERSION),
  request_id: z.string().min(1),
  status: z.enum(['ok', 'error', 'timeout']),
  message: z.string().default(''),
  lufs,
  integrated_lufs: lufs,
  short_term_lufs: lufs,
  fx_errors: z
    .array(z.strictObject({ track_index: z.number().int(), fx_index: z.number().int(), name: z.string().nullable(), expected: z.string() }))
    .default([]),
  tracks_verified: z.number().int().min(0).default(0),
});
export type ReaperResult = z.output<typeof reaperResultSchema>;

/** A result that is complete JSON but not a valid answer (the script and the harness disagree): never retried. */
export class ResultFormatError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: not a valid result: ${problems.join('; ')}`);
    this.name = 'ResultFormatError';
  }
}

/** What one read of the result file gave. */
export type ResultRead = { kind: 'partial'; reason: string } | { kind: 'result'; result: ReaperResult };

/**
 * Parses the text of a result file. Text that is not (yet) complete JSON is `partial` — REAPER may still
 * be writing it — and the caller reads again. A complete document of another protocol version throws
 * ProtocolVersionError (checked before the rest: another version's fields cannot be judged); any other
 * invalid document throws ResultFormatError.
 */
export function parseResult(text: string, file: string): ResultRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { kind: 'partial', reason: (e as Error).message };
  }
  const version = json !== null && typeof json === 'object' ? (json as Record<string, unknown>).version : undefined;
  if (version !== PROTOCOL_VERSION) throw new ProtocolVersionError(file, version);
  const parsed = reaperResultSchema.safeParse(json);
  if (!parsed.success) throw new ResultFormatError(file, describeIssues(parsed.error, json));
  return { kind: 'result', result: parsed.data };
}

/** The harness's own result when REAPER did not answer in time: the report keeps one shape. */
export function timeoutResult(requestId: string, message: string): ReaperResult {
  return {
    version: PROTOCOL_VERSION, request_id: requestId, status: 'timeout', message,
    lufs: null, integrated_lufs: null, short_term_lufs: null, fx_errors: [], tracks_verified: 0,
  };
}
