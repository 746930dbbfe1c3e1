/** Types of scripts/build-browser.mjs (see its header). */
export interface BrowserBuildStamp {
  inputs: string[];
  newestInputMtimeMs: number;
}
export const DEFAULT_BROWSER_OUT_DIR: string;
export function buildBrowser(options?: { outDir?: string }): Promise<BrowserBuildStamp>;
export function browserBuildState(options?: { outDir?: string }): string;
export function ensureBrowserBuild(options?: { outDir?: string }): Promise<string>;
export function compileKernels(): Promise<Record<string, { textHash: string; base64: string }>>;
export const PRECOMPILED_KERNEL_INPUTS: string[];
export function precompiledKernelsPlugin(kernelBinaries: Record<string, { textHash: string; base64: string }>): { name: string; setup(build: unknown): void };
