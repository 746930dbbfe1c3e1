import { dbToGain } from '../dsp/portableMath.ts';
import { GilbertElliott, type GilbertElliottState } from './gilbertElliott.ts';
import type { LossyControls } from './lossyControls.ts';
import { LossyParamIndex, type PacketLossParams } from './lossyParams.ts';
import { type LossyStage, restoreArray } from './lossyStage.ts';

export interface PacketLossState {
  positionInPacket: number;
  lost: boolean;
  previousLost: boolean;
  concealGain: number;
  previousConcealGain: number;
  repeats: number;
  chain: GilbertElliottState;
  /** The packet being received, then the last packet received in full (L, R). */
  current: [Float64Array, Float64Array];
  last: [Float64Array, Float64Array];
}

/**
 * Network packet loss with concealment. The signal is cut into packets of round(packetMs·fs/1000)
 * frames on the absolute timeline. At each packet start a Gilbert–Elliott chain (gilbertElliott.ts)
 * decides whether the packet is lost. A lost packet is replaced by the last packet received in full
 * (`repeat`, each further repeat `repeatAttenuationDb` quieter) or by silence; a received packet
 * passes unchanged. On every change between received and concealed, the two are crossfaded linearly
 * over min(fadeMs, packet) frames. At 0 % loss the output equals the input exactly.
 * Repeats of a repeat restart the stored packet, which clicks lightly at packet rate, as naive PLC does.
 */
export class PacketLoss implements LossyStage<PacketLossState> {
  private readonly chain: GilbertElliott;
  private packetFrames = 1;
  private fadeFrames = 0;
  private positionInPacket = 0;
  private lost = false;
  private previousLost = false;
  private concealGain = 0;
  private previousConcealGain = 0;
  private repeats = 0;
  /** One repeat's attenuation as a gain; the n-th repeat plays at repeatGain^(n−1), by multiplication. */
  private repeatGain = 1;
  private current: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];
  private last: [Float64Array, Float64Array] = [new Float64Array(0), new Float64Array(0)];

  constructor(private readonly params: PacketLossParams, seed: number, private readonly controls: LossyControls) {
    this.chain = new GilbertElliott(seed, params.burstiness);
  }

  get packetLength(): number {
    return this.packetFrames;
  }

  prepare(sampleRate: number): void {
    this.packetFrames = Math.max(1, Math.round((this.params.packetMs * sampleRate) / 1000));
    this.fadeFrames = Math.min(this.packetFrames, Math.round((this.params.fadeMs * sampleRate) / 1000));
    this.repeatGain = dbToGain(-this.params.repeatAttenuationDb);
    this.current = [new Float64Array(this.packetFrames), new Float64Array(this.packetFrames)];
    this.last = [new Float64Array(this.packetFrames), new Float64Array(this.packetFrames)];
    this.reset();
  }

  reset(): void {
    this.chain.reset();
    this.positionInPacket = 0;
    this.lost = false;
    this.previousLost = false;
    this.concealGain = 0;
    this.previousConcealGain = 0;
    this.repeats = 0;
    for (let c = 0; c < 2; c++) {
      this.current[c].fill(0);
      this.last[c].fill(0);
    }
  }

  private startPacket(): void {
    this.previousLost = this.lost;
    this.previousConcealGain = this.concealGain;
    if (!this.lost) {
      for (let c = 0; c < 2; c++) {
        const t = this.last[c];
        this.last[c] = this.current[c];
        this.current[c] = t;
      }
      this.repeats = 0;
    }
    this.lost = this.chain.nextLost(this.controls.linear[LossyParamIndex.lossPercent]);
    if (this.lost) {
      this.repeats++;
      this.concealGain = this.params.concealment === 'repeat' ? (this.repeats === 1 ? 1 : this.concealGain * this.repeatGain) : 0;
      if (this.concealGain < 1e-6) this.concealGain = 0;
    }
  }

  process(left: Float64Array, right: Float64Array, start: number, end: number): void {
    const fade = this.fadeFrames;
    for (let i = start; i < end; i++) {
      const pos = this.positionInPacket;
      if (pos === 0) this.startPacket();
      const xl = left[i];
      const xr = right[i];
      this.current[0][pos] = xl;
      this.current[1][pos] = xr;
      const changed = this.lost !== this.previousLost && pos < fade;
      if (this.lost || changed) {
        const g = this.concealGain;
        const cl = this.last[0][pos];
        const cr = this.last[1][pos];
        let yl = this.lost ? g * cl : xl;
        let yr = this.lost ? g * cr : xr;
        if (changed) {
          // Crossfade from what the previous packet's mode would give here to the new mode.
          const t = (pos + 0.5) / fade;
          const pg = this.previousConcealGain;
          const ol = this.previousLost ? pg * cl : xl;
          const or = this.previousLost ? pg * cr : xr;
          yl = ol + (yl - ol) * t;
          yr = or + (yr - or) * t;
        }
        left[i] = yl;
        right[i] = yr;
      }
      this.positionInPacket = pos + 1 === this.packetFrames ? 0 : pos + 1;
    }
  }

  getState(): PacketLossState {
    return {
      positionInPacket: this.positionInPacket,
      lost: this.lost,
      previousLost: this.previousLost,
      concealGain: this.concealGain,
      previousConcealGain: this.previousConcealGain,
      repeats: this.repeats,
      chain: this.chain.getState(),
      current: [this.current[0].slice(), this.current[1].slice()],
      last: [this.last[0].slice(), this.last[1].slice()],
    };
  }

  setState(state: PacketLossState): void {
    this.positionInPacket = state.positionInPacket;
    this.lost = state.lost;
    this.previousLost = state.previousLost;
    this.concealGain = state.concealGain;
    this.previousConcealGain = state.previousConcealGain;
    this.repeats = state.repeats;
    this.chain.setState(state.chain);
    for (let c = 0; c < 2; c++) {
      restoreArray(this.current[c], state.current[c], 'packet-loss buffer');
      restoreArray(this.last[c], state.last[c], 'packet-loss buffer');
    }
  }
}
