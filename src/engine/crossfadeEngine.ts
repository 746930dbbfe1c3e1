import type { Engine, PrepareOptions } from './engine.ts';
import { type EngineEvent, EventKind, makeEvent } from './events.ts';
import { type NumericShape, type NumericStatus } from './numericStatus.ts';
import { prepareWarmUpEnabled } from './prepareWarmUp.ts';

/** Length of the switch from one engine instance to the next, ms (480 frames at 48 kHz). */
export const CROSSFADE_MS = 10;

/** Switches run in prepare() to compile the switching path (see CrossfadeEngine.warmUp). */
const WARM_UP_SWITCHES = 300;

export interface CrossfadeEngineOptions {
  /** Crossfade length, ms (default CROSSFADE_MS; ≥ 0, rounded to whole frames, at least 1 frame). */
  fadeMs?: number;
  /** Slots for staged engines (default 2). An offline render stages every change before it starts. */
  slots?: number;
  /** Events one block may carry on the switching path (default 4097, AudioHost's most per period); more are counted and dropped. */
  maxEvents?: number;
}

/**
 * getStats()'s `engineSwitch` counters as numbers, in writeStats()'s order: `stats`' fields, counters[2 … 5]
 * (SWITCH_COUNTERS_AT on).
 */
const SWITCH_STATS_SHAPE: NumericShape = [['engineSwitch.swaps', 0], ['engineSwitch.missedSwaps', 0], ['engineSwitch.overlappedSwaps', 0], ['engineSwitch.droppedEvents', 0]];
const SWITCH_COUNTERS_AT = 2;

/**
 * An engine slot that changes instance without a click: how a live host applies a change that needs a
 * new engine (a structural parameter: the FDN's lines, delays, per-line damping, matrix…), and — the
 * same class on the same timeline — how the offline renderer reproduces it.
 *
 * Hand-over. The control side builds the next engine and calls its `prepare()` (off the audio path:
 * constructor, buffers, JIT warm-up), then `stage(id, engine)` stores it in a free preallocated slot and
 * queues an `EventKind.Swap` event with `value = id` through the host's command ring. `process()` only
 * moves references: at the Swap event's sample the staged engine becomes the incoming one and the
 * crossfade starts; `fadeFrames` later the outgoing one is dropped (its memory goes to the collector,
 * which never runs in process() because process() allocates nothing). A Swap whose id is not staged is
 * counted (`missedSwaps`) and ignored.
 *
 * The crossfade, over F = round(fadeMs·fs/1000) frames, gain g_n = (n + 1)/F for the n-th frame:
 *   out[n] = (1 − g_n)·old(x)[n] + new(g·x)[n]
 * The outgoing engine keeps its input and fades out at its output; the incoming one, which starts
 * from silence, fades in at its INPUT. For a linear engine new(g·x) ≈ g·new(x) at the fade's start, so
 * this is an equal-gain crossfade ((1 − g) + g = 1), and equal gain — not equal power — is right here:
 * the two outputs are strongly correlated (the same input, the same dry path (1 − wetDry)·x), and
 * for correlated signals equal gain keeps the level constant where equal power would add up to +3 dB
 * at the midpoint. The dry path is exact: (1 − g)·(1 − w)·x + (1 − w)·g·x = (1 − w)·x. Fading the new
 * engine's input rather than its output means its delay lines fill from a ramp, so no step enters
 * them and none comes out later when the first echo arrives (a new reverb fed a sine mid-cycle would
 * click once per line). The old engine's tail is cut over the F frames; the new one's builds up.
 * Step bound: |Δout| ≤ max(|Δold|, |Δnew|) + (max|old| + max|new|)/F (structuralSwitch.test.ts).
 * An incoming engine with a latency (`latencySamples`, as the lossy codec's 514 frames) answers its
 * faded-in input L frames late: the outgoing one's fade-out starts L frames after the switch, so the
 * two fades meet at the output instead of leaving an L-frame gap; the switch lasts L + F frames.
 *
 * Param events reach the active engine, and during a fade both (same `paramNames`). A block with no
 * Swap event and no fade running goes straight to the active engine (the same calls as without the
 * wrapper: bit-identical); otherwise it is split at the Swap events and the fade's end, each span
 * copied into preallocated buffers with its events rebased. Engines are block-size invariant, so the
 * output is a function of (engines, input, events) only — the live host and `render()` agree bit for
 * bit given the same Swap frames and the same staged engines (the offline rule: build and prepare
 * each change's engine with the parameters the server built it with, stage it before rendering, and
 * put its Swap event at the frame the server's event log says it was applied).
 *
 * Not here: a Swap arriving during a fade (the control side never sends one: it waits for `busy` to
 * clear) starts a new fade from the incoming engine and drops the outgoing one at once (counted in
 * `overlappedSwaps`).
 */
