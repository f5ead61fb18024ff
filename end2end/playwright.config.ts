// Browser tests for CIT Academy: Playwright driving Debian's Chromium against the real server.
//
// `cargo xtask test` starts a server on a fresh database and runs this suite once per
// database, setting BASE_URL, E2E_DB, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD and CHROMIUM_PATH.
// Every test runs twice: with JavaScript (the hydrated WebAssembly app) and without it
// (server-rendered pages and plain form posts).
import { defineConfig } from '@playwright/test';

const db = process.env.E2E_DB || 'local';

export default defineConfig({
  testDir: './tests',
  // One worker: two cores, one shared server.
  workers: 1,
  fullyParallel: false,
  // One retry: a test that fails twice fails the run; one that passes on its retry is
  // reported as flaky, and xtask's summary names it, to be fixed.
  retries: 1,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  // Cleared at the start of each run; xtask keeps the server log beside it.
  outputDir: `artifacts/${db}/`,
  use: {
    baseURL: process.env.BASE_URL || 'http://127.0.0.1:3000',
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      // Never `npx playwright install`: its browser download fails here. Debian's Chromium.
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        // Without these, Chromium keeps calling hosts this network refuses.
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true } },
    { name: 'js-off', use: { javaScriptEnabled: false } },
  ],
});
