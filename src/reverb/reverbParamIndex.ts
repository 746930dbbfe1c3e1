import { MAX_PRE_DELAY_SAMPLES } from './reverbParams.ts';

/** Index of each continuous parameter in `REVERB_PARAM_NAMES` (a Param event's `paramIndex`). */
export const P_WET = 0, P_FEEDBACK = 1, P_RT60 = 2, P_RT60_HIGH = 3, P_PREDELAY = 4, P_DEPTH = 5, P_RATE = 6;
export const P_RT60_LOW = 7, P_PREDELAY_SAMPLES = 8;

/**
 * Allowed range of each Param event value, in `REVERB_PARAM_NAMES` order (events are clamped into it):
 * wet 0…1, feedback 0…1, RT60 0.1…30 s, high RT60 0.05…30 s, pre-delay 0…500 ms, depth 0…5 ms,
 * rate 0…10 Hz, low RT60 0.1…30 s, pre-delay 0…`MAX_PRE_DELAY_SAMPLES` samples.
 */
export const PARAM_EVENT_MIN = Float64Array.of(0, 0, 0.1, 0.05, 0, 0, 0, 0.1, 0);
export const PARAM_EVENT_MAX = Float64Array.of(1, 1, 30, 30, 500, 5, 10, 30, MAX_PRE_DELAY_SAMPLES);
