import type { Page } from '@playwright/test';
import { EventKind } from '../src/engine/events.ts';
import { KNOWN_DIVERGENCE_MAX_RESIDUAL_DB, KNOWN_MATH_DIVERGENCE, type ParityCase, compareParity, parityCases, renderInNode } from './parityCases.ts';
import { expect, fromBase64, test, toBase64 } from './workletFixture.ts';

/**
 * Bit-parity of the engines in an AudioWorklet with Node's render(): every preset at 44.1 and 48 kHz in
 * an OfflineAudioContext (deterministic), the sample hashes compared in Node (src/golden/goldenHash.ts).
 * The last tests show the comparison fails on a one-sample shift and on a changed parameter.
 */

interface BrowserRender {
  channels: string[];
  stats: { quanta: number; startFrame: number };
}

/** Renders a case in the page's OfflineAudioContext through EngineNode (dist/browser/engineNode.js). */
async function renderInBrowser(page: Page, c: ParityCase, change?: { params?: unknown; shiftInput?: number }): Promise<Float32Array[]> {
  const arg = {
    engine: c.engine,
    params: change?.params ?? c.params,
    sampleRate: c.sampleRate,
    frames: c.frames,
    input: c.input?.map(toBase64),
    events: c.events,
  };
  const result = await page.evaluate(async (a): Promise<BrowserRender> => {
    const m = await import(`${location.origin}/engineNode.js`);
    const { channels, stats } = await m.renderOffline({
      engine: a.engine, params: a.params, sampleRate: a.sampleRate, frames: a.frames,
      input: a.input?.map((b: string) => m.base64ToFloat32(b)), events: a.events,
    });
    return { channels: channels.map((x: Float32Array) => m.float32ToBase64(x)), stats };
  }, arg);
  expect(result.stats.startFrame).toBe(0);
  return result.channels.map(fromBase64);
}

test.describe('engines in an AudioWorklet: bit-parity with render()', () => {
  test.describe.configure({ mode: 'serial' });
  const cases = parityCases();

  test('every preset at 44.1 and 48 kHz renders bit-identically in an OfflineAudioContext', async ({ worklet }) => {
    test.setTimeout(90_000);
    expect(cases.length).toBeGreaterThanOrEqual(2 * 20);
    const outcomes = [];
    for (const c of cases) outcomes.push(compareParity(c.id, renderInNode(c), await renderInBrowser(worklet.page, c)));
    const engines = new Set(cases.map((c) => c.engine));
    expect([...engines].sort()).toEqual(['haptic', 'lossy', 'reverb']);
    expect(outcomes.filter((o) => !o.identical && !(o.id in KNOWN_MATH_DIVERGENCE))).toEqual([]);
    const known = outcomes.filter((o) => o.id in KNOWN_MATH_DIVERGENCE);
    expect(known.filter((o) => !(o.residualDb <= KNOWN_DIVERGENCE_MAX_RESIDUAL_DB))).toEqual([]);
    test.info().annotations.push({ type: 'parity', description: `${outcomes.filter((o) => o.identical).length}/${outcomes.length} bit-identical; not: ${known.filter((o) => !o.identical).map((o) => `${o.id} (${o.residualDb.toFixed(0)} dB)`).join(', ') || 'none'}` });
    expect(worklet.consoleErrors).toEqual([]);
    expect(worklet.foreignRequests).toEqual([]);
  });

  test('the comparison fails on a one-sample shift of the output', async ({ worklet }) => {
    const c = cases.find((x) => x.id === 'reverb/small-room@48000') ?? cases.find((x) => x.engine === 'reverb');
    if (!c) throw new Error('no reverb preset');
    const browser = await renderInBrowser(worklet.page, c);
    const node = renderInNode(c);
    expect(compareParity(c.id, node, browser).identical).toBe(true);
    const shifted = browser.map((x) => {
      const y = new Float32Array(x.length);
      y.set(x.subarray(0, x.length - 1), 1);
      return y;
    });
    const outcome = compareParity(c.id, node, shifted);
    expect(outcome.identical).toBe(false);
    expect(outcome.firstDifference?.frame).toBeLessThan(c.frames);
  });

  test('the comparison fails on a changed parameter (reverb wet/dry, haptic wave speed by a Param event)', async ({ worklet }) => {
    const reverb = cases.find((x) => x.engine === 'reverb' && x.sampleRate === 48000);
    const haptic = cases.find((x) => x.engine === 'haptic' && x.sampleRate === 48000);
    if (!reverb || !haptic) throw new Error('no reverb or haptic preset');
    const params = { ...(reverb.params as Record<string, unknown>), wetDry: ((reverb.params as { wetDry: number }).wetDry ?? 0.5) * 0.999 };
    expect(compareParity(reverb.id, renderInNode(reverb), await renderInBrowser(worklet.page, reverb, { params })).identical).toBe(false);
    // The same events with a Param event on the browser side only (wave speed, index 0, at frame 0).
    const changed: ParityCase = { ...haptic, events: [{ kind: EventKind.Param, atFrame: 0, channel: 0, note: 0, paramIndex: 0, value: 61 }, ...(haptic.events ?? [])] };
    expect(compareParity(haptic.id, renderInNode(haptic), await renderInBrowser(worklet.page, changed)).identical).toBe(false);
  });
});

