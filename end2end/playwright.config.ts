import { defineConfig } from '@playwright/test';

// The server is started by scripts/test.sh (`make test`) and its URL passed in
// PACATLAS_E2E_URL. Browsers are never downloaded: Debian's chromium is used.
export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: './test-results/results.json' }]],
  use: {
    baseURL: process.env.PACATLAS_E2E_URL ?? 'http://127.0.0.1:3000',
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
    },
    trace: 'retain-on-failure',
  },
});
