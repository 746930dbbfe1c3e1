/// <reference lib="dom" />
import type { ParamDescriptor } from '../devServer/paramDescriptors.ts';
import type { RigMetrics, RigSpectrogram } from '../devServer/effectFeed.ts';
import type { RigView } from '../devServer/rigAttachment.ts';
import { ArrivalTracker } from './arrivalTracker.ts';
import { DevConnection } from './devConnection.ts';
import { MeterView } from './meterView.ts';
import { ParameterPanel } from './parameterPanel.ts';
import { ParameterSender } from './parameterSender.ts';
import { type PointM, TransducerGridView } from './transducerGridView.ts';
import { enableWiredControls } from './wiredControls.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** How often the effect's spectrogram is asked for (the dev server takes one snapshot a second at most). */
const SPECTROGRAM_EVERY_MS = 3000;
/** Seconds of output a spectrogram covers. */
const SPECTROGRAM_SECONDS = 1;
/** Labels of the metrics `rig serve` pushes, in the order shown; others follow under their own name. */
const METRIC_LABELS: Record<string, string> = {
  rms_dbfs: 'RMS', peak_dbfs: 'peak', crest_factor: 'crest factor', spectral_centroid: 'spectral centroid',
  bandwidth: 'bandwidth', flatness: 'spectral flatness', rt60_estimate: 'RT60 estimate', rms: 'RMS (linear)', peak: 'peak (linear)',
};

