import type { Page } from '@playwright/test';
import { analyzeImpulseResponse } from '../src/analysis/acoustics/analyzeImpulseResponse.ts';
import { powerSpectrum } from '../src/analysis/spectral/powerSpectrum.ts';
import { spectralFeatures } from '../src/analysis/spectral/spectralFeatures.ts';
import { render } from '../src/engine/render.ts';
import { engineRegistry } from '../src/presets/engineRegistry.ts';
import { loadPreset } from '../src/presets/presetStore.ts';
import { readFileSync } from 'node:fs';
import { CLICK_FRAME, FAKE_MICROPHONE_WAV, FIXTURE_SAMPLE_RATE, FIXTURE_SECONDS, fakeMicrophoneSamples } from './microphoneFixture.ts';
import { expect, fromBase64, test } from './workletFixture.ts';

/**
 * The microphone path of the page (sources.html): Chromium's fake capture device plays
 * e2e/fixtures/fake-microphone.wav (a click every 1.5 s, 44.1 kHz: the device's own rate, so nothing is
 * resampled), the page sends it through reverb/small-room in the worklet, and a recorder captures the
 * microphone and the reverb's output together. The capture is aligned on the click found in the
 * captured microphone signal (the device loops the file from wherever it is when the page opens it);
 * the segment from just before a click to just before the next is measured with the project's
 * analysis (T30 per analyzeImpulseResponse, spectral centroid) and compared with the same segment of
 * Node's offline render of the file: within 2 %.
 */
const PRESET = 'small-room';
const PERIOD_FRAMES = Math.round(FIXTURE_SECONDS * FIXTURE_SAMPLE_RATE);
const LEAD_FRAMES = 1000;
const TOLERANCE = 0.02;

function measure(stereo: Float32Array[]) {
  const ir = analyzeImpulseResponse(stereo, FIXTURE_SAMPLE_RATE);
  return {
    t30Seconds: ir.channels.map((c) => c.t30Seconds),
    centroidHz: spectralFeatures(powerSpectrum(stereo, FIXTURE_SAMPLE_RATE)).centroidHz,
  };
}

