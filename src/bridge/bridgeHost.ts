import type { BridgeLimits } from './protocol.ts';
import type { RejectionLog } from './rejectionLog.ts';

/** What a connection needs from the bridge that holds it (BridgeServer implements it). */
export interface BridgeHost {
  readonly limits: BridgeLimits;
  readonly token: string;
  readonly bridgeVersion: string;
  readonly helloTimeoutMs: number;
  /** Replies waiting to be sent, bytes, beyond which a client is closed as a slow consumer. */
  readonly maxBufferedBytes: number;
  /** False only in tests that show a defence's test failing without it. */
  readonly checkToken: boolean;
  readonly checkRate: boolean;
  readonly log: RejectionLog;
  /** SCHED_RR priority for each instance's worker once warmed up; undefined: normal scheduling. */
  readonly instancePriority: number | undefined;
  plugins(): { engines: unknown[]; thirdParty: unknown[] };
  /** A new instance id, or null when `maxInstances` are loaded (or loading). */
  reserveInstance(): number | null;
  releaseInstance(id: number): void;
  modulePathOf(engine: string): string | undefined;
  paramRanges(engine: string, paramNames: readonly string[]): readonly { min: number | null; max: number | null }[];
  stats(): Record<string, number>;
  forget(connection: unknown): void;
}
