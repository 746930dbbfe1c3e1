/**
 * Runs inside a page (Playwright's `page.evaluate`): opens the bridge's WebSocket as the page's own
 * code would, greets, loads the stereo reverb, and times `chunks` 128-frame round trips paced at
 * `periodMs` (after `warmUp` unpaced ones). Self-contained: it is serialised into the page. Between
 * chunks it yields through a MessageChannel (timers are clamped to 4 ms when nested in a page).
 * Returns each round trip in ms (performance.now(), whose resolution in the page is reported too).
 */
export async function pageRoundTrip(o: { wsUrl: string; token?: string; chunks: number; warmUp: number; periodMs: number }): Promise<{ rttMs: number[]; clockResolutionMs: number }> {
  const ws = new WebSocket(o.wsUrl);
  ws.binaryType = 'arraybuffer';
  const frames = 128;
  const texts: unknown[] = [];
  let onText: (() => void) | undefined;
  let onChunk: ((sequence: number) => void) | undefined;
  ws.onmessage = (e) => {
    if (typeof e.data === 'string') {
      texts.push(JSON.parse(e.data));
      onText?.();
    } else onChunk?.(new DataView(e.data as ArrayBuffer).getUint32(4, true));
  };
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('the WebSocket did not open')); });
  const reply = (type: string) => new Promise<Record<string, unknown>>((resolve, reject) => {
    onText = () => {
      const m = texts.shift() as Record<string, unknown>;
      if (m.type === type) resolve(m);
      else reject(new Error(`expected ${type}, got ${JSON.stringify(m)}`));
    };
  });
  ws.send(JSON.stringify({ type: 'HELLO', protocol: 'studio-rig-bridge', version: 1, token: o.token }));
  await reply('WELCOME');
  ws.send(JSON.stringify({ type: 'LOAD_PLUGIN', engine: 'reverb', sampleRate: 48000, channels: 2 }));
  const instance = (await reply('LOADED')).instance as number;
  const bytes = new ArrayBuffer(16 + 2 * frames * 4);
  const header = new DataView(bytes);
  const samples = new Float32Array(bytes, 16);
  for (let i = 0; i < samples.length; i++) samples[i] = 0.1 * Math.sin(i * 0.07);
  header.setUint32(0, instance, true);
  header.setUint16(8, frames, true);
  header.setUint16(10, 2, true);
  let sequence = 0;
  const once = () => new Promise<void>((resolve) => {
    const want = sequence;
    onChunk = (s) => { if (s === want) resolve(); };
    header.setUint32(4, sequence++, true);
    ws.send(bytes);
  });
  // One channel for every yield: a new MessageChannel each time (a Mojo pipe in Chromium) ~2000 times a second stalled the page.
  const channel = new MessageChannel();
  let yielded: (() => void) | undefined;
  (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => yielded?.(); // the DOM MessagePort (Node's types lack it)
  const yieldOnce = () => new Promise<void>((resolve) => {
    yielded = resolve;
    channel.port2.postMessage(0);
  });
  for (let k = 0; k < o.warmUp; k++) await once();
  const rttMs: number[] = [];
  const t0 = performance.now();
  for (let k = 0; k < o.chunks; k++) {
    while (performance.now() < t0 + k * o.periodMs) await yieldOnce();
    const sent = performance.now();
    await once();
    rttMs.push(performance.now() - sent);
  }
  ws.close();
  let resolution = Number.POSITIVE_INFINITY;
  for (let i = 0, last = performance.now(); i < 1000; i++) {
    const t = performance.now();
    if (t > last) resolution = Math.min(resolution, t - last);
    last = t;
  }
  return { rttMs, clockResolutionMs: resolution };
}
