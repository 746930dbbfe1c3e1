/**
 * An event whose send and effect straddle a stall of the stream's own clock longer than this is left
 * out of the latency figures (and counted): its latency measures the stall, not the path. Above the
 * after-run clock map's jitter (~0.3 ms), below a period at 128 frames / 48 kHz (2.67 ms).
 */
export const CLOCK_STALL_LIMIT_MS = 1;
