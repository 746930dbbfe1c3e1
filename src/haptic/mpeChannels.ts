import { Field } from './stimulusPool.ts';

/** Per-channel MPE dimensions, in `values[channel·3 + dimension]`. */
export const MpeDim = { pressure: 0, bend: 1, timbre: 2 } as const;
export const MIDI_CHANNELS = 16;

/**
 * The MPE controllers of the 16 MIDI channels and where they put a channel's source on the plate.
 * Pressure 0…1 starts at 1 (so non-MPE input plays at full level), bend −1…+1 at 0, timbre 0…1 at 0.5;
 * CC121 resets a channel to these values. The source sits at
 * (centreX + bend·R, centreY + (2·timbre − 1)·R), R = positionRangeM: MPE moves it around the CENTRE
 * of the layout, not around where the note started.
 *
 * A reset asked for on the event path (`requestReset`, integers only) is applied by `applyResets()`
 * on the audio path, before the flags it raised are read.
 */
export class MpeChannels {
  readonly values = new Float64Array(MIDI_CHANNELS * 3);
  /** Bit ch set: CC121 reset the controllers of channel ch (applied by applyResets()). */
  private pendingResets = 0;
  // Doubles from the start (NaN), so every instance has the same hidden class whatever its configuration.
  private readonly centreX: number = Number.NaN;
  private readonly centreY: number = Number.NaN;
  private readonly positionRangeM: number = Number.NaN;

  constructor(centreXM: number, centreYM: number, positionRangeM: number) {
    this.centreX = centreXM;
    this.centreY = centreYM;
    this.positionRangeM = positionRangeM;
  }

  /**
   * Writes channel ch's pressure and source position as the targets of the stimulus whose fields start
   * at data[o] (Field in stimulusPool.ts); with `jump`, as its present values too. Writes rather than
   * returns, so no double crosses a call boundary (a call V8 does not inline would box it).
   */
  writeTargets(data: Float64Array, o: number, ch: number, jump: boolean): void {
    const pressure = this.values[ch * 3];
    const x = this.centreX + this.values[ch * 3 + 1] * this.positionRangeM;
    const y = this.centreY + (2 * this.values[ch * 3 + 2] - 1) * this.positionRangeM;
    data[o + Field.pressureTarget] = pressure;
    data[o + Field.targetX] = x;
    data[o + Field.targetY] = y;
    if (jump) {
      data[o + Field.pressure] = pressure;
      data[o + Field.x] = x;
      data[o + Field.y] = y;
    }
  }

  resetChannel(ch: number): void {
    this.values[ch * 3] = 1;
    this.values[ch * 3 + 1] = 0;
    this.values[ch * 3 + 2] = 0.5;
  }

  resetAll(): void {
    for (let ch = 0; ch < MIDI_CHANNELS; ch++) this.resetChannel(ch);
  }

  requestReset(ch: number): void {
    this.pendingResets |= 1 << ch;
  }

  applyResets(): void {
    if (this.pendingResets !== 0) {
      for (let ch = 0; ch < MIDI_CHANNELS; ch++) if ((this.pendingResets >> ch) & 1) this.resetChannel(ch);
      this.pendingResets = 0;
    }
  }
}
