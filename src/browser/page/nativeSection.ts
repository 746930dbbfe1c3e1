/// <reference lib="dom" />
import { NativePluginNode } from '../../bridge/browser/nativePluginNode.ts';

/** One parameter's metadata as LIST_PLUGINS gives it (src/bridge/paramMetadata.ts). */
export interface BridgeParam {
  name: string;
  min: number | null;
  max: number | null;
  default: number | null;
  unit: string | null;
  integer: boolean;
}

/** One engine of LIST_PLUGINS. */
export interface BridgeEngine {
  engine: string;
  kind: string;
  numInputs: number;
  numOutputs: number;
  params: BridgeParam[];
  presets: { name: string }[];
}

/** Where the section puts the loaded node: between the page's engine and the speakers (pageAudio.ts). */
export interface NativeInsert {
  context(): Promise<AudioContext>;
  insert(node: AudioNode | null): void;
}

export const DEFAULT_BRIDGE_URL = 'ws://127.0.0.1:8080/bridge';
const PROTOCOL = { protocol: 'studio-rig-bridge', version: 1 } as const;

type Detection =
  | { ok: true; bridgeVersion: string; engines: BridgeEngine[]; thirdParty: number }
  | { ok: false; message: string };

/**
 * Asks the companion at `url` whether it runs (HELLO with `token`, then LIST_PLUGINS) on a socket of
 * its own, closed after: a refused HELLO (token missing or wrong, another protocol version) or no
 * answer comes back as a message a user can act on.
 */
export function detectBridge(url: string, token: string, timeoutMs = 5000): Promise<Detection> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      resolve({ ok: false, message: `not a WebSocket URL: ${(err as Error).message}` });
      return;
    }
    let bridgeVersion = '';
    const done = (d: Detection) => {
      clearTimeout(timer);
      ws.onclose = null;
      ws.close();
      resolve(d);
    };
    const timer = setTimeout(() => done({ ok: false, message: `no answer from ${url} within ${timeoutMs} ms` }), timeoutMs);
    ws.onerror = () => done({ ok: false, message: `no companion at ${url} (is \`rig bridge\` running, with --allow-origin ${location.origin}?)` });
    ws.onclose = (e) => done({ ok: false, message: `the companion closed the connection (${e.code} ${e.reason})` });
    ws.onopen = () => ws.send(JSON.stringify({ type: 'HELLO', ...PROTOCOL, ...(token ? { token } : {}) }));
    ws.onmessage = (e) => {
      const m = JSON.parse(String(e.data)) as Record<string, unknown>;
      if (m.type === 'WELCOME') {
        bridgeVersion = String(m.bridgeVersion);
        ws.send(JSON.stringify({ type: 'LIST_PLUGINS' }));
      } else if (m.type === 'PLUGINS') {
        done({ ok: true, bridgeVersion, engines: m.engines as BridgeEngine[], thirdParty: (m.thirdParty as unknown[]).length });
      } else if (m.type === 'ERROR') {
        const hint = m.code === 'token-required' || m.code === 'wrong-token' ? ' — paste the "token:" line `rig bridge` printed' : '';
        done({ ok: false, message: `${String(m.code)}: ${String(m.message)}${hint}` });
      }
    };
  });
}

