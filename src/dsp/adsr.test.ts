import { describe, expect, it } from 'vitest';
import { Adsr, AdsrStage } from './adsr.ts';

const FS = 48000;
const run = (env: Adsr, frames: number): Float64Array => {
  const out = new Float64Array(frames);
  env.process(out, frames);
  return out;
};

describe('Adsr', () => {
  it('starts idle at 0 and stays there without a gate', () => {
    const env = new Adsr(FS);
    expect(env.isIdle).toBe(true);
    expect(Array.from(run(env, 10)).every((v) => v === 0)).toBe(true);
  });

  it('100 ms attack reaches exactly 1 on sample 4799 after gate-on and never steps more than 1/4800', () => {
    const env = new Adsr(FS, { attackSeconds: 0.1, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.5 });
    env.gateOn();
    const out = run(env, 6000);
    expect(out[0]).toBeCloseTo(1 / 4800, 15);
    expect(out[4798]).toBeLessThan(1);
    expect(out[4799]).toBe(1);
    expect(out[5999]).toBe(1);
    let maxStep = 0;
    for (let i = 1; i < out.length; i++) maxStep = Math.max(maxStep, Math.abs(out[i] - out[i - 1]));
    expect(maxStep).toBeLessThanOrEqual(1 / 4800 + 1e-12);
  });

  it('decays to the sustain level in exactly decay·fs samples and holds it', () => {
    const env = new Adsr(FS, { attackSeconds: 0.001, decaySeconds: 0.01, sustainLevel: 0.25, releaseSeconds: 0.01 });
    env.gateOn();
    const out = run(env, 48 + 480 + 100);
    expect(out[47]).toBe(1);
    expect(out[48 + 478]).toBeGreaterThan(0.25);
    expect(out[48 + 479]).toBe(0.25);
    expect(env.stage).toBe(AdsrStage.Sustain);
    expect(out[627]).toBe(0.25);
  });

  it('500 ms release reaches exactly 0 and idle on sample 23999 after gate-off, from any level', () => {
    for (const gateOffAfter of [100, 2400, 9000]) {
      const env = new Adsr(FS, { attackSeconds: 0.1, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.5 });
      env.gateOn();
      run(env, gateOffAfter);
      env.gateOff();
      const out = run(env, 24000);
      expect(out[23998]).toBeGreaterThan(0);
      expect(out[23999]).toBe(0);
      expect(env.isIdle).toBe(true);
    }
  });

  it('changes stage at exactly the sample where the gate is set inside a block', () => {
    const env = new Adsr(FS, { attackSeconds: 0, decaySeconds: 0, sustainLevel: 0.5, releaseSeconds: 0 });
    const out = new Float64Array(16);
    env.process(out, 5, 0);
    env.gateOn();
    env.process(out, 6, 5);
    env.gateOff();
    env.process(out, 5, 11);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0, 0]);
  });

  it('a retrigger during release rises from the current level without a jump', () => {
    const env = new Adsr(FS, { attackSeconds: 0.01, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.01 });
    env.gateOn();
    run(env, 1000);
    env.gateOff();
    const before = run(env, 200)[199];
    env.gateOn();
    const after = env.next();
    expect(after).toBeGreaterThan(before);
    expect(after - before).toBeLessThanOrEqual(1 / 480 + 1e-12);
  });

  it('state round-trips and continues identically; reset silences at once', () => {
    const a = new Adsr(FS, { attackSeconds: 0.02, decaySeconds: 0.05, sustainLevel: 0.3, releaseSeconds: 0.1 });
    a.gateOn();
    run(a, 1500);
    const b = new Adsr(FS, { attackSeconds: 0.02, decaySeconds: 0.05, sustainLevel: 0.3, releaseSeconds: 0.1 });
    b.setState(structuredClone(a.getState()));
    expect(b.getState()).toEqual(a.getState());
    expect(Array.from(run(b, 3000))).toEqual(Array.from(run(a, 3000)));
    a.reset();
    expect([a.isIdle, a.next()]).toEqual([true, 0]);
  });

  it('reads its sample rate, goes straight to sustain at sustain level 1, and retriggers from its present level', () => {
    const env = new Adsr(44100, { attackSeconds: 0.01, decaySeconds: 0.01, sustainLevel: 1, releaseSeconds: 0.01 });
    expect(env.isIdle).toBe(true);
    env.gateOn();
    expect(env.isIdle).toBe(false);
    for (let n = 0; n < 441; n++) env.next(); // 10 ms at 44.1 kHz
    expect([env.stage, env.value]).toEqual([AdsrStage.Sustain, 1]);
    env.gateOff();
    for (let n = 0; n < 220; n++) env.next();
    const half = env.value;
    env.gateOn(); // from about ½: the rest of the way in about ½ of the attack
    let frames = 0;
    while (env.stage === AdsrStage.Attack && frames < 1000) (env.next(), frames++);
    expect(half).toBeGreaterThan(0.45);
    expect(Math.abs(frames - Math.ceil((1 - half) * 441))).toBeLessThanOrEqual(1);
  });

  it('gate-off while idle stays idle, and a second gate-off does not restart the release', () => {
    const env = new Adsr(FS, { attackSeconds: 0.001, decaySeconds: 0, sustainLevel: 1, releaseSeconds: 0.01 });
    env.gateOff();
    expect(env.stage).toBe(AdsrStage.Idle);
    env.gateOn();
    for (let n = 0; n < 48; n++) env.next();
    env.gateOff();
    for (let n = 0; n < 240; n++) env.next();
    env.gateOff();
    for (let n = 0; n < 240; n++) env.next();
    expect(env.isIdle).toBe(true);
  });

  it('applyTo multiplies out[offset, offset + frames) by the envelope, as process() gives it', () => {
    const params = { attackSeconds: 0.0002, decaySeconds: 0.0002, sustainLevel: 0.5, releaseSeconds: 0.001 };
    const a = new Adsr(FS, params);
    const b = new Adsr(FS, params);
    a.gateOn();
    b.gateOn();
    const gains = new Float64Array(30);
    a.process(gains, 30);
    const out = new Float64Array(34).fill(2);
    b.applyTo(out, 30, 2);
    expect(Array.from(out)).toEqual([2, 2, ...Array.from(gains, (g) => 2 * g), 2, 2]);
  });

  it('a new sustain level applies at once while sustaining', () => {
    const env = new Adsr(FS, { attackSeconds: 0.001, decaySeconds: 0.001, sustainLevel: 0.5, releaseSeconds: 0.01 });
    env.gateOn();
    for (let n = 0; n < 200; n++) env.next();
    expect([env.stage, env.value]).toEqual([AdsrStage.Sustain, 0.5]);
    env.setParameters({ attackSeconds: 0.001, decaySeconds: 0.001, sustainLevel: 0.25, releaseSeconds: 0.01 });
    expect(env.next()).toBe(0.25);
  });

  it('a sustain level below float32\'s smallest normal is silence: its release never steps below 0', () => {
    // The seed sweep's counterexample (FC_SEED=-1326707217 of sim/dsp/adsr.property.test.ts): sustain 2e-323 (a
    // subnormal double) released over 6 samples stepped by −5e-324, the smallest subnormal, 5 times from 4 of them
    // and ended at −5e-324.
    for (const sustainLevel of [2e-323, Number.MIN_VALUE, 1e-300, 2 ** -127]) {
      const env = new Adsr(FS, { attackSeconds: 0, decaySeconds: 0, sustainLevel, releaseSeconds: 0.00011458333333333333 });
      env.gateOn();
      const held = run(env, 2);
      env.gateOff();
      const released = run(env, 6);
      expect(Math.min(...held, ...released)).toBe(0);
      expect(held[1]).toBe(0); // held at 0, not at a level no float32 sample can carry but as a subnormal
      expect(env.isIdle).toBe(true);
    }
    const normal = new Adsr(FS, { attackSeconds: 0, decaySeconds: 0, sustainLevel: 2 ** -126, releaseSeconds: 0.001 });
    normal.gateOn();
    expect(run(normal, 2)[1]).toBe(2 ** -126); // float32's smallest normal is kept
  });
});
