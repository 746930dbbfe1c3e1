/** The virtual module scripts/build-browser.mjs generates from compileKernelBinaries() (kernelBinaries.ts). */
declare module 'studio-rig:kernel-binaries' {
  export const KERNEL_BINARIES: Readonly<Record<string, { textHash: string; base64: string }>>;
}
