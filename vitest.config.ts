import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      { extends: true, test: { name: 'sim', include: ['sim/**/*.test.ts'], setupFiles: ['sim/fastCheckSeed.ts'] } },
      { extends: true, test: { name: 'hil', include: ['hil/**/*.test.ts'] } },
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