async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/sources.html?sampleRate=${FIXTURE_SAMPLE_RATE}&preset=reverb/${PRESET}`);
  await page.getByRole('button', { name: 'Start audio' }).click();
  await expect(page.locator('#engine-status')).toContainText(`reverb / ${PRESET} running at ${FIXTURE_SAMPLE_RATE} Hz`);
}

test.describe('the page\'s sources', () => {
  test.describe.configure({ mode: 'serial' });

  test('the fake microphone through the reverb in the page measures the offline render\'s RT60 and centroid (within 2 %)', async ({ worklet }) => {
    const { page } = worklet;
    await openPage(page, worklet.url);
    await page.getByRole('button', { name: 'Microphone' }).click();
    await expect(page.locator('#source-status')).toContainText('playing: microphone');
    const captured = await page.evaluate(async (frames) => {
      const m = await import(`${location.origin}/engineNode.js`);
      const rig = (globalThis as unknown as { studioRig: { ctx: AudioContext; engine: { node: AudioNode }; source: { node: AudioNode } } }).studioRig;
      const ctx = rig.ctx;
      const start = Math.ceil((ctx.currentTime * ctx.sampleRate + 0.2 * ctx.sampleRate) / 128) * 128;
      const mic = await m.createRecorder(ctx, { channels: 2, startFrame: start, frames });
      const out = await m.createRecorder(ctx, { channels: 2, startFrame: start, frames });
      rig.source.node.connect(mic.node);
      rig.engine.node.connect(out.node);
      mic.node.connect(ctx.destination);
      out.node.connect(ctx.destination);
      const [micData, outData] = await Promise.all([mic.result, out.result]);
      return { mic: micData.map((x: Float32Array) => m.float32ToBase64(x)), out: outData.map((x: Float32Array) => m.float32ToBase64(x)) };
    }, 2 * PERIOD_FRAMES + LEAD_FRAMES);
    const mic: Float32Array[] = (captured.mic as string[]).map(fromBase64);
    const out: Float32Array[] = (captured.out as string[]).map(fromBase64);

    // Alignment: the first click in the captured microphone signal that has a whole period after it.
    let click = -1;
    for (let i = LEAD_FRAMES; i < mic[0].length - PERIOD_FRAMES && click < 0; i++) if (Math.abs(mic[0][i]) > 0.25) click = i;
    expect(click).toBeGreaterThanOrEqual(LEAD_FRAMES);
    // What the device delivered is the file: the click at the file's level (PCM/32767 here, not /32768), nothing else.
    const file = fakeMicrophoneSamples();
    expect(mic[0][click]).toBeCloseTo(file[CLICK_FRAME], 4);
    expect(mic[0].subarray(click + 1, click + PERIOD_FRAMES - LEAD_FRAMES).every((v) => v === 0)).toBe(true);
    const live = out.map((x) => x.slice(click - LEAD_FRAMES, click - LEAD_FRAMES + PERIOD_FRAMES));

    const preset = loadPreset('reverb', PRESET);
    const offline = render(engineRegistry.reverb.create(preset.params), { sampleRate: FIXTURE_SAMPLE_RATE, blockFrames: 128, frames: PERIOD_FRAMES + CLICK_FRAME, input: [file, file] })
      .map((x) => x.slice(CLICK_FRAME - LEAD_FRAMES, CLICK_FRAME - LEAD_FRAMES + PERIOD_FRAMES));

    const a = measure(live);
    const b = measure(offline);
    test.info().annotations.push({ type: 'measured', description: `live T30 ${a.t30Seconds.map((t) => t?.toFixed(4)).join('/')} s, centroid ${a.centroidHz?.toFixed(1)} Hz; offline T30 ${b.t30Seconds.map((t) => t?.toFixed(4)).join('/')} s, centroid ${b.centroidHz?.toFixed(1)} Hz` });
    for (let c = 0; c < 2; c++) {
      const [tl, to] = [a.t30Seconds[c], b.t30Seconds[c]];
      if (tl === null || to === null) throw new Error(`T30 not measurable (channel ${c}): live ${tl}, offline ${to}`);
      expect(Math.abs(tl / to - 1)).toBeLessThanOrEqual(TOLERANCE);
    }
    if (a.centroidHz === null || b.centroidHz === null) throw new Error('no centroid');
    expect(Math.abs(a.centroidHz / b.centroidHz - 1)).toBeLessThanOrEqual(TOLERANCE);
    expect(worklet.consoleErrors).toEqual([]);
  });

  test('without microphone permission the page says so, and a test tone still plays through the engine', async ({ browser, worklet }) => {
    const context = await browser.newContext();
    // The fake UI grants every request; refuse it the way a user's "Block" does.
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    const page = await context.newPage();
    await openPage(page, worklet.url);
    await page.getByRole('button', { name: 'Microphone' }).click();
    await expect(page.locator('#source-status')).toHaveText(/permission was not given.*test tone or a file/);
    await page.locator('#tone').selectOption('noise');
    await page.getByRole('button', { name: 'Play tone' }).click();
    await expect(page.locator('#source-status')).toContainText('playing: white noise');
    // The meters show the reverb's output (RMS above −60 dBFS on both channels).
    await expect.poll(async () => Number(await page.locator('#meters tbody tr:nth-child(2) td:nth-child(3)').textContent()), { timeout: 5000 }).toBeGreaterThan(-60);
    await test.info().attach('sources page: noise through reverb/small-room, microphone refused', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
    await context.close();
  });

  test('a file plays through the engine from the file input and from drag & drop; an undecodable one is named', async ({ worklet }) => {
    const { page } = worklet;
    await openPage(page, worklet.url);
    await page.locator('#file').setInputFiles(FAKE_MICROPHONE_WAV);
    await expect(page.locator('#source-status')).toHaveText('playing: file fake-microphone.wav (1.5 s, 1 ch)');
    const wav = readFileSync(FAKE_MICROPHONE_WAV).toString('base64');
    const drop = async (name: string, base64: string) => {
      const transfer = await page.evaluateHandle(([n, b]) => {
        const bytes = Uint8Array.from(atob(b), (ch) => ch.charCodeAt(0));
        const t = new DataTransfer();
        t.items.add(new File([bytes], n, { type: 'audio/wav' }));
        return t;
      }, [name, base64] as const);
      await page.locator('#drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
    };
    await drop('dropped.wav', wav);
    await expect(page.locator('#source-status')).toHaveText('playing: file dropped.wav (1.5 s, 1 ch)');
    await drop('notes.txt', Buffer.from('not audio').toString('base64'));
    await expect(page.locator('#source-status')).toContainText('notes.txt: the browser cannot decode this file');
    expect(worklet.foreignRequests).toEqual([]);
  });
});
