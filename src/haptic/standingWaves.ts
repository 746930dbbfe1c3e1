import type { HapticMemoryLayout } from './hapticMemoryLayout.ts';
import type { PlateParams } from './plateParams.ts';
import type { StimulusGenerator } from './stimulusGenerator.ts';
import { META, Stage, type StimulusPool } from './stimulusPool.ts';

/**
 * The standing-wave pool: the sum of its stimuli (one bus) goes to every transducer t with gain
 * 10^(masterGainDb/20) · modeShape[t] (default all 1, in phase), added to the outputs by the mix
 * kernels (mixSpan, or mixGain after the cubic taps). No delay: every transducer moves at once.
 */
export class StandingWaves {
  private f32: Float32Array = new Float32Array(0);
  private busWord = 0;
  private gainsWord = 0;

  /** `modeShape` holds one gain per transducer (−4…4). */
  constructor(readonly pool: StimulusPool, private readonly modeShape: Float64Array, private readonly params: PlateParams) {}

  prepare(f32: Float32Array, layout: HapticMemoryLayout): void {
    this.f32 = f32;
    this.busWord = layout.busWord;
    this.gainsWord = layout.gainsWord;
  }

  /** Recomputes the per-transducer gains from the present master gain. */
  updateGains(): void {
    const g = 10 ** (this.params.masterGainDb / 20);
    for (let t = 0; t < this.modeShape.length; t++) this.f32[this.gainsWord + t] = g * this.modeShape[t];
  }

  /** Generates n samples of every sounding stimulus onto the bus, in slot order (the sustained ones batched); returns the bus's byte address, or 0 when none sounds. */
  generate(generator: StimulusGenerator, n: number): number {
    const sp = this.pool;
    let anyStanding = false;
    for (let s = 0; s < sp.capacity; s++) {
      if (sp.meta[s * META] === Stage.Free) continue;
      if (!anyStanding) this.f32.fill(0, this.busWord, this.busWord + n);
      anyStanding = true;
      if (generator.batchable(sp, s, n) === 1) generator.queue(sp, s, this.busWord);
      else {
        generator.flush(sp, n, this.busWord); // the bus takes the stimuli in slot order
        generator.generate(sp, s, this.busWord, n, true);
      }
    }
    generator.flush(sp, n, this.busWord);
    return anyStanding ? this.busWord * 4 : 0;
  }

  /** Byte address of the per-transducer gains (f32[numT]). */
  get gainsByte(): number {
    return this.gainsWord * 4;
  }
}