/** A knob (range input) per parameter with a finite range, from LIST_PLUGINS' metadata. */
export function nativeKnobs(params: readonly BridgeParam[], onInput: (name: string, value: number) => void): HTMLElement {
  const panel = document.createElement('div');
  panel.className = 'param-panel';
  for (const p of params) {
    if (p.min === null || p.max === null) continue;
    const row = document.createElement('div');
    row.className = 'param-row';
    row.dataset.nativeParam = p.name;
    const label = document.createElement('label');
    label.textContent = p.name;
    const input = Object.assign(document.createElement('input'), {
      type: 'range', min: String(p.min), max: String(p.max), step: p.integer ? '1' : String((p.max - p.min) / 1000), value: String(p.default ?? p.min),
    });
    const output = document.createElement('output');
    const show = () => { output.textContent = `${input.value}${p.unit ? ` ${p.unit}` : ''}`; };
    show();
    input.oninput = () => {
      show();
      onInput(p.name, Number(input.value));
    };
    const controls = document.createElement('div');
    controls.className = 'controls';
    controls.append(input);
    row.append(label, controls, output);
    panel.append(row);
  }
  return panel;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The dev page's Native section: detects the companion (`rig bridge`, at a URL and with the pairing
 * token the user gives), lists its engines, loads an effect into the page's audio graph through
 * NativePluginNode (after the page's engine, before the speakers), one knob per parameter from the
 * metadata, live counters; the warning that native processing runs outside the browser's sandbox is in
 * the page itself (index.html). The bridge must allow this page's origin (`--allow-origin`).
 */
export function wireNativeSection(audio: NativeInsert): { get node(): NativePluginNode | null } {
  const status = $('native-status');
  const select = $<HTMLSelectElement>('native-engine');
  const load = $<HTMLButtonElement>('native-load');
  const unload = $<HTMLButtonElement>('native-unload');
  const counts = $('native-counts');
  const knobs = $('native-knobs');
  const say = (state: string, text: string) => { status.dataset.state = state; status.textContent = text; };
  let engines: BridgeEngine[] = [];
  let node: NativePluginNode | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;
  const settings = () => ({ url: $<HTMLInputElement>('native-url').value.trim() || DEFAULT_BRIDGE_URL, token: $<HTMLInputElement>('native-token').value.trim() });

  const detect = $<HTMLButtonElement>('native-detect');
  detect.onclick = async () => {
    say('connecting', 'asking the companion…');
    const { url, token } = settings();
    const found = await detectBridge(url, token);
    if (!found.ok) {
      say('offline', found.message);
      return;
    }
    engines = found.engines;
    const table = $<HTMLTableElement>('native-engines');
    table.replaceChildren();
    for (const e of engines) {
      const tr = table.insertRow();
      for (const cell of [e.engine, e.kind, `${e.numInputs}/${e.numOutputs}`, e.params.map((p) => p.name).join(', ')]) tr.insertCell().textContent = cell;
    }
    select.replaceChildren(...engines.filter((e) => e.kind === 'effect').map((e) => new Option(e.engine, e.engine)));
    load.disabled = select.options.length === 0 || node !== null;
    say('connected', `companion running: bridge ${found.bridgeVersion}, ${engines.length} engines, ${found.thirdParty} third-party plugins found`);
  };

  const stop = () => {
    clearInterval(timer);
    audio.insert(null);
    node?.close();
    node = null;
    knobs.replaceChildren();
    load.disabled = engines.length === 0;
    unload.disabled = true;
  };

  load.onclick = async () => {
    const engine = engines.find((e) => e.engine === select.value);
    if (!engine) return;
    load.disabled = true;
    const { url, token } = settings();
    try {
      const context = await audio.context();
      node = await NativePluginNode.create(context, { wsUrl: url, token: token || undefined, engine: engine.engine, channels: engine.numInputs, moduleBase: new URL('/native/', location.href) });
    } catch (err) {
      say('offline', `${engine.engine} could not be loaded: ${(err as Error).message}`);
      load.disabled = false;
      return;
    }
    const loaded = node;
    audio.insert(loaded);
    knobs.replaceChildren(nativeKnobs(engine.params, (name, value) => loaded.setParam(name, value)));
    unload.disabled = false;
    say('connected', `${engine.engine} loaded in the companion (instance ${loaded.loaded.instance}), ${loaded.latencyQuanta} quanta of declared latency`);
    timer = setInterval(() => {
      const c = loaded.counts();
      counts.textContent = `quanta ${c.quanta}, sent ${c.sent}, played ${c.played}, silent ${c.missing}`;
      counts.dataset.played = String(c.played);
    }, 250);
  };
  unload.onclick = stop;
  return { get node() { return node; } };
}
