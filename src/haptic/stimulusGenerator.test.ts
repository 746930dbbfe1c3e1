import { describe, expect, it } from 'vitest';
import { createWasmMemory, instantiateMixKernel } from './mixKernel.ts';
import { StimulusGenerator } from './stimulusGenerator.ts';
import { FIELDS, Field, META, Meta, Stage, StimulusPool } from './stimulusPool.ts';

const SAMPLE_RATE = 48000;
const ATTACK_MS = 1; // 48 samples
const RELEASE_MS = 2; // 96 samples
const TAIL_FRAMES = 100;
const OUT_WORD = 64; // f32 index of the output; the sineRun state sits at f64 index 0
const CAPACITY_FRAMES = 48000;

/** A generator over its own kernel memory and a one-slot pool holding note 69 (440 Hz) at velocity 127. */
function setUp() {
  const memory = createWasmMemory((OUT_WORD + CAPACITY_FRAMES) * 4);
  const f32 = new Float32Array(memory.buffer);
  const generator = new StimulusGenerator();
  generator.prepare(instantiateMixKernel(memory), { f32, f64: new Float64Array(memory.buffer), sineWord: 0, batchWord: 0, batchCapacity: 0 }, SAMPLE_RATE,
    { attackMs: ATTACK_MS, releaseMs: RELEASE_MS }, TAIL_FRAMES);
  const pool = new StimulusPool(1);
  pool.meta[Meta.stage] = Stage.Attack;
  pool.meta[Meta.note] = 69;
  pool.meta[Meta.velocity] = 127;
  generator.start(pool, 0);
  pool.data[Field.pressure] = pool.data[Field.pressureTarget] = 1;
  const run = (n: number, accumulate = false) => {
    generator.generate(pool, 0, OUT_WORD, n, accumulate);
    return f32.slice(OUT_WORD, OUT_WORD + n);
  };
  const release = () => {
    pool.meta[Meta.stage] = Stage.Release;
    generator.release(pool, 0);
  };
  return { pool, run, release };
}

const peak = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('StimulusGenerator', () => {
  it('rises linearly: no sample of the attack exceeds i/(attackMs·fs), and it sustains at level 1 after attackMs·fs + 1 samples', () => {
    const { pool, run } = setUp();
    const attackFrames = (ATTACK_MS / 1000) * SAMPLE_RATE;
    const x = run(attackFrames + 1);
    for (let i = 0; i < x.length; i++) expect(Math.abs(x[i])).toBeLessThanOrEqual(i / attackFrames + 1e-6);
    expect(pool.meta[Meta.stage]).toBe(Stage.Sustain);
    expect(pool.data[Field.level]).toBe(1);
  });

  it('sustains a 440 Hz sine of peak velocity/127 (within 1e-4) and crosses zero 880 times a second (±1)', () => {
    const { run } = setUp();
    run(100);
    const x = run(SAMPLE_RATE);
    let crossings = 0;
    for (let i = 1; i < x.length; i++) if ((x[i - 1] < 0) !== (x[i] < 0)) crossings++;
    expect(Math.abs(peak(x) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(crossings - 880)).toBeLessThanOrEqual(1);
  });

  it('falls from the sustain level to 0 over releaseMs, then holds a travelling stimulus for tailFrames before freeing it', () => {
    const { pool, run, release } = setUp();
    run(100);
    release();
    const releaseFrames = (RELEASE_MS / 1000) * SAMPLE_RATE;
    run(releaseFrames + 1);
    expect(pool.meta[Meta.stage]).toBe(Stage.Tail);
    expect(pool.data[Field.level]).toBe(0);
    run(TAIL_FRAMES - 1);
    expect(pool.meta[Meta.stage]).toBe(Stage.Tail);
    run(1);
    expect(pool.meta[Meta.stage]).toBe(Stage.Free);
  });

  it('frees a standing (accumulating) stimulus as soon as its release ends', () => {
    const { pool, run, release } = setUp();
    run(100, true);
    release();
    run((RELEASE_MS / 1000) * SAMPLE_RATE + 1, true);
    expect(pool.meta[Meta.stage]).toBe(Stage.Free);
  });

  it('follows a pressure step with a 5 ms one-pole: 1 − 1/e of the step after 5 ms, within 1e-3', () => {
    const { pool, run } = setUp();
    run(100);
    pool.data[Field.pressureTarget] = 0.5;
    run((5 / 1000) * SAMPLE_RATE);
    expect(Math.abs(pool.data[Field.pressure] - (0.5 + 0.5 * Math.exp(-1)))).toBeLessThan(1e-3);
  });

  it('renders queued slots (queue → flush, four at a time plus the rest) with the same bits and oscillator state as generate() one by one', () => {
    const SLOTS = 5;
    const SPAN = 64;
    /** Five sustained slots, one 20 samples before an oscillator anchor (batched up to it, then generated across the next). */
    const make = () => {
      const memory = createWasmMemory(65536);
      const f32 = new Float32Array(memory.buffer);
      const generator = new StimulusGenerator();
      generator.prepare(instantiateMixKernel(memory), { f32, f64: new Float64Array(memory.buffer), sineWord: 0, batchWord: 8, batchCapacity: SLOTS },
        SAMPLE_RATE, { attackMs: 0, releaseMs: RELEASE_MS }, TAIL_FRAMES);
      const pool = new StimulusPool(SLOTS);
      for (let s = 0; s < SLOTS; s++) {
        Object.assign(pool.meta, { [s * META + Meta.stage]: Stage.Attack, [s * META + Meta.note]: 60 + 5 * s, [s * META + Meta.velocity]: 20 + 20 * s });
        generator.start(pool, s);
        pool.data[s * FIELDS + Field.pressure] = pool.data[s * FIELDS + Field.pressureTarget] = 0.5 + 0.1 * s;
      }
      pool.data[3 * FIELDS + Field.age] = 4096 - SPAN - 20;
      return { f32, generator, pool };
    };
    const BUS = 1024;
    const own = (s: number) => 2048 + 256 * s;
    const batched = make();
    const single = make();

    for (let span = 0; span < 3; span++) {
      {
        const { generator, pool } = batched;
        for (let s = 0; s < SLOTS; s++) {
          if (generator.batchable(pool, s, SPAN)) generator.queue(pool, s, own(s) + span * SPAN);
          else generator.generate(pool, s, own(s) + span * SPAN, SPAN, false);
        }
        generator.flush(pool, SPAN, -1);
      }
      for (let s = 0; s < SLOTS; s++) single.generator.generate(single.pool, s, own(s) + span * SPAN, SPAN, false);
    }
    batched.f32.fill(0, BUS, BUS + SPAN);
    single.f32.fill(0, BUS, BUS + SPAN);
    for (let s = 0; s < SLOTS; s++) {
      expect(batched.generator.batchable(batched.pool, s, SPAN)).toBe(1);
      batched.generator.queue(batched.pool, s, BUS);
      single.generator.generate(single.pool, s, BUS, SPAN, true);
    }
    batched.generator.flush(batched.pool, SPAN, BUS);

    // From byte 512 on: past the sineRun state (bytes 0…39) and the batch table (64…303), which only one side uses.
    expect(new Uint32Array(batched.f32.buffer, 512)).toEqual(new Uint32Array(single.f32.buffer, 512));
    expect(batched.pool.data).toEqual(single.pool.data);
    expect(batched.pool.meta).toEqual(single.pool.meta);
  });
});
