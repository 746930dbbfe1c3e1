/**
 * Channels as people number them: from 1, as audio interfaces and DAWs label them. report.json keeps the
 * 0-based index under a key that says so (`channelIndex`, `outputIndex`, `inputIndex`: index 0 is
 * channel 1); every text a person reads — the report page, JUnit messages, calibration details, the CLI —
 * numbers through here, so none shows an index.
 */

/** The 1-based number of a 0-based index; a negative index (not wired; every channel) reads `none`. */
export const channelLabel = (index: number, none = 'none'): string => (index < 0 ? none : String(index + 1));

/** "output 3", "input 1", "ch 12": the kind of channel and its 1-based number; a negative index reads `${kind} ${none}`. */
export const namedChannel = (kind: 'output' | 'input' | 'ch' | 'channel' | 'transducer', index: number, none = 'none'): string => `${kind} ${channelLabel(index, none)}`;

/** Where a dropout finding is: "ch 3", or "all channels" for a backend flag (index −1). */
export const findingChannel = (channelIndex: number): string => (channelIndex < 0 ? 'all channels' : namedChannel('ch', channelIndex));

/** A calibration row's wiring: "output 3 → input 3", "output 4 → not wired". */
export const wiringLabel = (outputIndex: number, inputIndex: number): string => `${namedChannel('output', outputIndex)} → ${inputIndex < 0 ? 'not wired' : namedChannel('input', inputIndex)}`;
