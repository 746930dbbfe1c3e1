import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jackToolsMissing } from './jackToolsMissing.ts';
import { threadStat } from '../../src/testing/threadStat.ts';
import { createEngine, type EngineSpec } from '../../src/host/engineSpec.ts';
import { RigServer } from '../../src/host/rigServer.ts';
import { WorkerHostRunner } from '../../src/host/workerHostRunner.ts';
import { JackNativeRig } from '../rigs/jackNativeRig.ts';
import { testServerName } from './jackServerName.ts';
import { availableParallelism } from 'node:os';

/** This thread's scheduling policy (0 normal, 1 FIFO) and real-time priority. */
function scheduling(): { policy: number; rtPriority: number } {
  const { policy, rtPriority } = threadStat();
  return { policy, rtPriority };
}

/** This process's threads by name, with their policy and real-time priority (/proc/self/task). */
function threads(): { name: string; policy: number; rtPriority: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const { policy, rtPriority } = threadStat(`/proc/self/task/${tid}/stat`);
    return { name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), policy, rtPriority };
  });
}

function rig(serverName: string, realtime: boolean): JackNativeRig {
  return new JackNativeRig({
    name: 'control-rt-test', sampleRate: 48000, periodFrames: 128, inputChannels: 2, outputChannels: 2, channelMap: [0, 1],
    fillPeriods: 2, ringPeriods: 16, startServer: true, loopbackPorts: 2, realtime, sync: false, serverName,
  });
}

describe.skipIf(jackToolsMissing('jack_lsp') !== undefined)('the control thread of a worker host on a native JACK rig', () => {
  const spec: EngineSpec = { kind: 'haptic' };

  it('runs at SCHED_FIFO 2 while the stream runs (where permitted), not inherited by what it starts, and at normal priority after stop', async () => {
    const server = new RigServer({ rig: rig(testServerName('control-rt'), true), engine: await createEngine(spec), engineSpec: spec, osc: false, socketPath: false, log: () => {} });
    expect(scheduling().policy).toBe(0);
    await server.start();
    const runner = server.runner as WorkerHostRunner;
    const during = scheduling();
    const raised = runner.controlRealtime;
    // The sentinels name and raise themselves once started (one per CPU): read until they have, 2 s at most.
    const sentinelsUp = (ts: { name: string; policy: number }[]) => ts.filter((t) => t.name === 'rig-sentinel' && t.policy === 1).length >= availableParallelism();
    let named = threads().filter((t) => t.name.startsWith('rig-'));
    for (let i = 0; i < 100 && raised && !sentinelsUp(named); i++) {
      await new Promise((r) => setTimeout(r, 20));
      named = threads().filter((t) => t.name.startsWith('rig-'));
    }
    // What the raised thread starts (here a process) begins at normal priority: SCHED_RESET_ON_FORK.
    const childPolicy = Number(execFileSync('cat', ['/proc/self/stat'], { encoding: 'utf8' }).split(') ')[1].split(' ')[38]);
    await server.stop();
    const after = scheduling();
    // Root (this machine, CI) may raise threads; elsewhere the runner says it could not.
    if (process.getuid?.() === 0) expect(raised).toBe(true);
    expect(during.policy).toBe(raised ? 1 : 0);
    if (raised) expect(during.rtPriority).toBe(2);
    expect(childPolicy).toBe(0);
    expect(after.policy).toBe(0);
    // The render worker and the stall sentinel carry their names (ps -L, perf sched) and their priorities.
    if (raised) {
      expect(named).toContainEqual({ name: 'rig-render', policy: 1, rtPriority: 4 });
      expect(named).toContainEqual({ name: 'rig-sentinel', policy: 1, rtPriority: 80 });
    }
  }, 30_000);

  it('stays at normal priority when the rig does not ask for real time', async () => {
    const server = new RigServer({ rig: rig(testServerName('control-nort'), false), engine: await createEngine(spec), engineSpec: spec, osc: false, socketPath: false, log: () => {} });
    await server.start();
    const during = scheduling();
    await server.stop();
    expect(during.policy).toBe(0);
  }, 30_000);
});
