import { closeSync, existsSync, openSync, readSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';

/**
 * Third-party plugins installed in the standard folders, for LIST_PLUGINS. Each is checked, not loaded
 * (no plugin code runs in the bridge): a VST3 bundle's Linux binary and an LV2 bundle's binary must be
 * ELF shared objects, an LV2 bundle needs a manifest.ttl declaring a plugin, a LADSPA library must be an
 * ELF shared object. Anything else is listed with `valid: false` and the reason — never a crash.
 *
 * Folders: VST3 `~/.vst3`, `/usr/lib/vst3`, `/usr/local/lib/vst3`; LV2 `~/.lv2`, `/usr/lib/lv2`,
 * `/usr/local/lib/lv2`; LADSPA `~/.ladspa`, `/usr/lib/ladspa`, `/usr/local/lib/ladspa`. The hosts'
 * usual variables replace a format's list: `VST3_PATH`, `LV2_PATH`, `LADSPA_PATH` (separated by ':').
 * Each folder is read one level deep, at most `MAX_ENTRIES_PER_FOLDER` entries.
 */
export type PluginFormat = 'vst3' | 'lv2' | 'ladspa';

export interface ThirdPartyPlugin {
  format: PluginFormat;
  name: string;
  path: string;
  valid: boolean;
  /** Why it is invalid (absent when valid). */
  reason?: string;
  /** LV2: the plugin's URI. */
  uri?: string;
}

export type PluginSearchPaths = Record<PluginFormat, readonly string[]>;

export const MAX_ENTRIES_PER_FOLDER = 2000;
/** Largest manifest.ttl read, bytes. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** The folders searched, from the environment (`VST3_PATH`, `LV2_PATH`, `LADSPA_PATH`) or the standard ones. */
export function pluginSearchPaths(env: NodeJS.ProcessEnv = process.env, home = homedir()): PluginSearchPaths {
  const from = (v: string | undefined, standard: string[]) => (v ? v.split(delimiter).filter(Boolean) : standard);
  return {
    vst3: from(env.VST3_PATH, [join(home, '.vst3'), '/usr/lib/vst3', '/usr/local/lib/vst3']),
    lv2: from(env.LV2_PATH, [join(home, '.lv2'), '/usr/lib/lv2', '/usr/local/lib/lv2']),
    ladspa: from(env.LADSPA_PATH, [join(home, '.ladspa'), '/usr/lib/ladspa', '/usr/local/lib/ladspa']),
  };
}

/** Every plugin found in `paths`, sorted by format, then path. */
export function scanThirdPartyPlugins(paths: PluginSearchPaths = pluginSearchPaths()): ThirdPartyPlugin[] {
  const found: ThirdPartyPlugin[] = [];
  for (const dir of paths.vst3) for (const e of entries(dir, '.vst3')) found.push(checkVst3(join(dir, e)));
  for (const dir of paths.lv2) for (const e of entries(dir, '.lv2')) found.push(...checkLv2(join(dir, e)));
  for (const dir of paths.ladspa) for (const e of entries(dir, '.so')) found.push(checkLadspa(join(dir, e)));
  return found.sort((a, b) => a.format.localeCompare(b.format) || a.path.localeCompare(b.path));
}

function entries(dir: string, suffix: string): string[] {
  try {
    return readdirSync(dir).filter((e) => e.endsWith(suffix)).sort().slice(0, MAX_ENTRIES_PER_FOLDER);
  } catch {
    return []; // a folder that does not exist (or cannot be read) has no plugins
  }
}

/** Null when `path` is an ELF shared object (the first 4 bytes are 0x7f 'E' 'L' 'F'), else why not. */
export function elfProblem(path: string): string | null {
  let fd: number | undefined;
  try {
    if (!statSync(path).isFile()) return `${basename(path)} is not a file`;
    fd = openSync(path, 'r');
    const magic = Buffer.alloc(4);
    const n = readSync(fd, magic, 0, 4, 0);
    return n === 4 && magic.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) ? null : `${basename(path)} is not an ELF shared object`;
  } catch (err) {
    return `${basename(path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const vst3Arch = () => (process.arch === 'arm64' ? 'aarch64-linux' : process.arch === 'ia32' ? 'i386-linux' : 'x86_64-linux');

/** A VST3 bundle: `<Name>.vst3/Contents/<arch>-linux/<Name>.so` (VST 3 SDK, "Plug-in Format Structure"). */
function checkVst3(path: string): ThirdPartyPlugin {
  const name = basename(path, '.vst3');
  const plugin = { format: 'vst3' as const, name, path };
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    return { ...plugin, valid: false, reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (!isDir) return { ...plugin, valid: false, reason: 'a single-file VST3 (Windows-style); Linux plugins are bundles' };
  const binary = join(path, 'Contents', vst3Arch(), `${name}.so`);
  if (!existsSync(binary)) return { ...plugin, valid: false, reason: `no binary Contents/${vst3Arch()}/${name}.so` };
  const problem = elfProblem(binary);
  return problem ? { ...plugin, valid: false, reason: problem } : { ...plugin, valid: true };
}

/**
 * An LV2 bundle: manifest.ttl declaring each plugin `<uri> a lv2:Plugin ; lv2:binary <x.so>`. Read with
 * a deliberately small Turtle reader (subject blocks split at ' .' ends; prefixed and full IRIs);
 * `doap:name` is taken from the manifest or the bundle's other .ttl files, else the URI's last part.
 */
function checkLv2(path: string): ThirdPartyPlugin[] {
  const bundle = basename(path, '.lv2');
  const invalid = (reason: string): ThirdPartyPlugin[] => [{ format: 'lv2', name: bundle, path, valid: false, reason }];
  const manifestPath = join(path, 'manifest.ttl');
  let manifest: string;
  try {
    if (statSync(manifestPath).size > MAX_MANIFEST_BYTES) return invalid(`manifest.ttl is larger than ${MAX_MANIFEST_BYTES} bytes`);
    manifest = readFileSync(manifestPath, 'utf8');
  } catch (err) {
    return invalid(`no readable manifest.ttl (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const blocks = turtleBlocks(manifest);
  const plugins = blocks.filter((b) => /\ba\s+(lv2:Plugin|<http:\/\/lv2plug\.in\/ns\/lv2core#Plugin>)/.test(b.body));
  if (plugins.length === 0) return invalid('manifest.ttl declares no lv2:Plugin');
  const otherText = otherTtl(path);
  return plugins.map((b) => {
    const uri = b.subject;
    const named = nameOf(blocks, uri) ?? nameOf(turtleBlocks(otherText), uri);
    const plugin = { format: 'lv2' as const, name: named ?? uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('#'), uri.lastIndexOf(':')) + 1), path, uri };
    const binary = /lv2:binary\s+<([^>]+)>/.exec(b.body)?.[1];
    if (!binary) return { ...plugin, valid: false, reason: 'no lv2:binary in manifest.ttl' };
    if (binary.includes('..') || binary.startsWith('/')) return { ...plugin, valid: false, reason: `lv2:binary ${binary} is outside the bundle` };
    const problem = elfProblem(join(path, binary));
    return problem ? { ...plugin, valid: false, reason: problem } : { ...plugin, valid: true };
  });
}

function otherTtl(dir: string): string {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.ttl') && f !== 'manifest.ttl').slice(0, 20)
      .map((f) => {
        const p = join(dir, f);
        return statSync(p).size <= MAX_MANIFEST_BYTES ? readFileSync(p, 'utf8') : '';
      }).join('\n.\n');
  } catch {
    return '';
  }
}

function nameOf(blocks: { subject: string; body: string }[], uri: string): string | undefined {
  for (const b of blocks) {
    if (b.subject !== uri) continue;
    const m = /doap:name\s+"((?:[^"\\]|\\.)*)"/.exec(b.body);
    if (m) return m[1].slice(0, 200);
  }
  return undefined;
}

/** Subject blocks of a Turtle text: `<subject> predicate object ; … .` (comments and prefixes dropped). */
function turtleBlocks(text: string): { subject: string; body: string }[] {
  const lines = text.split('\n').filter((l) => !/^\s*(#|@prefix|PREFIX)/i.test(l)).join('\n');
  const blocks: { subject: string; body: string }[] = [];
  for (const part of lines.split(/\s\.\s*(?:\n|$)/)) {
    const m = /^\s*<([^>]*)>([\s\S]*)$/.exec(part);
    if (m) blocks.push({ subject: m[1], body: m[2] });
  }
  return blocks;
}

/** A LADSPA library: an ELF shared object (its descriptors are only known by loading it, which the bridge does not). */
function checkLadspa(path: string): ThirdPartyPlugin {
  const problem = elfProblem(path);
  const plugin = { format: 'ladspa' as const, name: basename(path, '.so'), path };
  return problem ? { ...plugin, valid: false, reason: problem } : { ...plugin, valid: true };
}