/** A metric's value as shown: decimals by unit. */
function formatMetric(value: number, unit: string): string {
  const digits = unit === 'Hz' ? 0 : unit === 'dB' || unit === 'dBFS' ? 1 : unit === 's' ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** The effect's live metrics as a figure list: one `dd[data-metric]` per metric, its number in `data-value`. */
function showMetrics(list: HTMLElement, m: RigMetrics): void {
  const names = [...Object.keys(METRIC_LABELS).filter((n) => n in m.values), ...Object.keys(m.values).filter((n) => !(n in METRIC_LABELS))];
  list.replaceChildren(...names.flatMap((name) => {
    const { value, unit } = m.values[name];
    const dt = document.createElement('dt');
    dt.textContent = METRIC_LABELS[name] ?? name;
    const dd = document.createElement('dd');
    dd.textContent = formatMetric(value, unit);
    dd.dataset.metric = name;
    dd.dataset.value = String(value);
    return [dt, dd];
  }));
  list.dataset.pushes = String(m.pushes);
}

/** The corners of the layout's bounding box and its centre: where a test note can be aimed. */
function targets(positions: readonly PointM[]): { name: string; at: PointM }[] {
  const xs = positions.map((p) => p.xM);
  const ys = positions.map((p) => p.yM);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  return [
    { name: 'first corner', at: { xM: x0, yM: y0 } }, { name: 'second corner', at: { xM: x1, yM: y0 } },
    { name: 'third corner', at: { xM: x0, yM: y1 } }, { name: 'last corner', at: { xM: x1, yM: y1 } },
    { name: 'centre', at: { xM: (x0 + x1) / 2, yM: (y0 + y1) / 2 } },
  ];
}

/**
 * The live dashboard of a running `rig serve` (through `rig dev --attach`): the transducers where the
 * configuration puts them with their live levels, the arrival order of a test note's wave, active
 * stimuli per pool, steals and drops, the server's load and counters, the connection state of both
 * links, live parameters, and test note / MPE glide / panic sent through the server's OSC transport.
 */
function main(): void {
  const grid = new TransducerGridView($('grid'));
  const meters = new MeterView('Output levels');
  meters.element.hidden = true;
  $('grid').after(meters.element);
  const tracker = new ArrivalTracker(-60);
  const figures = $('figures');
  const rigState = $('rig-state');
  const corner = $<HTMLSelectElement>('corner');
  const result = $('play-result');
  let view: RigView | null = null;
  let aims: { name: string; at: PointM }[] = [];
  const frameTimes: number[] = [];
  let panel: ParameterPanel | null = null;
  let spectrogramTimer: number | undefined;
  let spectrogramBusy = false;

  /** Asks for the effect's output spectrogram now and every SPECTROGRAM_EVERY_MS while an effect is attached. */
  async function refreshSpectrogram(): Promise<void> {
    if (spectrogramBusy || view?.engine === 'haptic' || view?.state !== 'connected') return;
    spectrogramBusy = true;
    try {
      const sg = await conn.call<RigSpectrogram>('rigSpectrogram', { seconds: SPECTROGRAM_SECONDS });
      const img = $<HTMLImageElement>('spectrogram');
      img.src = `data:image/png;base64,${sg.pngBase64}`;
      img.dataset.takenEpochMs = String(sg.takenEpochMs);
      $('spectrogram-caption').textContent = `last ${sg.seconds.toFixed(2)} s of ${sg.engine}'s output (channel 1), ${Math.round(sg.frequencyRangeHz[0])}–${Math.round(sg.frequencyRangeHz[1])} Hz on a log axis, at ${new Date(sg.takenEpochMs).toLocaleTimeString()}`;
    } catch (err) {
      $('spectrogram-caption').textContent = `spectrogram: ${(err as Error).message}`;
    } finally {
      spectrogramBusy = false;
    }
  }

  const conn = new DevConnection({
    url: `ws://${location.host}/rpc`,
    onState: (s) => { $('connection').dataset.state = s; $('connection').textContent = `dev server: ${s}`; },
    onConnected: async (session) => {
      if (!session.attached) {
        rigState.dataset.state = 'offline';
        rigState.textContent = 'rig: not attached — start the dev server with `rig dev --attach [host:port]`';
        return;
      }
      await conn.call('subscribeRig', { on: true });
      const all = await conn.call<{ descriptors: ParamDescriptor[]; values: Record<string, unknown> }>('getAllParameters', { engine: 'haptic' });
      const sender = new ParameterSender((name, value) => conn.call('rigSetParameter', { name, value }));
      panel = new ParameterPanel(all.descriptors.filter((d) => d.live), (name, value) => sender.send(name, value));
      panel.setAll(all.values);
      $('rig-params').replaceChildren(panel.element);
    },
    onNotification: (method, params) => {
      if (method === 'parameterChanged' && params.engine === 'haptic' && params.name && panel) panel.setValue(params.name as string, params.value);
      if (method === 'rigStatus') show(params as unknown as RigView);
      if (method === 'rigMetrics') {
        const m = params as unknown as RigMetrics;
        showMetrics($('metrics'), m);
        $('metrics-caption').textContent = `${m.engine}: push ${m.pushes}, at ${new Date(m.receivedEpochMs).toLocaleTimeString()}`;
      }
    },
  });

  function show(v: RigView): void {
    view = v;
    const now = performance.now();
    frameTimes.push(now);
    while (frameTimes.length && frameTimes[0] < now - 1000) frameTimes.shift();
    rigState.dataset.state = v.state;
    rigState.textContent = `rig: ${v.state} (${v.target})`;
    grid.layout(v.positionsM);
    if (aims.length === 0) {
      aims = targets(v.positionsM);
      corner.replaceChildren(...aims.map((a, k) => new Option(`${a.name} (${a.at.xM.toFixed(2)}, ${a.at.yM.toFixed(2)}) m`, String(k))));
    }
    $('config').textContent = JSON.stringify(v.config, null, 1);
    const s = v.status;
    if (!s) return;
    // The grid is the haptic engine's; any other engine on the live host gets plain meters.
    const haptic = (v.engine ?? s.engine) === 'haptic';
    $('grid').hidden = !haptic;
    $('grid-caption').hidden = !haptic;
    $('haptic-controls').hidden = !haptic;
    $('effect').hidden = haptic;
    $('grid-title').textContent = haptic ? 'Transducers' : `${v.engine} (live effect)`;
    meters.element.hidden = haptic;
    if (!haptic && spectrogramTimer === undefined) {
      void refreshSpectrogram();
      spectrogramTimer = window.setInterval(() => void refreshSpectrogram(), SPECTROGRAM_EVERY_MS);
    } else if (haptic && spectrogramTimer !== undefined) {
      window.clearInterval(spectrogramTimer);
      spectrogramTimer = undefined;
    }
    if (!haptic && s.levels.frames > 0) meters.update({ peakDb: s.levels.peakDbfs, rmsDb: s.levels.rmsDbfs }, `${s.engine} on ${s.rig.name}: levels since the previous status`);
    // A status that covers no period (asked again before the rig's next callback) has no levels: keep the last.
    if (s.levels.frames > 0) {
      grid.levels(s.levels.peakDbfs, s.levels.rmsDbfs);
      tracker.update(s.clock.frameIndex, s.levels.peakDbfs);
    }
    grid.arrivals(tracker.frames(), tracker.ranks());
    const es = (s.engineStatus ?? {}) as { activeTravelling?: number; activeStanding?: number };
    const st = (s.engineStats ?? {}) as { steals?: number; drops?: number; notesStarted?: number };
    const hapticOnly = new Set(['activeTravelling', 'activeStanding', 'steals', 'drops', 'notesStarted']);
    const rows: [string, string, string][] = ([
      ['status frames per second', String(frameTimes.length), 'fps'],
      ['stream frame', String(s.clock.frameIndex), 'frame'],
      ['travelling stimuli', `${es.activeTravelling ?? '—'} of ${v.pools.travelling}`, 'activeTravelling'],
      ['standing stimuli', `${es.activeStanding ?? '—'} of ${v.pools.standing}`, 'activeStanding'],
      ['steals', String(st.steals ?? '—'), 'steals'],
      ['drops', String(st.drops ?? '—'), 'drops'],
      ['notes started', String(st.notesStarted ?? '—'), 'notesStarted'],
      ['load (mean / max of a period)', `${(s.load.meanBlock * 100).toFixed(1)} % / ${(s.load.maxBlock * 100).toFixed(1)} %`, 'load'],
      ['underruns', String(s.counts.underruns), 'underruns'],
      ['late events', String(s.counts.lateEvents), 'lateEvents'],
      ['queue full', String(s.counts.queueFull), 'queueFull'],
      ['panics', String(s.counts.panics), 'panics'],
      ['rig', `${s.rig.name}, ${s.rig.sampleRate} Hz, ${s.rig.periodFrames} frames`, 'rig'],
    ] as [string, string, string][]).filter(([, , key]) => haptic || !hapticOnly.has(key));
    figures.replaceChildren(...rows.flatMap(([label, value, key]) => {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.figure = key;
      return [dt, dd];
    }));
    $('grid-caption').textContent = `${v.positionsM.length} transducers from the engine configuration; colour = peak since the previous status; #n = arrival order of the last test note's wave`;
  }

  const play = async (what: string, call: () => Promise<unknown>) => {
    try {
      await call();
      result.textContent = `${what} sent`;
    } catch (err) {
      result.textContent = `${what}: ${(err as Error).message}`;
    }
  };
  $<HTMLButtonElement>('test-note').onclick = () => play('test note', async () => {
    const aim = aims[Number(corner.value)];
    tracker.arm(view?.positionsM.length ?? 0);
    grid.arrivals(tracker.frames(), tracker.ranks());
    await conn.call('rigNote', { at: aim.at, durationMs: 1500 });
  });
  $<HTMLButtonElement>('glide').onclick = () => play('MPE glide', async () => {
    const from = aims[Number(corner.value)].at;
    const centre = aims[4].at;
    await conn.call('rigGlide', { from, to: { xM: 2 * centre.xM - from.xM, yM: 2 * centre.yM - from.yM }, durationMs: 1500 });
  });
  $<HTMLButtonElement>('panic').onclick = () => play('panic', () => conn.call('rigPanic'));
  enableWiredControls(document);
  conn.start();
}

main();