export class CrossfadeEngine implements Engine, NumericStatus {
  readonly name: string;
  readonly numInputs: number;
  readonly numOutputs: number;
  readonly paramNames: readonly string[];
  private active: Engine;
  /** The initial engine has no getStatus()/getStats(): the status is the switch counters alone (numericStatusAvailable). */
  private readonly statusless: boolean;
  private incoming: Engine | null = null;
  private readonly staged: (Engine | null)[];
  /** Ids of the staged engines (whole numbers: a rare path runs unoptimised, where a loaded double is boxed and an int is not). */
  private readonly stagedIds: Int32Array;
  /** [fadeFrames, frames of the switch done, swaps applied, missed swaps, overlapped swaps, events dropped, incoming latency] */
  private readonly counters = new Int32Array(7);
  private readonly fadeMs: number;
  private prepared: PrepareOptions | null = null;
  private spanInputs: Float32Array[] = [];
  private oldOutputs: Float32Array[] = [];
  private newOutputs: Float32Array[] = [];
  private readonly eventPool: EngineEvent[];
  private readonly zeros: Float32Array[] = [];
  private readonly swapId = new Int32Array(1);

  constructor(initial: Engine, options: CrossfadeEngineOptions = {}) {
    this.active = initial;
    const own = initial as Engine & { getStatus?: unknown; getStats?: unknown };
    this.statusless = typeof own.getStatus !== 'function' && typeof own.getStats !== 'function';
    this.name = initial.name;
    this.numInputs = initial.numInputs;
    this.numOutputs = initial.numOutputs;
    this.paramNames = initial.paramNames;
    this.fadeMs = options.fadeMs ?? CROSSFADE_MS;
    if (!(this.fadeMs >= 0)) throw new RangeError(`CrossfadeEngine: fadeMs must be ≥ 0, got ${this.fadeMs}`);
    const slots = options.slots ?? 2;
    this.staged = Array.from({ length: slots }, () => null);
    this.stagedIds = new Int32Array(slots);
    this.eventPool = Array.from({ length: options.maxEvents ?? 4097 }, makeEvent);
  }

  /** The engine playing now (the incoming one once its fade has ended). */
  get current(): Engine {
    return this.active;
  }

  /** A staged engine waits for its Swap event, or a fade is running: the next change must wait. */
  get busy(): boolean {
    if (this.incoming !== null) return true;
    // A loop, not some(): a worker host reads this between cycles on its render thread, where a closure is an allocation.
    for (let i = 0; i < this.staged.length; i++) if (this.staged[i] !== null) return true;
    return false;
  }

  /** Frames of the crossfade at the prepared rate. */
  get fadeFrames(): number {
    return this.counters[0];
  }

  get stats(): { swaps: number; missedSwaps: number; overlappedSwaps: number; droppedEvents: number } {
    const c = this.counters;
    const at = SWITCH_COUNTERS_AT;
    return { swaps: c[at], missedSwaps: c[at + 1], overlappedSwaps: c[at + 2], droppedEvents: c[at + 3] };
  }

  prepare(options: PrepareOptions): void {
    this.prepared = { sampleRate: options.sampleRate, maxBlockFrames: options.maxBlockFrames };
    this.active.prepare(options);
    const n = options.maxBlockFrames;
    this.spanInputs = Array.from({ length: this.numInputs }, () => new Float32Array(n));
    this.zeros.length = 0;
    for (let c = 0; c < this.numInputs; c++) this.zeros.push(new Float32Array(n));
    this.oldOutputs = Array.from({ length: this.numOutputs }, () => new Float32Array(n));
    this.newOutputs = Array.from({ length: this.numOutputs }, () => new Float32Array(n));
    this.counters[0] = Math.max(1, Math.round((this.fadeMs * options.sampleRate) / 1000));
    this.incoming = null;
    this.staged.fill(null);
    if (prepareWarmUpEnabled()) this.warmUp(n);
  }

  /**
   * Runs the switching path WARM_UP_SWITCHES times — the active engine handing over to itself — so the
   * JIT has compiled it before the first real switch: a switch is rare (seconds or minutes apart), so
   * left cold it would run in V8's unoptimised tiers, which box every double they compute (the fade's
   * gains: an allocation per sample). The active engine is reset afterwards (its fresh state again).
   */
  private warmUp(maxBlockFrames: number): void {
    const block = Math.min(maxBlockFrames, 64);
    const x = Array.from({ length: this.numInputs }, () => new Float32Array(block).map((_, i) => (i % 2 ? 0.25 : -0.25)));
    const y = Array.from({ length: this.numOutputs }, () => new Float32Array(block));
    const swap = makeEvent();
    swap.kind = EventKind.Swap;
    const events = [swap];
    const blocksPerSwitch = Math.ceil(this.counters[0] / block) + 1;
    for (let k = 0; k < WARM_UP_SWITCHES; k++) {
      this.stage(-1 - k, this.active);
      swap.value = -1 - k;
      swap.offsetFrames = (k * 7) % block;
      this.process(x, y, block, events, 1);
      for (let b = 1; b < blocksPerSwitch; b++) this.process(x, y, block, events, 0);
    }
    this.counters.fill(0, 2);
    this.reset(); // also ends a switch still running (one of an engine with a latency lasts longer)
  }