test('why two lossy cases differ: Math.exp/cos/log/pow of this Chromium differ from Node 20 in the last bit', async ({ worklet }) => {
  const probe = (n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = (2 * Math.PI * i) / 4096 + i * 1e-3;
      out.push(Math.exp(-x), Math.cos(x), Math.log10(x + 1e-3), 10 ** (x / 7 - 3), Math.sqrt(x));
    }
    return out;
  };
  const node = probe(4000);
  const browser = await worklet.page.evaluate(`(${probe.toString()})(4000)`) as number[];
  const differing = (k: number) => node.filter((v, i) => i % 5 === k && !Object.is(v, browser[i])).length;
  test.info().annotations.push({ type: 'v8-math', description: `of 4000 arguments, differing: exp ${differing(0)}, cos ${differing(1)}, log10 ${differing(2)}, pow ${differing(3)}, sqrt ${differing(4)}` });
  expect(differing(4)).toBe(0); // IEEE-exact operations agree
  expect(differing(0) + differing(1) + differing(3)).toBeGreaterThan(0);
});

/**
 * A real-time AudioContext (headless Chromium renders it against its fake audio output, in real time):
 * the engine's timeline starts at a quantum-aligned context frame S chosen a second ahead; an
 * effect's input is a buffer source started at S; recorders capture the engine's input and output over
 * [S, S + frames). Node then renders the engine with the captured input (and the events at their
 * frames − S), and the hashes must be equal: the alignment is by context frames, not by a search. The
 * captured input is checked against the intended signal too (the source did start at S).
 */
test.describe('engines in a real-time AudioContext', () => {
  for (const id of ['haptic/rain-taps@48000', 'reverb/small-room@48000', 'lossy/walkie-talkie@48000']) {
    test(`${id} matches render() after alignment`, async ({ worklet }) => {
      const c = parityCases().find((x) => x.id === id);
      if (!c) throw new Error(`no parity case ${id}`);
      const arg = { engine: c.engine, params: c.params, frames: c.frames, input: c.input?.map(toBase64), events: c.events };
      const r = await worklet.page.evaluate(async (a) => {
        const m = await import(`${location.origin}/engineNode.js`);
        const ctx = new AudioContext({ sampleRate: 48000 });
        await ctx.resume();
        const start = Math.ceil((ctx.currentTime * ctx.sampleRate + ctx.sampleRate) / 128) * 128;
        const engine = await m.EngineNode.create(ctx, {
          engine: a.engine, params: a.params, startFrame: start,
          events: a.events?.map((e: { atFrame: number }) => ({ ...e, atFrame: e.atFrame + start })),
        });
        const out = await m.createRecorder(ctx, { channels: engine.shape.numOutputs, startFrame: start, frames: a.frames });
        engine.node.connect(out.node);
        out.node.connect(ctx.destination);
        let capturedInput: Promise<Float32Array[]> | null = null;
        if (a.input) {
          const inRec = await m.createRecorder(ctx, { channels: a.input.length, startFrame: start, frames: a.frames });
          inRec.node.connect(ctx.destination);
          const buffer = ctx.createBuffer(a.input.length, a.frames, ctx.sampleRate);
          a.input.forEach((b: string, ch: number) => buffer.copyToChannel(m.base64ToFloat32(b), ch));
          const source = ctx.createBufferSource();
          source.buffer = buffer;
          source.connect(engine.node);
          source.connect(inRec.node);
          source.start(start / ctx.sampleRate);
          capturedInput = inRec.result;
        }
        const output = await out.result;
        const input = capturedInput ? await capturedInput : null;
        const stats = await engine.getRenderStats();
        await ctx.close();
        return {
          startFrame: start, stats,
          output: output.map((x: Float32Array) => m.float32ToBase64(x)),
          input: input?.map((x: Float32Array) => m.float32ToBase64(x)) ?? null,
        };
      }, arg);
      expect(r.stats.startFrame).toBe(r.startFrame);
      const input = r.input?.map(fromBase64);
      if (input && c.input) {
        // The buffer source started at S exactly: the engine heard the intended signal from its frame 0.
        expect(compareParity(`${id} input`, c.input, input).identical).toBe(true);
      }
      const outcome = compareParity(id, renderInNode({ ...c, input }), r.output.map(fromBase64));
      expect(outcome).toMatchObject({ identical: true });
    });
  }
});

