import { JSONRPCErrorException, JSONRPCServer } from 'json-rpc-2.0';
import { z } from 'zod';
import { engineNames } from '../../presets/engineRegistry.ts';
import { listPresetRefs, loadPreset, savePreset } from '../../presets/presetStore.ts';
import { PRESETS_DIR, workspace } from '../../presets/workspace.ts';
import type { ParameterStore } from './parameterStore.ts';
import { asRpcError, rpcParams } from './rpcParams.ts';
import type { RigAttachment } from './rigAttachment.ts';
import { type MeterFrame, syntheticMeterFrame } from './syntheticMeters.ts';

/** What a method knows about the connection that called it. */
export interface RpcConnection {
  id: string;
  /** Meter frames wanted as `meterUpdate` notifications (channels), or 0 for none. */
  meterChannels: number;
  /** Wants every rig status as a `rigStatus` notification (the dashboard). */
  wantsRig: boolean;
}

/** What the methods need from the server around them. */
export interface RpcContext {
  store: ParameterStore;
  /** Where savePreset writes, and where user presets are listed from beside the shipped ones. */
  userPresetsDir: string;
  /** Tells every page (the caller included; it knows its own id) about a change. */
  broadcast(method: string, params: Record<string, unknown>): void;
  attachment: RigAttachment | null;
  startedMs: number;
}

const engine = z.string().max(100);
const presetName = z.string().max(200);
const paramName = z.string().max(200);
const paramValue = z.union([z.number(), z.string().max(200), z.boolean(), z.null(), z.array(z.number()).max(64)]);
const point = z.strictObject({ xM: z.number().min(-10).max(10), yM: z.number().min(-10).max(10) });

const SCHEMAS = {
  getSession: z.strictObject({}),
  listEngines: z.strictObject({}),
  listPresets: z.strictObject({ engine: engine.optional() }),
  loadPreset: z.strictObject({ engine, name: presetName }),
  savePreset: z.strictObject({ engine, name: presetName, description: z.string().max(500).optional() }),
  getParameter: z.strictObject({ engine, name: paramName }),
  setParameter: z.strictObject({ engine, name: paramName, value: paramValue }),
  getAllParameters: z.strictObject({ engine }),
  getMeterFrame: z.strictObject({ channels: z.number().int().min(1).max(64).default(2) }),
  subscribeMeters: z.strictObject({ channels: z.number().int().min(0).max(64) }),
  rigStatus: z.strictObject({}),
  subscribeRig: z.strictObject({ on: z.boolean() }),
  rigNote: z.strictObject({ at: point, note: z.number().int().min(0).max(127).default(60), velocity: z.number().int().min(1).max(127).default(50), durationMs: z.number().min(10).max(10_000).default(600), channel: z.number().int().min(0).max(15).default(0) }),
  rigGlide: z.strictObject({ from: point, to: point, durationMs: z.number().min(50).max(10_000).default(1000), note: z.number().int().min(0).max(127).default(55), velocity: z.number().int().min(1).max(127).default(50), channel: z.number().int().min(0).max(15).default(1) }),
  rigPanic: z.strictObject({}),
  rigSetParameter: z.strictObject({ name: paramName, value: z.number() }),
  rigMetrics: z.strictObject({}),
  rigSpectrogram: z.strictObject({ seconds: z.number().min(0.25).max(3).default(1) }),
} as const;

type Method = keyof typeof SCHEMAS;
type Handler<M extends Method> = (p: z.output<(typeof SCHEMAS)[M]>, conn: RpcConnection) => unknown;

