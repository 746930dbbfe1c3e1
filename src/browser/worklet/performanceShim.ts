/**
 * `node:perf_hooks` in the browser bundle (scripts/build-browser.mjs maps it here): the scope's own
 * `performance` where it has one, else a millisecond clock (Chromium's AudioWorkletGlobalScope has no
 * `performance`; the haptic engine's load figure is then coarse, its audio unchanged).
 */
const scope = globalThis as { performance?: { now(): number } };
export const performance: { now(): number } = scope.performance ?? { now: () => Date.now() };