/**
 * The page's parameter calls land at their sample: setParameter(name, value, atFrame) posted from the
 * page equals render() with a Param event at that frame (the engine's smoothing applies the same way),
 * loadParams that changes only Param-event parameters sends Param events (no rebuild: the same output
 * as those events), and a structural change rebuilds the engine with the new parameters.
 */
test.describe('parameter changes from the page', () => {
  const AT = 9000;
  test('setParameter and loadParams at a frame equal render() with Param events there', async ({ worklet }) => {
    const c = parityCases().find((x) => x.id === 'reverb/small-room@48000');
    if (!c) throw new Error('no reverb/small-room');
    const params = c.params as Record<string, number>;
    const run = (calls: { kind: 'set' | 'load'; name?: string; value?: unknown; atFrame?: number; params?: unknown }[]) =>
      worklet.page.evaluate(async (a) => {
        const m = await import(`${location.origin}/engineNode.js`);
        const changes: { params: unknown; rebuilt: boolean }[] = [];
        let errors: string[] = [];
        const { channels } = await m.renderOffline({
          engine: 'reverb', params: a.params, sampleRate: 48000, frames: a.frames, input: a.input.map((b: string) => m.base64ToFloat32(b)),
          beforeRender: (engine: { setParameter: (n: string, v: unknown, f?: number) => void; loadParams: (p: unknown) => void; node: AudioWorkletNode; errors: string[] }) => {
            errors = engine.errors;
            engine.node.port.addEventListener('message', (e: MessageEvent) => {
              if (e.data.type === 'paramsChanged') changes.push({ params: e.data.params, rebuilt: e.data.rebuilt });
            });
            for (const call of a.calls) {
              if (call.kind === 'set') engine.setParameter(call.name as string, call.value, call.atFrame);
              else engine.loadParams(call.params);
            }
          },
        });
        return { channels: channels.map((x: Float32Array) => m.float32ToBase64(x)), changes, errors };
      }, { params: c.params, frames: c.frames, input: (c.input ?? []).map(toBase64), calls });
    const wetIndex = 0; // REVERB_PARAM_NAMES[0] === 'wetDry'
    const expected = renderInNode({ ...c, events: [{ kind: EventKind.Param, atFrame: AT, channel: 0, note: 0, paramIndex: wetIndex, value: 0.2 }] });
    const set = await run([{ kind: 'set', name: 'wetDry', value: 0.2, atFrame: AT }]);
    expect(set.errors).toEqual([]);
    expect(compareParity('setParameter', expected, set.channels.map(fromBase64))).toMatchObject({ identical: true });

    const viaLoad = await run([{ kind: 'load', params: { ...params, wetDry: 0.2 } }]);
    const atNext = renderInNode({ ...c, events: [{ kind: EventKind.Param, atFrame: 0, channel: 0, note: 0, paramIndex: wetIndex, value: 0.2 }] });
    expect(compareParity('loadParams', atNext, viaLoad.channels.map(fromBase64))).toMatchObject({ identical: true });
    expect(viaLoad.changes.map((x) => x.rebuilt)).toEqual([false]);

    const structural = await run([{ kind: 'load', params: { ...params, lines: 16 } }]);
    expect(structural.changes.map((x) => x.rebuilt)).toEqual([true]);
    expect(compareParity('rebuilt', renderInNode({ ...c, params: { ...params, lines: 16 } }), structural.channels.map(fromBase64))).toMatchObject({ identical: true });
  });
});
