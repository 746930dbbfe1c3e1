import { describe, expect, it } from 'vitest';
import { formatDuration, RunProgress } from './progress.ts';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, columns: 120, write: (t: string) => { chunks.push(t); return true; }, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => undefined, removeListener: () => undefined }, chunks };
}

describe('RunProgress', () => {
  const scenarios = [{ name: 'latency-probe', expectedSeconds: 60 }, { name: 'sweep', expectedSeconds: 120 }];

  it('prints plain lines with the scenario, elapsed and remaining time when the stream is not a terminal', () => {
    let t = 0;
    const { stream, chunks } = fakeStream(false);
    const progress = new RunProgress({ scenarios, stream, nowSeconds: () => t, plainIntervalSeconds: 30 });
    progress.startScenario('latency-probe');
    t = 45;
    progress.tick();
    progress.finishScenario('passed');
    expect(chunks).toEqual([
      '[hil] 1/2 latency-probe: started · elapsed 0:00 · remaining ~3:00\n',
      '[hil] 1/2 latency-probe: 25% · elapsed 0:45 · remaining ~2:15\n',
      '[hil] 1/2 latency-probe: passed in 45.0 s · elapsed 0:45 · remaining ~2:00\n',
    ]);
  });

  it('rate-limits the plain lines between scenario starts and ends', () => {
    let t = 0;
    const { stream, chunks } = fakeStream(false);
    const progress = new RunProgress({ scenarios, stream, nowSeconds: () => t, plainIntervalSeconds: 30 });
    progress.startScenario('latency-probe');
    for (t = 1; t <= 59; t++) progress.tick();
    expect(chunks.length).toBe(1 + 1);
  });

  it('counts a scenario overrunning its plan as no more than its planned time', () => {
    let t = 0;
    const { stream } = fakeStream(false);
    const progress = new RunProgress({ scenarios, stream, nowSeconds: () => t });
    progress.startScenario('latency-probe');
    t = 500;
    expect(progress.remainingSeconds()).toBe(120);
    expect(progress.fraction()).toBeCloseTo(1 / 3, 12);
  });

  it('draws a cli-progress bar naming the scenario on a terminal', () => {
    let t = 0;
    const { stream, chunks } = fakeStream(true);
    const progress = new RunProgress({ scenarios, stream, nowSeconds: () => t });
    progress.startScenario('sweep');
    t = 30;
    progress.tick();
    progress.stop();
    const text = chunks.join('');
    expect(text).toContain('2/2 sweep');
    expect(text).toContain('remaining');
  });
});

describe('formatDuration', () => {
  it('writes minutes and seconds, and hours when there are any', () => {
    expect([formatDuration(0), formatDuration(75), formatDuration(3725)]).toEqual(['0:00', '1:15', '1:02:05']);
  });
});
