import { describe, expect, it } from 'vitest';
import { ParameterSender } from './parameterSender.ts';

describe('ParameterSender', () => {
  it('keeps one request per parameter in flight and ends with the last value', async () => {
    const sent: [string, unknown][] = [];
    const pending: (() => void)[] = [];
    const sender = new ParameterSender((name, value) => {
      sent.push([name, value]);
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    for (let v = 1; v <= 50; v++) sender.send('wetDry', v / 100);
    sender.send('modRateHz', 2);
    expect(sent).toEqual([['wetDry', 0.01], ['modRateHz', 2]]);
    pending.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.at(-1)).toEqual(['wetDry', 0.5]);
    expect(sent).toHaveLength(3);
  });
});
