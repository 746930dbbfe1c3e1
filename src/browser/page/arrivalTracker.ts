/**
 * When the wave of a note reached each transducer, as the dashboard sees it: after `arm()`, the first
 * status whose peak on a transducer exceeds `thresholdDbfs` gives that transducer's arrival (the
 * status's stream frame — the end of the periods its levels cover, so arrivals are resolved to the
 * status interval). `ranks()` orders them: 1 = first; transducers reached in the same status share a rank.
 */
export class ArrivalTracker {
  private arrivals: (number | null)[] = [];
  private armed = false;

  constructor(readonly thresholdDbfs = -60) {}

  arm(channels: number): void {
    this.arrivals = new Array(channels).fill(null);
    this.armed = true;
  }

  update(frame: number, peakDbfs: readonly (number | null)[]): void {
    if (!this.armed) return;
    if (this.arrivals.length !== peakDbfs.length) this.arrivals = new Array(peakDbfs.length).fill(null);
    for (let t = 0; t < peakDbfs.length; t++) {
      const p = peakDbfs[t];
      if (this.arrivals[t] === null && p !== null && p > this.thresholdDbfs) this.arrivals[t] = frame;
    }
  }

  frames(): (number | null)[] {
    return [...this.arrivals];
  }

  ranks(): (number | null)[] {
    const distinct = [...new Set(this.arrivals.filter((f): f is number => f !== null))].sort((a, b) => a - b);
    return this.arrivals.map((f) => (f === null ? null : distinct.indexOf(f) + 1));
  }
}
