import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the built platform (tools/scripts/start.mjs --no-build) on its own port and
 * its own fresh database, driven in Debian's Chromium. `npm test` creates and drops the database;
 * run alone: `npm run build && E2E_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dxtrain_e2e npm run test:e2e`.
 */
const PORT = Number(process.env['E2E_PORT'] ?? 3100);
const baseURL = `http://localhost:${PORT}`;
export const DEMO_PASSWORD = process.env['E2E_DEMO_PASSWORD'] ?? 'e2e-demo-password';

export default defineConfig({
  testDir: './src',
  outputDir: '../../tmp/e2e-output',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] ? [['list'], ['json']] : [['list']],
  use: {
    baseURL,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    },
  },
  webServer: {
    command: 'node tools/scripts/start.mjs --no-build',
    cwd: '../..',
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      DATABASE_URL: process.env['E2E_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/dxtrain_e2e',
      REDIS_PREFIX: `dxtrain-e2e-${process.pid}`,
      DEMO_PASSWORD,
      JWT_SECRET: 'end-to-end-test-secret-long-enough-0123456789',
      NODE_ENV: 'production',
    },
  },
});