  /**
   * Control side: stores `engine` (built and prepared with the same PrepareOptions) for the Swap event
   * carrying `id` (an int32). Returns why not, or undefined when staged.
   */
  stage(id: number, engine: Engine): string | undefined {
    const p = this.prepared;
    if (!p) return 'the engine slot is not prepared yet';
    if (id !== (id | 0)) return `engine switch id ${id} is not an int32`;
    if (engine.numInputs !== this.numInputs || engine.numOutputs !== this.numOutputs || !sameNames(engine.paramNames, this.paramNames)) {
      return `a ${engine.name} with ${engine.numInputs} in / ${engine.numOutputs} out cannot replace ${this.name} (${this.numInputs} in / ${this.numOutputs} out, the same parameters)`;
    }
    const free = this.staged.indexOf(null);
    if (free < 0) return `all ${this.staged.length} engine slots are waiting for their switch`;
    this.staged[free] = engine;
    this.stagedIds[free] = id;
    return undefined;
  }

  /** Control side: takes back the engine staged for `id` (its Swap could not be queued); true when there was one. */
  unstage(id: number): boolean {
    for (let i = 0; i < this.staged.length; i++) {
      if (this.staged[i] !== null && this.stagedIds[i] === id) {
        this.staged[i] = null;
        return true;
      }
    }
    return false;
  }

  reset(): void {
    this.active.reset();
    this.incoming = null;
    this.counters[1] = 0;
  }

  process(inputs: readonly Float32Array[], outputs: Float32Array[], frames: number, events: readonly EngineEvent[], eventCount: number): void {
    if (this.incoming === null && !hasSwap(events, eventCount)) {
      this.active.process(inputs, outputs, frames, events, eventCount);
      return;
    }
    let start = 0;
    let e = 0;
    while (start < frames) {
      // Every Swap at this sample (wherever it sits among the events of this sample).
      for (let k = e; k < eventCount && events[k].offsetFrames <= start; k++) {
        if (events[k].kind === EventKind.Swap) {
          this.swapId[0] = events[k].value; // (an int32 id: a double argument would be boxed by an unoptimised call)
          this.beginSwap();
        }
      }
      let end = frames;
      if (this.incoming !== null) end = Math.min(end, start + this.counters[0] + this.counters[6] - this.counters[1]);
      for (let k = e; k < eventCount; k++) {
        const at = events[k].offsetFrames;
        if (at >= end) break;
        if (at > start && events[k].kind === EventKind.Swap) { end = at; break; }
      }
      let count = 0;
      while (e < eventCount && events[e].offsetFrames < end) {
        const ev = events[e++];
        if (ev.kind === EventKind.Swap) continue;
        if (count >= this.eventPool.length) { this.counters[5]++; continue; }
        const to = this.eventPool[count++];
        to.kind = ev.kind;
        to.offsetFrames = ev.offsetFrames > start ? ev.offsetFrames - start : 0;
        to.channel = ev.channel;
        to.note = ev.note;
        to.value = ev.value;
        to.paramIndex = ev.paramIndex;
      }
      this.renderSpan(inputs, outputs, start, end - start, count);
      start = end;
    }
    // Events at or past `frames` (none in a sorted block) are ignored, as engines do.
  }

  /** The Swap event for `swapId[0]`: its staged engine becomes the incoming one. */
  private beginSwap(): void {
    const id = this.swapId[0];
    let slot = -1;
    for (let i = 0; i < this.stagedIds.length; i++) if (this.staged[i] !== null && this.stagedIds[i] === id) slot = i;
    if (slot < 0) { this.counters[3]++; return; }
    const next = this.staged[slot] as Engine;
    this.staged[slot] = null;
    if (this.incoming !== null) {
      this.counters[4]++;
      this.active = this.incoming;
    }
    this.incoming = next;
    const latency = (next as Engine & { latencySamples?: number }).latencySamples;
    this.counters[6] = typeof latency === 'number' && latency > 0 ? latency : 0;
    this.counters[1] = 0;
    this.counters[2]++;
  }

