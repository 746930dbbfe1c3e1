import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ParamError } from '../engine/params.ts';
import { engineEntry, engineNames } from '../presets/engineRegistry.ts';
import { PRESET_NAME } from '../presets/presetStore.ts';
import { describeRange } from './tunableParams.ts';
import { openTuner, type Tuner, type TunerOptions } from './tuner.ts';
import { TunerPresets } from './tunerPresets.ts';
import { TUNING_FIGURES } from './tuningFigures.ts';
import type { TuningMetrics } from './tuningMetrics.ts';

/** How `rig mcp` opens its tuner: TunerOptions without the engine and preset, which load_preset chooses. */
export type TunerMcpOptions = Omit<TunerOptions, 'engine' | 'preset'> & { engine?: string; preset?: string; log?: (line: string) => void };

const PRESET_NAME_TEXT = 'a preset name: letters, digits, "-", "_" or "." (not first), at most 100 characters — a name, not a path';

function text(value: unknown): CallToolResult {
  return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }] };
}

/** Metrics as an agent reads them: each figure with its unit, and why the missing ones are missing. */
function metricsDocument(m: TuningMetrics) {
  return {
    engine: m.engine, sampleRateHz: m.sampleRateHz, windowSeconds: m.windowSeconds, decaySource: m.decaySource,
    figures: Object.fromEntries(Object.entries(m.figures).map(([k, v]) => [k, { value: v, unit: TUNING_FIGURES[k as keyof typeof TUNING_FIGURES].unit }])),
    unmeasured: m.unmeasured,
    notApplicable: m.notApplicable,
  };
}

/**
 * The tuning interface as a Model Context Protocol server: tools list_presets, load_preset, set_params,
 * get_params, get_metrics, get_spectrogram (a PNG image), describe and save_preset over one tuner
 * (offline or live). Arguments are checked by zod schemas (the SDK answers a mismatch as a tool error
 * naming the field) and then by the tuner (names, ranges: "wetDry: got 2, allowed 0…1"); every refused
 * call is a tool error, counted and logged (escaped) on `log` — never a crash. Offline, load_preset may
 * switch engines; live, the engine is the server's. A prompt, `tuning_loop`, tells an agent how to use
 * them toward a goal in words.
 */
export class TunerMcpServer {
  readonly server = new McpServer({ name: 'studio-rig-tuner', version: '1.0.0' });
  private tuner: Tuner | null = null;
  private engine: string;
  /** Tool calls refused for a bad argument or a failure, and the last message. */
  errorCount = 0;

  constructor(private readonly options: TunerMcpOptions) {
    this.engine = options.engine ?? 'reverb';
    this.registerTools();
    this.registerPrompt();
  }

  private async current(): Promise<Tuner> {
    this.tuner ??= await openTuner({ ...this.options, engine: this.engine, preset: this.options.preset });
    return this.tuner;
  }

  /** Runs a tool; an error becomes a tool error result with its message (and is counted and logged). */
  private async run(tool: string, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
    try {
      return await body();
    } catch (e) {
      this.errorCount++;
      const message = (e as Error).message;
      this.options.log?.(`rig mcp: ${tool} refused (${this.errorCount} so far): ${JSON.stringify(message.slice(0, 500))}`);
      return { content: [{ type: 'text', text: message }], isError: true };
    }
  }

