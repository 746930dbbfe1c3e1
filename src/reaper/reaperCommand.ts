import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../engine/params.ts';
import { PROTOCOL_VERSION } from './protocolVersionError.ts';

/**
 * The command Studio Rig hands to REAPER (`fl_control_command.json`, protocol version 1).
 *
 * Every action opens `rpp_path` and checks `expected_fx`; `calibrate` and `render` then apply
 * `track_calibration`; `render` renders to `render_path` and reads REAPER's loudness figures. Track and
 * FX indices are 0-based, as in REAPER's API. Levels are REAPER's linear amplitude factors (D_VOL:
 * 1 = 0 dB, 0.5 ≈ −6.02 dB), pan −1 (left) … +1 (right).
 */
const trackIndex = z.number().int().min(0).max(9999);

export const trackCalibrationSchema = z.strictObject({
  track_index: trackIndex,
  /** Track volume as a linear factor (REAPER's D_VOL), 0 … 16 (+24 dB). */
  volume: z.number().min(0).max(16).optional(),
  /** Track pan (D_PAN), −1 … +1. */
  pan: z.number().min(-1).max(1).optional(),
  /** Sends created from this track, each at a linear level (the send's D_VOL). */
  sends: z.array(z.strictObject({ dest_track_index: trackIndex, level: z.number().min(0).max(16) })).default([]),
});

export const expectedFxSchema = z.strictObject({
  track_index: trackIndex,
  fx_index: z.number().int().min(0).max(999),
  /** The FX name as REAPER shows it ("VST: ReaEQ (Cockos)"); the type prefix ("VST: ") may be left out. */
  name: z.string().min(1),
});

export const ACTIONS = ['calibrate', 'verify_fx', 'render'] as const;

/** The fields a user writes in a command file (`rig reaper run <command.json>`). */
const commandFields = {
  action: z.enum(ACTIONS),
  rpp_path: z.string().min(1),
  /** Where the render goes (the project's render format decides the file type; WAV for our meter). */
  render_path: z.string().min(1).optional(),
  /** How long the harness waits for REAPER's answer, seconds. */
  timeout: z.number().positive().max(86_400).default(300),
  track_calibration: z.array(trackCalibrationSchema).default([]),
  expected_fx: z.array(expectedFxSchema).default([]),
};

const withRenderPath = <T extends { action: string; render_path?: string }>(c: T, ctx: z.RefinementCtx): void => {
  if (c.action === 'render' && c.render_path === undefined) ctx.addIssue({ code: 'custom', path: ['render_path'], message: 'expected a path: the render action needs render_path' });
};

/** A command file as a user writes it: `version` may be left out, the request id is the harness's. */
export const commandFileSchema = z.strictObject({ version: z.literal(PROTOCOL_VERSION).optional(), ...commandFields }).superRefine(withRenderPath);
export type CommandFile = z.output<typeof commandFileSchema>;

/** The command on the wire: versioned, with the request id its result must echo. */
export const reaperCommandSchema = z.strictObject({ version: z.literal(PROTOCOL_VERSION), request_id: z.string().min(1), ...commandFields }).superRefine(withRenderPath);
export type ReaperCommand = z.output<typeof reaperCommandSchema>;

/** A bad command file or configuration: one line naming the file and the field. */
export class CommandError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'CommandError';
  }
}

/** A fresh request id: a result answers a command only when it echoes this. */
export function newRequestId(): string {
  return randomUUID();
}

/** Stamps a validated command file with the protocol version and a new request id. */
export function toWireCommand(command: CommandFile, requestId: string = newRequestId()): ReaperCommand {
  return { ...command, version: PROTOCOL_VERSION, request_id: requestId };
}

/** Validates a parsed command document; relative paths are resolved against `baseDir` (REAPER's working folder is unknown). */
export function parseCommandFile(input: unknown, file: string, baseDir: string = dirname(resolve(file))): CommandFile {
  const parsed = commandFileSchema.safeParse(input);
  if (!parsed.success) throw new CommandError(file, describeIssues(parsed.error, input));
  const c = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return { ...c, rpp_path: abs(c.rpp_path), ...(c.render_path === undefined ? {} : { render_path: abs(c.render_path) }) };
}

/** Reads and validates a command file; every failure is a CommandError naming the file (and field). */
export function readCommandFile(file: string): CommandFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CommandError(file, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CommandError(file, [`is not valid JSON (${(e as Error).message})`]);
  }
  return parseCommandFile(json, file);
}

/** `path`'s kind on disk, or why it cannot be seen. */
function kindOf(path: string): 'file' | 'folder' | string {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch (e) {
    return `cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

/**
 * The checks REAPER would only answer late (after the harness waited): `rpp_path` is a file and the
 * folder of `render_path` exists. REAPER and the harness share a machine (they share the resource folder).
 */
export function checkCommandPaths(command: CommandFile, file: string): void {
  const problems: string[] = [];
  const rpp = kindOf(command.rpp_path);
  if (rpp !== 'file') problems.push(`rpp_path: ${command.rpp_path} ${rpp === 'folder' ? 'is a folder, not a project file' : rpp}`);
  if (command.render_path !== undefined) {
    const folder = kindOf(dirname(command.render_path));
    if (folder !== 'folder') problems.push(`render_path: the folder of ${command.render_path} ${folder === 'file' ? 'is a file' : folder}`);
  }
  if (problems.length) throw new CommandError(file, problems);
}
