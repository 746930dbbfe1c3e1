import { fileURLToPath } from 'node:url';

/** The browser modules of NativePluginNode, served by the bridge at /native/<name>.js. */
export const NATIVE_MODULES = ['nativePluginNode', 'nativePluginProcessor', 'nativePluginWorker'] as const;

let bundle: Promise<Map<string, string>> | undefined;

/**
 * Bundles src/bridge/browser/ with esbuild (ES modules for Chromium, each entry self-contained: the
 * processor must load in an AudioWorklet scope, which has no module graph to share), once per process,
 * in memory. Keys: "nativePluginNode.js", ….
 */
export function nativeModules(): Promise<Map<string, string>> {
  bundle ??= (async () => {
    const { build } = await import('esbuild');
    const dir = fileURLToPath(new URL('./browser/', import.meta.url));
    const result = await build({
      entryPoints: Object.fromEntries(NATIVE_MODULES.map((m) => [m, `${dir}${m}.ts`])),
      bundle: true, format: 'esm', platform: 'browser', target: 'chrome110', write: false, outdir: '/native', logLevel: 'warning',
    });
    return new Map(result.outputFiles.map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1), f.text]));
  })();
  return bundle;
}
