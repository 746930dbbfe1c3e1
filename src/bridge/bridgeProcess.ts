import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BridgeProcess {
  wsUrl: string;
  token: string;
  /** Its `scheduling:` line ("main thread SCHED_RR 6, instances SCHED_RR 5", or why not). */
  scheduling: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `rig bridge --port 0 …` in a process of its own (as a user runs it: the benchmark's client must not
 * share the bridge's event loop), resolved once it has printed its URL and its token.
 */
export function startBridgeProcess(args: readonly string[] = [], timeoutMs = 60_000): Promise<BridgeProcess> {
  const bin = fileURLToPath(new URL('../../bin/rig.js', import.meta.url));
  const child = spawn(process.execPath, [bin, 'bridge', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill(); reject(new Error(`rig bridge did not start within ${timeoutMs} ms: ${err}`)); }, timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`rig bridge exited (${code}): ${err}`)); });
    let started = false;
    child.stdout?.on('data', (d: Buffer) => {
      if (started) return;
      out += d.toString();
      const ws = /WebSocket (ws:\/\/\S+?);/.exec(out)?.[1];
      const token = /^token: (\S+)$/m.exec(out)?.[1];
      const scheduling = /^scheduling: (.+)$/m.exec(out)?.[1];
      if (!ws || !token || !scheduling) return;
      started = true;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        wsUrl: ws, token, scheduling, child,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}
