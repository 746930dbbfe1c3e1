import { defineConfig } from '@playwright/test';

/**
 * The report test: Debian's Chromium (never `npx playwright install`), one worker, reports written and
 * served from localhost by e2e/globalSetup.ts.
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
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
