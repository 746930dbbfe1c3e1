/** Types of scripts/build-bridge-worker.mjs (see its header). */
export interface BridgeWorkerStamp {
  inputs: string[];
  newestInputMtimeMs: number;
}
export const DEFAULT_BRIDGE_WORKER_FILE: string;
export function buildBridgeWorker(options?: { outFile?: string }): Promise<BridgeWorkerStamp>;
export function bridgeWorkerState(options?: { outFile?: string }): Promise<string>;