  /** Renders frames [start, start + n) of the block: the active engine alone, or the crossfade. */
  private renderSpan(inputs: readonly Float32Array[], outputs: Float32Array[], start: number, n: number, eventCount: number): void {
    const ins = this.spanInputs;
    for (let c = 0; c < ins.length; c++) {
      const src = inputs[c] ?? this.zeros[c];
      const dst = ins[c];
      for (let j = 0; j < n; j++) dst[j] = src[start + j];
    }
    const old = this.oldOutputs;
    this.active.process(ins, old, n, this.eventPool, eventCount);
    const incoming = this.incoming;
    if (incoming === null) {
      for (let c = 0; c < outputs.length; c++) {
        const src = old[c];
        const dst = outputs[c];
        for (let j = 0; j < n; j++) dst[start + j] = src[j];
      }
      return;
    }
    const fade = this.counters[0];
    const done = this.counters[1];
    const delay = this.counters[6];
    // The incoming engine hears the input faded in: g_k = k/F for the k-th frame of the switch (k ≥ 1), then 1.
    for (let c = 0; c < ins.length; c++) {
      const x = ins[c];
      for (let j = 0; j < n; j++) {
        const k = done + j + 1;
        if (k < fade) x[j] *= k / fade;
      }
    }
    const fresh = this.newOutputs;
    incoming.process(ins, fresh, n, this.eventPool, eventCount);
    // The outgoing one fades out as the incoming one's output fades in: L frames (its latency) later.
    for (let c = 0; c < outputs.length; c++) {
      const a = old[c];
      const b = fresh[c];
      const dst = outputs[c];
      for (let j = 0; j < n; j++) {
        const k = done + j + 1 - delay;
        const h = k <= 0 ? 1 : k < fade ? 1 - k / fade : 0;
        dst[start + j] = h * a[j] + b[j];
      }
    }
    this.counters[1] = done + n;
    if (done + n >= fade + delay) {
      this.active = incoming;
      this.incoming = null;
      this.counters[1] = 0;
    }
  }

  /** The active engine's state (during a fade, the outgoing one's: a fade is not saved). */
  getState(): unknown {
    return this.active.getState();
  }

  setState(state: unknown): void {
    this.incoming = null;
    this.active.setState(state);
  }

  /**
   * Numbers (numericStatus.ts) when the engine it was built around has no status of its own (the effects: their
   * status is the switch counters alone, `engineSwitch.*` as getStats() gives them) — so the render worker publishes
   * them without JSON.stringify every snapshot (11.8 KB per 4 s on the render thread, fdn16 and lossy in real time; 640 B a snapshot).
   * An engine with getStatus()/getStats() of its own keeps the JSON path (its status would be lost in numbers).
   */
  numericStatusAvailable(): boolean {
    return this.statusless;
  }

  statusShape(): NumericShape {
    return [];
  }

  writeStatus(_out: Float64Array, _at: number): void {}

  statsShape(): NumericShape {
    return SWITCH_STATS_SHAPE;
  }

  writeStats(out: Float64Array, at: number): void {
    for (let i = 0; i < SWITCH_STATS_SHAPE.length; i++) out[at + i] = this.counters[SWITCH_COUNTERS_AT + i];
  }

  /** The active engine's status and statistics, when it has them (the server's status shows them). */
  getStatus(): unknown {
    const e = this.active as Engine & { getStatus?: () => unknown };
    return typeof e.getStatus === 'function' ? e.getStatus() : null;
  }

  getStats(): unknown {
    const e = this.active as Engine & { getStats?: () => unknown };
    const own = this.stats;
    const inner = typeof e.getStats === 'function' ? e.getStats() : null;
    return inner !== null && typeof inner === 'object' ? { ...inner, engineSwitch: own } : { engineSwitch: own };
  }
}

/**
 * The offline rule's engine (see CrossfadeEngine): a slot around `initial`, prepared with `prepare`, and each
 * structural change's engine — built with the parameters the live host built it with — prepared the same way and
 * staged for its Swap event's id. Render it with `prepare: false` and each Swap at the frame the host logged.
 * Throws when a switch cannot be staged.
 */
export function stagedSwitches(initial: Engine, switches: readonly { id: number; engine: Engine }[], prepare: PrepareOptions): CrossfadeEngine {
  const slot = new CrossfadeEngine(initial, { slots: Math.max(1, switches.length) });
  slot.prepare(prepare);
  for (const { id, engine } of switches) {
    engine.prepare(prepare);
    const refused = slot.stage(id, engine);
    if (refused) throw new Error(`switch ${id} cannot be staged for the offline render: ${refused}`);
  }
  return slot;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function hasSwap(events: readonly EngineEvent[], eventCount: number): boolean {
  for (let k = 0; k < eventCount; k++) if (events[k].kind === EventKind.Swap) return true;
  return false;
}
