import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS_DIR } from '../../presets/workspace.ts';
import { LiveStandIn } from '../../tune/liveStandIn.fixture.ts';
import { inputLoop } from '../../tune/tunerInput.ts';

const RIG = join(import.meta.dirname, '../../../bin/rig.js');
const TOOLS = ['describe', 'get_metrics', 'get_params', 'get_spectrogram', 'list_presets', 'load_preset', 'save_preset', 'set_params'];

/** Starts `rig mcp …` as an agent would: the SDK's own client over the child's stdio. */
async function connect(args: string[]): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [RIG, 'mcp', ...args], stderr: 'pipe', env: { ...process.env } as Record<string, string> });
  let stderr = '';
  transport.stderr?.on('data', (d) => { stderr += String(d); });
  const client = new Client({ name: 'tuner-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

const call = (client: Client, name: string, args: Record<string, unknown> = {}) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

const presetsDir = mkdtempSync(join(tmpdir(), 'mcp-presets-'));
afterAll(() => rmSync(presetsDir, { recursive: true, force: true }));
beforeAll(() => {
  mkdirSync(join(presetsDir, 'reverb'));
  mkdirSync(join(presetsDir, 'lossy'));
  copyFileSync(join(PRESETS_DIR, 'reverb', 'small-room.json'), join(presetsDir, 'reverb', 'small-room.json'));
  copyFileSync(join(PRESETS_DIR, 'lossy', 'phone-narrowband.json'), join(presetsDir, 'lossy', 'phone-narrowband.json'));
});

describe('rig mcp, offline, driven by the MCP SDK client over stdio', () => {
  let client: Client;
  let stderr: () => string;
  beforeAll(async () => {
    ({ client, stderr } = await connect(['--mode', 'offline', '--presets-dir', presetsDir, '--user-presets', presetsDir, '--window', '1']));
  }, 60_000);
  afterAll(async () => { await client?.close(); });

  it('lists the eight tools, each with an input schema', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) expect(t.inputSchema.type).toBe('object');
  });

  it('offers the tuning loop as a prompt naming the tools', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['tuning_loop']);
    const prompt = await client.getPrompt({ name: 'tuning_loop', arguments: { goal: 'a darker hall' } });
    const text = (prompt.messages[0].content as { text: string }).text;
    expect(text).toMatch(/toward: a darker hall/);
    for (const tool of ['get_params', 'set_params', 'get_metrics', 'describe', 'get_spectrogram', 'save_preset']) expect(text).toContain(tool);
  });

  it('runs the tuning loop: load, set, measure, look, describe the change, save', async () => {
    expect(textOf(await call(client, 'list_presets'))).toContain('reverb/small-room');
    expect(JSON.parse(textOf(await call(client, 'load_preset', { preset: 'small-room' }))).rt60Seconds).toBe(0.45);
    const before = JSON.parse(textOf(await call(client, 'get_metrics')));
    expect(before.figures.t30Seconds.value).toBeGreaterThan(0.2);
    expect(before.figures.t30Seconds.unit).toBe('s');
    expect(JSON.parse(textOf(await call(client, 'set_params', { params: { rt60Seconds: 1.5 } }))).rt60Seconds).toBe(1.5);
    await call(client, 'get_metrics');
    expect(textOf(await call(client, 'describe'))).toMatch(/^longer tail: T30 \+\d\.\d\d s$/m);
    const image = (await call(client, 'get_spectrogram')).content[0] as { type: string; data: string; mimeType: string };
    expect(image.type).toBe('image');
    expect(image.mimeType).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(image.data, 'base64'));
    expect(png.height).toBe(256);
    expect(png.width).toBeGreaterThan(10);
    expect(JSON.parse(textOf(await call(client, 'save_preset', { name: 'agent-room' }))).saved).toMatch(/agent-room\.json$/);
    expect(existsSync(join(presetsDir, 'reverb', 'agent-room.json'))).toBe(true);
  }, 60_000);

  it('answers bad arguments with a tool error naming what was wrong and what is allowed, and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['set_params', { params: { wetDry: 2 } }, /wetDry: got 2, allowed 0…1/],
      ['set_params', { params: { roomSize: 1 } }, /"roomSize": unknown parameter; reverb parameters: wetDry, feedbackGain/],
      ['set_params', { params: { wetDry: 'lots' } }, /wetDry: got "lots", allowed 0…1/],
      ['set_params', { params: 3 }, /params/],
      ['save_preset', { name: '../../package' }, /a name, not a path/],
      ['load_preset', { preset: 'no-such-room' }, /no such preset; reverb presets: agent-room, small-room/],
      ['load_preset', { preset: 'haptic/rain-taps' }, /unknown effect engine "haptic"; allowed: lossy, reverb/],
    ];
    for (const [tool, args, message] of cases) {
      const r = await call(client, tool, args);
      expect(r.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(r)).toMatch(message);
    }
    expect(JSON.parse(textOf(await call(client, 'get_params'))).params.wetDry.allowed).toBe('0…1');
    expect(stderr()).toMatch(/set_params refused \(\d+ so far\)/);
  }, 60_000);

  it('switches engines offline with load_preset engine/name', async () => {
    const values = JSON.parse(textOf(await call(client, 'load_preset', { preset: 'lossy/phone-narrowband' })));
    expect(Object.keys(values)).toContain('bitcrush.bitDepth');
    const m = JSON.parse(textOf(await call(client, 'get_metrics')));
    expect(m.engine).toBe('lossy');
    expect(m.notApplicable).toContain('t30Seconds');
  }, 60_000);
});

describe('rig mcp, live, against an OSC stand-in of rig serve', () => {
  let standIn: LiveStandIn;
  let client: Client;
  beforeAll(async () => {
    standIn = new LiveStandIn({ engine: 'reverb', input: inputLoop({ signal: 'impulses', periodSeconds: 1 }, 2), replyPort: 0, presetsDir, warmupSeconds: 2 });
    const port = await standIn.start();
    ({ client } = await connect(['--mode', 'live', '--osc-port', String(port), '--reply-port', '0', '--settle-ms', '0', '--window', '2', '--presets-dir', presetsDir, '--snapshots', standIn.snapshotsDir]));
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await standIn?.stop();
  });

  it('sets parameters on the server and measures its snapshots', async () => {
    await call(client, 'load_preset', { preset: 'small-room' });
    expect(JSON.parse(textOf(await call(client, 'set_params', { params: { wetDry: 0.5 } }))).wetDry).toBe(0.5);
    expect(standIn.received).toContain('/reverb/param/wetDry');
    const m = JSON.parse(textOf(await call(client, 'get_metrics')));
    expect(m.decaySource).toMatch(/live snapshot/);
    expect(m.figures.t30Seconds.value).toBeGreaterThan(0.2);
    expect(standIn.received).toContain('/reverb/request_snapshot');
    const r = await call(client, 'load_preset', { preset: 'lossy/phone-narrowband' });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/the live server runs reverb/);
  }, 60_000);
});
