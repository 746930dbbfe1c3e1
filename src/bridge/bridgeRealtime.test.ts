import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeClient } from './bridgeClient.ts';
import { type BridgeProcess, startBridgeProcess } from './bridgeProcess.ts';
import { BRIDGE_INSTANCE_PRIORITY, BRIDGE_MAIN_PRIORITY } from './realtimePriority.ts';

/** Linux's scheduling policies as /proc/<pid>/task/<tid>/stat reports them (field 41). */
const SCHED_OTHER = 0;
const SCHED_RR = 2;

/** [policy, rt_priority] of every thread of `pid`, by thread id (fields 41 and 40 of stat, after the parenthesised name). */
function threadScheduling(pid: number): Map<number, { policy: number; priority: number }> {
  const out = new Map<number, { policy: number; priority: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is stat's field 3
    out.set(Number(tid), { priority: Number(fields[40 - 3]), policy: Number(fields[41 - 3]) });
  }
  return out;
}

/** The processes whose parent is `pid` (field 4 of /proc/<pid>/stat). */
function childProcesses(pid: number): number[] {
  const children: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(d));
    } catch {
      // ended meanwhile
    }
  }
  return children;
}

/**
 * `rig bridge` runs its main thread and each instance's worker at SCHED_RR where permitted (the
 * paced-stream latency of a loaded machine: realtimePriority.ts), and says so; `--no-realtime` leaves
 * every thread at normal scheduling. Where it is not permitted, the start-up line says why.
 */
describe.skipIf(process.platform !== 'linux')('rig bridge scheduling', () => {
  let rt: BridgeProcess;
  let plain: BridgeProcess;
  beforeAll(async () => {
    [rt, plain] = await Promise.all([startBridgeProcess(['--seconds', '60']), startBridgeProcess(['--seconds', '60', '--no-realtime'])]);
  });
  afterAll(async () => {
    await Promise.all([rt?.stop(), plain?.stop()]);
  });

  it('raises the main thread above its instances, and the instance workers once loaded', async () => {
    if (!rt.scheduling.startsWith('main thread SCHED_RR')) {
      // Not permitted here (not root, no CAP_SYS_NICE, no rtprio limit): the line must say why.
      expect(rt.scheduling).toMatch(/normal scheduling \(.+\)/);
      return;
    }
    expect(rt.scheduling).toBe(`main thread SCHED_RR ${BRIDGE_MAIN_PRIORITY}, instances SCHED_RR ${BRIDGE_INSTANCE_PRIORITY}`);
    const client = await BridgeClient.connect(rt.wsUrl, { token: rt.token, timeoutMs: 30_000 });
    try {
      await client.load('reverb');
      const pid = rt.child.pid as number;
      const threads = threadScheduling(pid);
      expect(threads.get(pid)).toEqual({ policy: SCHED_RR, priority: BRIDGE_MAIN_PRIORITY });
      const instanceThreads = [...threads.values()].filter((t) => t.policy === SCHED_RR && t.priority === BRIDGE_INSTANCE_PRIORITY);
      expect(instanceThreads).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('starts its helper processes (esbuild, which builds /native/) at normal scheduling, not inheriting SCHED_RR', async () => {
    if (!rt.scheduling.startsWith('main thread SCHED_RR')) return;
    const page = rt.wsUrl.replace(/^ws/, 'http').replace(/bridge$/, 'native/nativePluginNode.js');
    expect((await fetch(page)).status).toBe(200);
    const children = childProcesses(rt.child.pid as number);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      const policies = [...threadScheduling(child).values()].map((t) => t.policy);
      expect(new Set(policies), `child process ${child}`).toEqual(new Set([SCHED_OTHER]));
    }
  });

  it('leaves every thread at normal scheduling with --no-realtime', async () => {
    expect(plain.scheduling).toBe('normal scheduling (not asked for)');
    const client = await BridgeClient.connect(plain.wsUrl, { token: plain.token, timeoutMs: 30_000 });
    try {
      await client.load('reverb');
      const policies = [...threadScheduling(plain.child.pid as number).values()].map((t) => t.policy);
      expect(new Set(policies)).toEqual(new Set([SCHED_OTHER]));
    } finally {
      await client.close();
    }
  });
});
