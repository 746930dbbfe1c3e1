import { describe, expect, it } from 'vitest';
import { HAPTIC_PARAMS } from '../haptic/hapticConfig.ts';
import { INPUT_WARM_UP_ROUNDS, warmInputPath } from './inputWarmUp.ts';

describe('the input path warm-up', () => {
  it('decodes every canned command of every kind, every round (a warm-up that fails silently warms nothing)', () => {
    const params = HAPTIC_PARAMS.map((p) => p.name);
    // OSC: note on, note off, a frame-stamped note on, MPE, one /param per parameter, a time-tagged bundle of two;
    // IPC: note on, a frame-stamped note off, an epoch-stamped MPE, one param per parameter.
    const perRound = 4 + params.length + 2 + 3 + params.length;
    expect(warmInputPath(params)).toBe(INPUT_WARM_UP_ROUNDS * perRound);
  });

  it("decodes an effect bridge's canned requests too (one /param per parameter, /params/get)", () => {
    const params = ['wet', 'predelayMs', 'decaySeconds'];
    expect(warmInputPath(params, 'reverb')).toBe(INPUT_WARM_UP_ROUNDS * (4 + params.length + 2 + 3 + params.length + params.length + 1));
  });

  it('works for an engine without live parameters', () => {
    expect(warmInputPath([])).toBe(INPUT_WARM_UP_ROUNDS * (4 + 2 + 3));
  });
});
