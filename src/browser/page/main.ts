/// <reference lib="dom" />
import type { ParamDescriptor } from '../devServer/paramDescriptors.ts';
import { DevConnection } from './devConnection.ts';
import { MeterView } from './meterView.ts';
import { wireNativeSection } from './nativeSection.ts';
import { ParameterPanel } from './parameterPanel.ts';
import { PageAudio } from './pageAudio.ts';
import { ParameterSender } from './parameterSender.ts';
import { type ToneKind, createFileSource, createToneSource, openMicrophone, wireFileInput } from './sources.ts';
import { enableWiredControls } from './wiredControls.ts';

/** engines.json, written beside the page by buildPage: what the page needs without a server. */
interface Catalog {
  engines: { name: string; descriptors: ParamDescriptor[]; defaults: Record<string, unknown>; presets: { name: string; params: Record<string, unknown> }[] }[];
}

/** Where the page's sound goes when a parameter changes: the worklet's engine (see pageAudio.ts). */
export interface AudioSink {
  setParameter(name: string, value: number): void;
  loadParams(params: Record<string, unknown>): void;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The development page: an engine and a preset, the parameter panel generated from the engine's
 * schema, meters, and the link to `rig dev` (parameters synced across tabs, synthetic meters while no
 * audio runs). Without a server it runs on its own from engines.json (pure browser mode).
 */
async function main(): Promise<void> {
  const catalog = (await (await fetch('engines.json')).json()) as Catalog;
  const engineSelect = $<HTMLSelectElement>('engine');
  const presetSelect = $<HTMLSelectElement>('preset');
  const state = $('connection');
  const meters = new MeterView('Meters');
  $('meters').replaceWith(meters.element);
  meters.element.id = 'meters';
  let engine = new URLSearchParams(location.search).get('engine') ?? 'reverb';
  if (!catalog.engines.some((e) => e.name === engine)) engine = catalog.engines[0].name;
  for (const e of catalog.engines) engineSelect.append(new Option(e.name, e.name));
  engineSelect.value = engine;

  let audio: AudioSink | null = null;
  let panel: ParameterPanel;
  let descriptors: ParamDescriptor[] = [];
  let lastServerStart: number | null = null;
  const isLive = (path: string) => descriptors.find((d) => d.path === path)?.live === true;

  const applyToAudio = (path: string | null, value: unknown) => {
    if (!audio) return;
    if (path !== null && isLive(path) && typeof value === 'number') audio.setParameter(path, value);
    else audio.loadParams(panel.values());
  };

  const conn = new DevConnection({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/rpc`,
    onState: (s, detail) => {
      state.dataset.state = s;
      state.textContent = s === 'connected' ? 'dev server: connected' : s === 'connecting' ? 'dev server: connecting…' : `dev server: offline — running in the browser alone (${detail})`;
    },
    onConnected: async (session) => {
      const restarted = lastServerStart !== null && session.serverStartedMs !== lastServerStart;
      lastServerStart = session.serverStartedMs;
      if (restarted) {
        // A new server knows nothing of this page's parameters: give it ours, then carry on as before.
        for (const [path, value] of Object.entries(flatten(panel.values(), descriptors))) await conn.call('setParameter', { engine, name: path, value });
      } else {
        const all = await conn.call<{ values: Record<string, unknown> }>('getAllParameters', { engine });
        panel.setAll(all.values);
        applyToAudio(null, null);
      }
      if (!audio) await conn.call('subscribeMeters', { channels: 2 });
    },
    onNotification: (method, params) => {
      if (method === 'meterUpdate' && !audio) meters.update(params as { peakDb: number[]; rmsDb: number[] }, 'synthetic meters from the dev server (no audio running)');
      if (method !== 'parameterChanged' || params.engine !== engine || params.origin === conn.connectionId) return;
      if (params.values) {
        panel.setAll(params.values as Record<string, unknown>);
        applyToAudio(null, null);
      } else {
        panel.setValue(params.name as string, params.value);
        applyToAudio(params.name as string, params.value);
      }
    },
  });
  const sender = new ParameterSender((name, value) => conn.call('setParameter', { engine, name, value }));

  const showEngine = (name: string) => {
    engine = name;
    const entry = catalog.engines.find((e) => e.name === name) ?? catalog.engines[0];
    descriptors = entry.descriptors;
    panel = new ParameterPanel(descriptors, (path, value) => {
      applyToAudio(path, value);
      if (conn.state === 'connected') sender.send(path, value);
    });
    panel.setAll(entry.defaults);
    $('panel').replaceChildren(panel.element);
    presetSelect.replaceChildren(new Option('(defaults)', ''), ...entry.presets.map((p) => new Option(p.name, p.name)));
  };
  showEngine(engine);

  engineSelect.onchange = () => {
    const url = new URL(location.href);
    url.searchParams.set('engine', engineSelect.value);
    location.assign(url.href);
  };
  presetSelect.onchange = async () => {
    const name = presetSelect.value;
    if (conn.state === 'connected' && name) {
      const loaded = await conn.call<{ values: Record<string, unknown> }>('loadPreset', { engine, name });
      panel.setAll(loaded.values);
    } else {
      const entry = catalog.engines.find((e) => e.name === engine);
      panel.setAll(structuredClone(entry?.presets.find((p) => p.name === name)?.params ?? entry?.defaults ?? {}));
    }
    applyToAudio(null, null);
  };
  $<HTMLButtonElement>('save').onclick = async () => {
    const name = $<HTMLInputElement>('save-name').value.trim();
    const out = $('save-result');
    try {
      const saved = await conn.call<{ file: string }>('savePreset', { engine, name });
      out.textContent = `saved ${saved.file}`;
    } catch (err) {
      out.textContent = (err as Error).message;
    }
  };
  let pageAudio: PageAudio | null = null;
  const status = $('audio-status');
  const say = (text: string) => { status.textContent = text; };
  const startAudio = async () => {
    if (pageAudio) return;
    try {
      pageAudio = await PageAudio.start(engine, panel.values());
    } catch (err) {
      say(`audio could not start: ${(err as Error).message}`);
      return;
    }
    audio = pageAudio;
    pageAudio.engine.onMeters((m) => meters.update(m, `${engine} in the AudioWorklet (${crossOriginIsolated ? 'SharedArrayBuffer ring' : 'postMessage'})`));
    pageAudio.engine.onError((message) => say(`engine: ${message}`));
    void conn.call('subscribeMeters', { channels: 0 }).catch(() => {});
    say(`${engine} running at ${pageAudio.ctx.sampleRate} Hz${pageAudio.hasInput ? ': choose a source' : ': press Note'}`);
  };
  $<HTMLButtonElement>('start-audio').onclick = startAudio;
  const play = async (what: () => Promise<import('./sources.ts').AudioSource | null>) => {
    if (!pageAudio) await startAudio();
    if (!pageAudio) return;
    const source = await what();
    if (!source) return;
    pageAudio.setSource(source);
    say(`${engine} ← ${source.label}`);
  };
  $<HTMLButtonElement>('play-tone').onclick = () => play(async () => createToneSource((pageAudio as PageAudio).ctx, $<HTMLSelectElement>('tone').value as ToneKind));
  wireFileInput($('drop-zone'), $<HTMLInputElement>('file'), (file) => void play(async () => {
    try {
      return await createFileSource((pageAudio as PageAudio).ctx, file);
    } catch (err) {
      say(`${file.name}: ${(err as Error).message}`);
      return null;
    }
  }));
  $<HTMLButtonElement>('microphone').onclick = () => play(async () => {
    const mic = await openMicrophone((pageAudio as PageAudio).ctx);
    if (!mic.ok) { say(mic.message); return null; }
    return mic.source;
  });
  $<HTMLButtonElement>('note').onclick = async () => {
    if (!pageAudio) await startAudio();
    pageAudio?.note();
  };
  $<HTMLButtonElement>('stop-source').onclick = () => { pageAudio?.setSource(null); say('source stopped'); };
  const native = wireNativeSection({
    context: async () => {
      await startAudio();
      if (!pageAudio) throw new Error('the page\'s audio did not start');
      return pageAudio.ctx;
    },
    insert: (node) => pageAudio?.insertAfterEngine(node),
  });

  // Every handler is in place: the controls that waited disabled for them take clicks now (wiredControls.ts).
  enableWiredControls(document);
  conn.start();
  // For tests and the console: the panel, the link, the audio (capture() records input and output aligned).
  Object.assign(globalThis, { studioRigPage: { get panel() { return panel; }, conn, meters, get audio() { return pageAudio; }, get native() { return native.node; } } });
}

/** The page's values at each descriptor path that has one (what a restarted server is told). */
function flatten(values: Record<string, unknown>, descriptors: readonly ParamDescriptor[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const d of descriptors) {
    let v: unknown = values;
    for (const k of d.path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    if (v !== undefined && d.kind !== 'other') out[d.path] = v;
  }
  return out;
}

main().catch((err: Error) => {
  const state = document.getElementById('connection');
  if (state) state.textContent = `the page failed to start: ${err.message}`;
  throw err;
});