  private registerTools(): void {
    const effects = engineNames().filter((n) => engineEntry(n).kind === 'effect');
    const s = this.server;
    s.registerTool('list_presets', {
      description: `The presets of an effect engine (${effects.join(', ')}; default the one being tuned), with their descriptions.`,
      inputSchema: { engine: z.enum(effects as [string, ...string[]]).optional() },
    }, ({ engine }) => this.run('list_presets', async () => {
      const e = engine ?? this.engine;
      const presets = new TunerPresets(e, { shippedDir: this.options.presetsDir, userDir: this.options.userPresetsDir });
      return text(presets.names().map((name) => ({ preset: `${e}/${name}`, description: presets.load(name).description })));
    }));

    s.registerTool('load_preset', {
      description: 'Load a preset (name, or engine/name) as the starting point; returns the tunable parameters. Offline this may switch engines; live the engine is the server\'s.',
      inputSchema: { preset: z.string().min(1).max(200).describe('e.g. "small-room" or "reverb/small-room"') },
    }, ({ preset }) => this.run('load_preset', async () => {
      const slash = preset.indexOf('/');
      const engine = slash < 0 ? this.engine : preset.slice(0, slash);
      const name = slash < 0 ? preset : preset.slice(slash + 1);
      if (!effects.includes(engine)) throw new ParamError(`preset "${preset}"`, [`unknown effect engine "${engine}"; allowed: ${effects.join(', ')}`]);
      if (!PRESET_NAME.test(name)) throw new ParamError(`preset "${preset.slice(0, 60)}"`, [`expected ${PRESET_NAME_TEXT}`]);
      if (engine !== this.engine) {
        if (this.options.mode === 'live') throw new ParamError(`preset "${preset}"`, [`the live server runs ${this.engine}; load a ${this.engine} preset`]);
        await this.tuner?.close();
        this.tuner = null;
        this.engine = engine;
      }
      return text(await (await this.current()).loadPreset(name));
    }));

    s.registerTool('set_params', {
      description: 'Set some tunable parameters, e.g. {"wetDry": 0.4, "rt60Seconds": 2.5}; returns them all. get_params lists the names and ranges.',
      inputSchema: { params: z.record(z.string().max(100), z.unknown()).describe('parameter name → number') },
    }, ({ params }) => this.run('set_params', async () => text(await (await this.current()).setParams(params))));

    s.registerTool('get_params', {
      description: 'The tunable parameters: present value and allowed range of each.',
      inputSchema: {},
    }, () => this.run('get_params', async () => {
      const t = await this.current();
      const values = await t.getParams();
      return text({ engine: t.engine, mode: t.mode, params: Object.fromEntries(t.params.map((p) => [p.name, { value: values[p.name], allowed: describeRange(p) }])) });
    }));

    s.registerTool('get_metrics', {
      description: `Measure the output now: ${Object.entries(TUNING_FIGURES).map(([k, f]) => `${k}${f.unit ? ` (${f.unit})` : ''}: ${f.meaning}`).join('; ')}. Null figures come with the reason.`,
      inputSchema: {},
    }, () => this.run('get_metrics', async () => text(metricsDocument(await (await this.current()).getMetrics()))));

    s.registerTool('get_spectrogram', {
      description: "The output's spectrogram as a PNG: time left to right over the analysis window, log frequency 20 Hz…fs/2 bottom to top, level −120…0 dBFS (magma: dark is quiet).",
      inputSchema: {},
    }, () => this.run('get_spectrogram', async () => {
      const png = await (await this.current()).getSpectrogram();
      return { content: [{ type: 'image', data: Buffer.from(png).toString('base64'), mimeType: 'image/png' }] };
    }));

    s.registerTool('describe', {
      description: 'Short readable text of the latest metrics (measuring now if there are none), with the changes since the measurement before: "darker: centroid −310 Hz", "longer tail: T30 +0.42 s".',
      inputSchema: {},
    }, () => this.run('describe', async () => {
      const t = await this.current();
      return text(t.describe(await t.getMetrics()).join('\n'));
    }));

    s.registerTool('save_preset', {
      description: 'Save the present parameters as a preset of the engine being tuned, in the user presets folder. A shipped name only with force (your copy then shadows it).',
      inputSchema: {
        name: z.string().regex(PRESET_NAME, `expected ${PRESET_NAME_TEXT}`),
        force: z.boolean().optional().describe('save over a preset shipped with Studio Rig (your copy shadows it)'),
      },
    }, ({ name, force }) => this.run('save_preset', async () => text({ saved: await (await this.current()).savePreset(name, { force }) })));
  }

  /** The seed's tuning loop as a prompt: what an agent should do with the tools, for a goal in words. */
  private registerPrompt(): void {
    this.server.registerPrompt('tuning_loop', {
      description: 'Tune the effect toward a goal in words (e.g. "a darker hall with a 2.5 s tail"), iterating on measured figures.',
      argsSchema: { goal: z.string().min(1).max(500).describe('what the result should sound like') },
    }, ({ goal }) => ({
      messages: [{
        role: 'user',
        content: {
          type: 'text',
          text: [
            `Tune the ${this.engine} effect (${this.options.mode}) toward: ${goal}.`,
            'Loop: call get_params (names and allowed ranges) and get_metrics; decide a small change; set_params; get_metrics; read describe (the',
            'changes since the measurement before, with thresholds) and, when in doubt, get_spectrogram. Stop when the figures match the goal or',
            'three changes in a row make no progress. Null figures come with a reason: do not guess them. Finish with save_preset under a new name',
            'and report the parameters and the figures that show the goal is met.',
          ].join(' '),
        },
      }],
    }));
  }

  async close(): Promise<void> {
    await this.tuner?.close();
    await this.server.close();
  }
}
