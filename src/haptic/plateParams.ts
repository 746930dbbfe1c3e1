/**
 * The present values of the engine's Param-event parameters (HAPTIC_PARAMS in hapticConfig.ts), shared
 * by reference between the engine (which writes them) and the travelling and standing waves (which
 * read them). Plain double fields rather than arguments: a double passed to a call V8 does not inline
 * is boxed, i.e. allocated.
 */
export class PlateParams {
  /** Propagation speed of the travelling wave, 20…500 m/s. */
  waveSpeedMps = Number.NaN;
  /** Output gain after the mix, before the limiter, −60…+12 dB. */
  masterGainDb = Number.NaN;
}