function presetList(ctx: RpcContext, engineName?: string) {
  const shippedNames = new Set(listPresetRefs(engineName, PRESETS_DIR).map((r) => `${r.engine}/${r.name}`));
  const dirs = [...new Set([workspace.presetsDir, ctx.userPresetsDir])];
  const seen = new Set<string>();
  return dirs.flatMap((dir) => listPresetRefs(engineName, dir).filter((r) => {
    const key = `${r.engine}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((r) => ({ engine: r.engine, name: r.name, shipped: shippedNames.has(`${r.engine}/${r.name}`), dir })));
}

/** JSON-RPC error code (server range) of a rig method called without `--attach`. */
export const NO_RIG_ATTACHED = -32001;
/** JSON-RPC error code of a spectrogram the attached server could not give (not an effect, no snapshot, a bad reply). */
export const NO_SPECTROGRAM = -32002;

function requireAttachment(ctx: RpcContext, method: string): RigAttachment {
  if (!ctx.attachment) throw new JSONRPCErrorException(`${method}: no rig attached (start the dev server with \`rig dev --attach [host:port]\`)`, NO_RIG_ATTACHED, { method });
  return ctx.attachment;
}

/**
 * The dev server's JSON-RPC 2.0 methods (json-rpc-2.0). Every method takes named params validated by
 * its zod schema (`SCHEMAS`); a refusal is an Invalid params error naming the method, the param and
 * what was expected. `setParameter` and `loadPreset` tell every page through `parameterChanged`.
 */
export function createRpcServer(ctx: RpcContext): JSONRPCServer<RpcConnection> {
  const server = new JSONRPCServer<RpcConnection>({ errorListener: () => {} });
  const methods: { [M in Method]: Handler<M> } = {
    getSession: (_p, conn) => ({ connectionId: conn.id, attached: ctx.attachment !== null, serverStartedMs: ctx.startedMs, engines: engineNames() }),
    listEngines: () => engineNames().map((name) => {
      const descriptors = ctx.store.descriptors(name);
      return { name, live: descriptors.filter((d) => d.live).map((d) => d.path), parameters: descriptors.length };
    }),
    listPresets: (p) => presetList(ctx, p.engine).map(({ dir: _dir, ...r }) => r),
    loadPreset: (p, conn) => {
      const found = presetList(ctx, p.engine).find((r) => r.name === p.name);
      const preset = loadPreset(p.engine, p.name, found?.dir ?? workspace.presetsDir);
      ctx.store.load(p.engine, preset);
      const values = ctx.store.values(p.engine);
      ctx.broadcast('parameterChanged', { engine: p.engine, preset: p.name, values, origin: conn.id });
      return { engine: p.engine, preset: p.name, description: preset.description, values };
    },
    savePreset: async (p) => {
      const { performance } = ctx.store.preset(p.engine);
      const defaultPerformance = { seconds: 1, events: [{ kind: 'noteOn' as const, atMs: 0, channel: 0, note: 60, velocity: 50 }, { kind: 'noteOff' as const, atMs: 500, channel: 0, note: 60, velocity: 0 }] };
      const saved = await savePreset(p.engine, p.name, ctx.store.values(p.engine), {
        dir: ctx.userPresetsDir, description: p.description, performance: performance ?? (p.engine === 'haptic' ? defaultPerformance : undefined),
      });
      return { engine: saved.engine, name: saved.name, file: saved.file };
    },
    getParameter: (p) => ({ engine: p.engine, name: p.name, value: ctx.store.get(p.engine, p.name) }),
    setParameter: (p, conn) => {
      const set = ctx.store.set(p.engine, p.name, p.value);
      ctx.broadcast('parameterChanged', { engine: p.engine, name: set.name, value: set.value, origin: conn.id });
      if (ctx.attachment && p.engine === 'haptic' && typeof set.value === 'number' && ctx.store.descriptors('haptic').find((d) => d.path === set.name)?.live) {
        ctx.attachment.setParameter(set.name, set.value);
      }
      return set;
    },
    getAllParameters: (p) => ({ engine: p.engine, preset: ctx.store.preset(p.engine).name, descriptors: ctx.store.descriptors(p.engine), values: ctx.store.effective(p.engine) }),
    getMeterFrame: (p): MeterFrame => ctx.attachment?.meterFrame() ?? syntheticMeterFrame((Date.now() - ctx.startedMs) / 1000, p.channels),
    subscribeMeters: (p, conn) => {
      conn.meterChannels = p.channels;
      return { channels: p.channels };
    },
    rigStatus: () => requireAttachment(ctx, 'rigStatus').view(),
    subscribeRig: (p, conn) => {
      requireAttachment(ctx, 'subscribeRig');
      conn.wantsRig = p.on;
      return { on: p.on };
    },
    rigNote: (p) => requireAttachment(ctx, 'rigNote').note(p.at, p),
    rigGlide: (p) => requireAttachment(ctx, 'rigGlide').glide(p.from, p.to, p),
    rigPanic: () => requireAttachment(ctx, 'rigPanic').panic(),
    rigSetParameter: (p) => {
      const set = ctx.store.set('haptic', p.name, p.value);
      requireAttachment(ctx, 'rigSetParameter').setParameter(set.name, p.value);
      ctx.broadcast('parameterChanged', { engine: 'haptic', name: set.name, value: set.value, origin: null });
      return set;
    },
    rigMetrics: () => requireAttachment(ctx, 'rigMetrics').metrics(),
    rigSpectrogram: async (p) => {
      const attachment = requireAttachment(ctx, 'rigSpectrogram');
      try {
        return await attachment.spectrogram(p.seconds);
      } catch (err) {
        throw new JSONRPCErrorException(`rigSpectrogram: ${(err as Error).message}`, NO_SPECTROGRAM, { method: 'rigSpectrogram' });
      }
    },
  };
  for (const [name, handler] of Object.entries(methods) as [Method, Handler<Method>][]) {
    server.addMethod(name, async (params, conn) => {
      const p = rpcParams(name, SCHEMAS[name], params);
      try {
        return await handler(p as never, conn);
      } catch (err) {
        asRpcError(name, err);
      }
    });
  }
  return server;
}

export const RPC_METHODS = Object.keys(SCHEMAS) as Method[];
