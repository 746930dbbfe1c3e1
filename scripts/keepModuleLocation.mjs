/**
 * esbuild plugin for bundles that run from another folder than their sources (dist/cli, dist/workers):
 * `import.meta.url` / `import.meta.dirname` of a source file become that file's own location, relative
 * to the bundle, so modules that find files beside themselves (presets, scenarios, rigs, package.json,
 * createRequire) keep finding them.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, sep } from 'node:path';

/** `outdir`: the directory the bundle is written to (its final place, not a staging folder). */
export function keepModuleLocation(outdir) {
  const urlFromBundle = (file) => relative(outdir, file).split(sep).map(encodeURIComponent).join('/');
  return {
    name: 'keep-module-location',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.')) return { contents: source, loader: 'ts' };
        const url = `new URL(${JSON.stringify(urlFromBundle(args.path))}, import.meta.url).href`;
        const dir = `decodeURIComponent(new URL(${JSON.stringify(`${urlFromBundle(dirname(args.path))}/`)}, import.meta.url).pathname).replace(/\\/$/, '')`;
        const contents = source.replace(/import\.meta\.(url|dirname)\b/g, (_, which) => (which === 'url' ? url : dir));
        return { contents, loader: 'ts' };
      });
    },
  };
}
