import { PROTOCOL_NAME, PROTOCOL_VERSION } from './protocol.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The bridge's own page (GET /): its one trusted origin, so it connects without the pairing token. It
 * shows whether the bridge answers, its engines with their parameters and the third-party plugins
 * found, warns that native processing runs outside the browser's sandbox, and (Native) plays a test
 * tone through an effect engine with NativePluginNode, one slider per parameter from its metadata. `nonce` is the CSP
 * nonce of its one inline script.
 */
export function bridgePage(origin: string, path: string, version: string, nonce: string): string {
  const wsUrl = `${origin.replace(/^http/, 'ws')}${path}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Studio Rig bridge</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}.warn{background:#fff3cd;border:1px solid #e0c060;padding:.6em}td,th{padding:.2em .6em;text-align:left}</style></head>
<body>
<h1>Studio Rig bridge ${escapeHtml(version)}</h1>
<p class="warn"><strong>Native processing runs outside the browser's sandbox.</strong> Engines loaded through this bridge run as native code of this machine with your user's rights; only pages you trust should be allowed to use it (<code>--allow-origin</code>, and the pairing token printed by <code>rig bridge</code>).</p>
<p>Protocol ${PROTOCOL_NAME} version ${PROTOCOL_VERSION} at <code>${escapeHtml(wsUrl)}</code>. Status: <span id="status">connecting…</span></p>
<h2>Native</h2>
<p>Load an engine into this page's audio graph (a test tone → the engine in the bridge → your speakers), through NativePluginNode with a declared latency of <span id="latency">4</span> quanta.</p>
<p><select id="native-engine"></select> <button id="native-play" disabled>Play through the bridge</button> <button id="native-stop" disabled>Stop</button> <span id="native-counts"></span></p>
<div id="knobs"></div>
<h2>Engines</h2><table id="engines"><tr><th>engine</th><th>kind</th><th>in/out</th><th>parameters</th><th>presets</th></tr></table>
<h2>Third-party plugins</h2><table id="third"><tr><th>format</th><th>name</th><th>valid</th><th>path / reason</th></tr></table>
<script nonce="${nonce}">
const ws = new WebSocket(${JSON.stringify(wsUrl)});
const $ = (id) => document.getElementById(id);
const row = (table, cells) => { const tr = table.insertRow(); for (const c of cells) tr.insertCell().textContent = String(c); };
ws.onopen = () => ws.send(JSON.stringify({ type: 'HELLO', protocol: ${JSON.stringify(PROTOCOL_NAME)}, version: ${PROTOCOL_VERSION} }));
ws.onclose = (e) => { $('status').textContent = 'closed (' + e.code + ' ' + e.reason + ')'; };
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.type === 'PLUGINS') native(m.engines);
  if (m.type === 'WELCOME') { $('status').textContent = 'running, bridge ' + m.bridgeVersion + ', rates ' + m.sampleRates.join(', ') + ' Hz'; ws.send(JSON.stringify({ type: 'LIST_PLUGINS' })); }
  else if (m.type === 'PLUGINS') {
    for (const p of m.engines) row($('engines'), [p.engine, p.kind, p.numInputs + '/' + p.numOutputs, p.params.map((q) => q.name + (q.unit ? ' (' + q.unit + ')' : '')).join(', '), p.presets.map((q) => q.name).join(', ')]);
    for (const p of m.thirdParty) row($('third'), [p.format, p.name, p.valid ? 'yes' : 'no', p.valid ? p.path : p.path + ': ' + p.reason]);
    if (m.thirdParty.length === 0) row($('third'), ['', 'none found', '', '']);
  } else if (m.type === 'ERROR') { $('status').textContent = 'error: ' + m.message; }
};
let playing;
function native(engines) {
  const select = $('native-engine');
  for (const e of engines.filter((e) => e.kind === 'effect')) select.add(new Option(e.engine, e.engine));
  $('native-play').disabled = select.options.length === 0;
  $('native-play').onclick = async () => {
    const engine = engines.find((e) => e.engine === select.value);
    const { NativePluginNode } = await import('/native/nativePluginNode.js');
    const context = new AudioContext();
    const node = await NativePluginNode.create(context, { wsUrl: ${JSON.stringify(wsUrl)}, engine: engine.engine, channels: engine.numInputs });
    const osc = new OscillatorNode(context, { type: 'sawtooth', frequency: 220 });
    const gain = new GainNode(context, { gain: 0.2 });
    osc.connect(gain).connect(node).connect(context.destination);
    osc.start();
    $('latency').textContent = String(node.latencyQuanta);
    playing = { context, node, timer: setInterval(() => { const c = node.counts(); $('native-counts').textContent = 'quanta ' + c.quanta + ', played ' + c.played + ', silent ' + c.missing; }, 250) };
    const knobs = $('knobs');
    knobs.textContent = '';
    for (const p of engine.params) {
      if (p.min === null || p.max === null) continue;
      const label = document.createElement('label');
      const input = Object.assign(document.createElement('input'), { type: 'range', min: p.min, max: p.max, step: p.integer ? 1 : (p.max - p.min) / 1000, value: p.default ?? p.min });
      input.dataset.param = p.name;
      const value = document.createElement('output');
      value.textContent = input.value + (p.unit ? ' ' + p.unit : '');
      input.oninput = () => { node.setParam(p.name, Number(input.value)); value.textContent = input.value + (p.unit ? ' ' + p.unit : ''); };
      label.append(p.name + ' ', input, ' ', value);
      knobs.append(label, document.createElement('br'));
    }
    $('native-play').disabled = true;
    $('native-stop').disabled = false;
  };
  $('native-stop').onclick = async () => {
    clearInterval(playing.timer);
    playing.node.close();
    await playing.context.close();
    $('native-play').disabled = false;
    $('native-stop').disabled = true;
  };
}
</script>
</body></html>
`;
}
