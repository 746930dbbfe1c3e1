/**
 * Node's file-system modules in the browser bundle (scripts/build-browser.mjs maps node:fs, node:path,
 * node:url and tsx here). Only engineRegistry.ts's loadEngineModule uses them, and a browser loads no
 * engine module from disk: every function throws, saying so.
 */
function unavailable(): never {
  throw new Error('not available in the browser: engine modules are bundled (scripts/build-browser.mjs), not loaded from files');
}
export const existsSync = unavailable;
export const isAbsolute = unavailable;
export const resolve = unavailable;
export const pathToFileURL = unavailable;
export const register = unavailable;
export default {};
