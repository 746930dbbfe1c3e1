/**
 * The one AudioWorklet module of the page (bundled to dist/browser/engineProcessor.js by
 * scripts/build-browser.mjs): the engine host and the recorder.
 */
import './engineProcessor.ts';
import './recorderProcessor.ts';
