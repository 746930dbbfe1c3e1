/** 'current', or why the CLI bundle in `buildDir` cannot be used (see cliBundleState.js). */
export function cliBundleState(buildDir: URL, root: URL): string;
