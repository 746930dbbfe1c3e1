import { defineConfig } from '@playwright/test';
import { FAKE_MICROPHONE_WAV } from './e2e/microphoneFixture.ts';

/** The specs of the engines in an AudioWorklet: their own project (launch flags below). */
const WORKLET_SPECS = /(engineParity|worklet[A-Za-z]*|microphone[A-Za-z]*)\.spec\.ts$/;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * The Playwright tests: Debian's Chromium (never `npx playwright install`), one worker, reports written
 * and served from localhost by e2e/globalSetup.ts. Two projects: 'default' (every spec but the worklet
 * ones) and 'worklet' (the engines in an AudioWorklet, launched with the flags they need).
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/globalSetup.ts',
  timeout: 30_000,
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  // With CI set, JUnit XML as well (reports/junit/playwright.xml); the console output is the same list.
  reporter: process.env.CI ? [['list'], ['junit', { outputFile: 'reports/junit/playwright.xml' }]] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1300, height: 900 },
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'default', testIgnore: WORKLET_SPECS },
    // The engines in an AudioWorklet (e2e/workletFixture.ts: one page per worker). Real-time contexts
    // start without a gesture; the fake capture device plays the WAV fixture as the microphone.
    {
      name: 'worklet',
      testMatch: WORKLET_SPECS,
      use: {
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            ...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required', '--use-fake-device-for-media-stream',
            '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${FAKE_MICROPHONE_WAV}`,
          ],
        },
      },
    },
  ],
});
