import { recordsSince } from './recordsSince.ts';

/**
 * The machine-stall sentinel's record (jackClient.c, sentinelMain): a thread per CPU, pinned to it, at
 * SCHED_FIFO above jackd and every audio thread of ours wakes every `intervalUs` and records each wake-up
 * later than `thresholdUs`. Its lateness is a lower bound on how long that CPU ran nothing at or below its
 * priority — on this virtual machine, the vCPU descheduled by the host, or a thread of another process in
 * a long system call on the non-preemptible kernel; a real-time thread woken onto that CPU waits as long
 * (the kernel does not move it to the other CPU while it is the only one queued) — so a stall longer than the render-ahead fill is an
 * underrun for any program, and the harness lists such underruns as the machine's, apart from the server's.
 * The layout mirrors the C enums S_* and R_*.
 */
export const StallCtl = { WRITE: 0, REALTIME: 1, MAX_LATE_US: 2, WAKEUPS: 3, SLOTS: 4 } as const;
const R_SLOTS = 3;

/** One stall: the stream frame the sentinel woke at, how late it woke (µs) and jack_get_time() then. */
export interface MachineStall {
  /** Stream frame at the wake-up (−1 before the first cycle); the stall ended here and began ≥ lateUs earlier. */
  frame: number;
  lateUs: number;
  jackUs: number;
}

/** How the sentinel runs: its priority, how often it wakes and the lateness it records. */
export interface StallSentinelOptions {
  priority: number;
  intervalUs: number;
  thresholdUs: number;
}

/**
 * Priority 80: above jackd (10 by default) and its clients (5), so that only the machine — not our threads
 * nor the server — can make it late. Waking every 0.5 ms costs ~0.3 % of each core; 0.25 ms of lateness is
 * recorded (the fill at 64 frames is 2.67 ms), the maximum always.
 */
export const DEFAULT_SENTINEL: StallSentinelOptions = { priority: 80, intervalUs: 500, thresholdUs: 250 };

/**
 * The sentinel's priority against a server whose clients may use up to `serverMaxClientPriority`
 * (jack_client_max_real_time_priority; jackd's own threads run one above): DEFAULT_SENTINEL's 80, or above
 * the server's threads where it runs higher (a real interface's jackd often runs at -P 70–89), at most 98.
 * Below the server's threads, a late cycle of jackd would read as a stall of the machine and excuse an
 * underrun that was the server's.
 */
export function sentinelPriority(serverMaxClientPriority: number, preferred = DEFAULT_SENTINEL.priority): number {
  return Math.max(preferred, Math.min(98, serverMaxClientPriority + 2));
}

export interface MachineStallBuffers {
  ring: Float64Array;
  ctl: Int32Array;
}

/** Shared memory for the sentinel (`capacity` records, a power of two) and its reader. */
export class MachineStalls {
  readonly ring: Float64Array;
  readonly ctl: Int32Array;

  constructor(buffers: MachineStallBuffers) {
    this.ring = buffers.ring;
    this.ctl = buffers.ctl;
  }

  static create(capacity = 4096): MachineStalls {
    if (!(capacity > 0 && (capacity & (capacity - 1)) === 0)) throw new RangeError(`MachineStalls: capacity must be a power of two, got ${capacity}`);
    return new MachineStalls({
      ring: new Float64Array(new SharedArrayBuffer(capacity * R_SLOTS * 8)),
      ctl: new Int32Array(new SharedArrayBuffer(StallCtl.SLOTS * 4)),
    });
  }

  get capacity(): number {
    return this.ring.length / R_SLOTS;
  }

  /** Whether the sentinel got its real-time priority: without it, its lateness proves nothing about the machine. */
  get realtime(): boolean {
    return Atomics.load(this.ctl, StallCtl.REALTIME) === 1;
  }

  get maxLateUs(): number {
    return Atomics.load(this.ctl, StallCtl.MAX_LATE_US);
  }

  get wakeups(): number {
    return Atomics.load(this.ctl, StallCtl.WAKEUPS);
  }

  /** Stalls recorded since counter `from` (oldest first; those overwritten are skipped), and the new counter. */
  since(from: number): { stalls: MachineStall[]; next: number } {
    const next = Atomics.load(this.ctl, StallCtl.WRITE);
    const r = this.ring;
    const stalls = recordsSince(next, from, this.capacity, (slot): MachineStall => ({ frame: r[slot * R_SLOTS], lateUs: r[slot * R_SLOTS + 1], jackUs: r[slot * R_SLOTS + 2] }));
    return { stalls, next };
  }
}
