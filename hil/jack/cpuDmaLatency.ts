import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/** The kernel's PM QoS device: a request holds while its file stays open (`Documentation/power/pm_qos_interface.rst`). */
export const CPU_DMA_LATENCY = '/dev/cpu_dma_latency';

export interface CpuDmaLatencyHold {
  /** The request the kernel took, µs; null when it was not taken. */
  heldUs: number | null;
  /** Why not (the error's code and text), when not held. */
  reason?: string;
  /** Ends the request (closes the file); safe to call twice. The kernel ends it too if the process dies. */
  release(): void;
}

/**
 * Asks the kernel to keep every CPU's wake-up latency at most `us` microseconds while the hold lasts — what
 * `tuned`'s latency-performance profile, cyclictest and audio distributions do: idle CPUs then stay in
 * shallow idle states (with `us` = 0: polling) instead of halting. Why a rig wants it: on this VM the idle
 * driver is haltpoll with `haltpoll.guest_halt_poll_ns=0`, so an idle vCPU halts at once and a real-time
 * thread woken on it waits for the hypervisor to run the vCPU again; on the quiet machine the JACK loopback
 * lost periods that it did not lose at load. Costs a polling CPU's power while held. Needs write access to
 * the device (root, or a udev rule); without it the hold is not taken and `reason` says why.
 */
export function holdCpuDmaLatency(us: number, device = CPU_DMA_LATENCY): CpuDmaLatencyHold {
  if (!Number.isInteger(us) || us < 0) throw new RangeError(`cpu_dma_latency: expected a whole number of microseconds ≥ 0, got ${us}`);
  let fd: number;
  try {
    fd = openSync(device, 'w');
    writeSync(fd, Buffer.from(Int32Array.of(us).buffer));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { heldUs: null, reason: `${device}: ${e.code ?? ''} ${e.message}`.trim(), release: () => {} };
  }
  let open = true;
  return {
    heldUs: us,
    release: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

/** The latency the kernel enforces now (the smallest request held), µs; null when the device cannot be read. */
export function currentCpuDmaLatencyUs(device = CPU_DMA_LATENCY): number | null {
  try {
    const fd = openSync(device, 'r');
    try {
      const b = Buffer.alloc(4);
      return readSync(fd, b, 0, 4, null) === 4 ? b.readInt32LE(0) : null;
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}
