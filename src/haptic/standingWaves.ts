import type { HapticMemoryLayout } from './hapticMemoryLayout.ts';
import type { HapticMixKernel } from './mixKernel.ts';
import type { PlateParams } from './plateParams.ts';
import type { StimulusGenerator } from './stimulusGenerator.ts';
import { META, Stage, type StimulusPool } from './stimulusPool.ts';

/**
 * The standing-wave pool: the sum of its stimuli (one bus) goes to every transducer t with gain
 * 10^(masterGainDb/20) · modeShape[t] (default all 1, in phase), added to the outputs by the kernel's
 * mixGain. No delay: every transducer moves at once.
 */
export class StandingWaves {
  private kernel!: HapticMixKernel;
  private f32: Float32Array = new Float32Array(0);
  private busWord = 0;
  private gainsWord = 0;

  /** `modeShape` holds one gain per transducer (−4…4). */
  constructor(readonly pool: StimulusPool, private readonly modeShape: Float64Array, private readonly params: PlateParams) {}

  prepare(kernel: HapticMixKernel, f32: Float32Array, layout: HapticMemoryLayout): void {
    this.kernel = kernel;
    this.f32 = f32;
    this.busWord = layout.busWord;
    this.gainsWord = layout.gainsWord;
  }

  /** Recomputes the per-transducer gains from the present master gain. */
  updateGains(): void {
    const g = 10 ** (this.params.masterGainDb / 20);
    for (let t = 0; t < this.modeShape.length; t++) this.f32[this.gainsWord + t] = g * this.modeShape[t];
  }

  /** Generates n samples of every sounding stimulus onto the bus and adds the bus × gains to the outputs at byte `outByte`. */
  render(generator: StimulusGenerator, outByte: number, strideB: number, n: number, numT: number): void {
    const sp = this.pool;
    let anyStanding = false;
    for (let s = 0; s < sp.capacity; s++) {
      if (sp.meta[s * META] === Stage.Free) continue;
      if (!anyStanding) this.f32.fill(0, this.busWord, this.busWord + n);
      anyStanding = true;
      generator.generate(sp, s, this.busWord, n, true);
    }
    if (anyStanding) this.kernel.mixGain(outByte, strideB, this.busWord * 4, n, this.gainsWord * 4, numT);
  }
}
