/// <reference lib="dom" />
import type { ParamDescriptor } from '../devServer/paramDescriptors.ts';
import type { RigView } from '../devServer/rigAttachment.ts';
import { ArrivalTracker } from './arrivalTracker.ts';
import { DevConnection } from './devConnection.ts';
import { MeterView } from './meterView.ts';
import { ParameterPanel } from './parameterPanel.ts';
import { ParameterSender } from './parameterSender.ts';
import { type PointM, TransducerGridView } from './transducerGridView.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

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
    const haptic = s.engine === 'haptic';
    $('grid').hidden = !haptic;
    meters.element.hidden = haptic;
    if (!haptic && s.levels.frames > 0) meters.update({ peakDb: s.levels.peakDbfs, rmsDb: s.levels.rmsDbfs }, `${s.engine} on ${s.rig.name}: levels since the previous status`);
    // A status that covers no period (asked again before the rig's next callback) has no levels: keep the last.
    if (s.levels.frames > 0) {
      grid.levels(s.levels.peakDbfs, s.levels.rmsDbfs);
      tracker.update(s.clock.frameIndex, s.levels.peakDbfs);
    }
    grid.arrivals(tracker.frames(), tracker.ranks());
    const es = (s.engineStatus ?? {}) as { activeTravelling?: number; activeStanding?: number };
    const st = (s.engineStats ?? {}) as { steals?: number; drops?: number; notesStarted?: number };
    const rows: [string, string, string][] = [
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
    ];
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
  conn.start();
}

main();
