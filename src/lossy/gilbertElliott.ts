import { Prng, type PrngState } from '../dsp/prng.ts';

export interface GilbertElliottState {
  bad: boolean;
  started: boolean;
  prng: PrngState;
}

/**
 * Two-state Markov loss model (Gilbert 1960; Elliott 1963) in Gilbert's form: every packet in the Bad
 * state is lost, none in the Good state. Per packet, Good → Bad with probability p, Bad → Good with r.
 * Parameterised by the long-run loss rate L = p/(p + r) and the chain's correlation ρ = 1 − p − r:
 *   p = L·(1 − ρ),  r = (1 − L)·(1 − ρ).
 * ρ = 0 gives independent (Bernoulli) losses; the mean burst length is 1/r = 1/((1 − L)(1 − ρ)) packets,
 * e.g. L = 5 %, ρ = 0.8 → bursts of 5.3 packets on average. The first packet's state is drawn from the
 * stationary distribution (Bad with probability L), so 100 % loses every packet. The chain draws one
 * uniform number per packet from a seeded xoshiro128** (src/dsp/prng.ts), even at L = 0, so the
 * random stream does not depend on the settings.
 */
export class GilbertElliott {
  private readonly prng: Prng;
  private bad = false;
  private started = false;

  constructor(private readonly seed: number, private readonly burstiness: number) {
    this.prng = new Prng(seed);
  }

  /** Advances one packet at loss rate `lossPercent` (0…100); true when that packet is lost. */
  nextLost(lossPercent: number): boolean {
    const loss = Math.min(1, Math.max(0, lossPercent / 100));
    const u = this.prng.nextFloat();
    if (!this.started) {
      this.started = true;
      this.bad = u < loss;
    } else {
      this.bad = this.bad ? u >= (1 - loss) * (1 - this.burstiness) : u < loss * (1 - this.burstiness);
    }
    return this.bad;
  }

  reset(): void {
    this.prng.seed(this.seed);
    this.bad = false;
    this.started = false;
  }

  getState(): GilbertElliottState {
    return { bad: this.bad, started: this.started, prng: this.prng.getState() };
  }

  setState(state: GilbertElliottState): void {
    this.bad = state.bad;
    this.started = state.started;
    this.prng.setState(state.prng);
  }
}
