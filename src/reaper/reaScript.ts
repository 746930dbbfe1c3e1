import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_FILE, RESULT_FILE } from './protocolFiles.ts';
import { PROTOCOL_VERSION } from './protocolVersionError.ts';

/**
 * REAPER's "File: Render project, using the most recent render settings, auto-close render dialog"
 * (41824 is the same without closing the dialog).
 */
export const RENDER_ACTION_ID = 42230;

/** Every `RPR_` function the script calls; it checks they exist before doing anything. */
export const REQUIRED_API = [
  'GetResourcePath', 'Main_openProject', 'EnumProjects', 'CountTracks', 'GetTrack', 'TrackFX_GetCount', 'TrackFX_GetFXName',
  'SetMediaTrackInfo_Value', 'CreateTrackSend', 'SetTrackSendInfo_Value', 'GetSetProjectInfo_String', 'Main_OnCommand',
] as const;

/** The file names the script is installed under, in `<resource>/Scripts/`: one-shot, and watching. */
export const SCRIPT_FILE = 'studio_rig_reaper.py';
export const WATCH_SCRIPT_FILE = 'studio_rig_reaper_watch.py';

export interface ReaScriptOptions {
  /**
   * Keep running inside REAPER (re-registered with RPR_defer) and answer every command that appears,
   * looking every 0.2 s; default false: answer the pending command once and end.
   */
  watch?: boolean;
}

const part = (name: string): string => readFileSync(join(import.meta.dirname, name), 'utf8');
/** An inserted part without its first line (a note to whoever opens the part alone). */
const inserted = (name: string): string => part(name).replace(/^[^\n]*\n/, '').trimEnd();

/**
 * The Python ReaScript for this protocol version: `reaScript.template.py` with the protocol constants
 * filled in and its two parts inserted — the JSON codec (`reaScriptJson.py`) and the checked REAPER
 * calls (`reaScriptReaperCalls.py`). An unknown token is a bug here, thrown, never a broken script.
 */
export function generateReaScript({ watch = false }: ReaScriptOptions = {}): string {
  const values: Record<string, string> = {
    PROTOCOL_VERSION: String(PROTOCOL_VERSION),
    COMMAND_FILE,
    RESULT_FILE,
    RENDER_ACTION: String(RENDER_ACTION_ID),
    WATCH: watch ? 'True' : 'False',
    REQUIRED_API: REQUIRED_API.map((n) => `"${n}"`).join(', '),
    JSON_CODEC: inserted('reaScriptJson.py'),
    REAPER_CALLS: inserted('reaScriptReaperCalls.py'),
  };
  const text = part('reaScript.template.py').replace(/\{\{(\w+)\}\}/g, (token, name: string) => {
    if (!(name in values)) throw new Error(`reaScript.template.py: unknown token ${token}`);
    return values[name];
  });
  return text;
}
