import { defineConfig } from '@playwright/test';

/**
 * Browser tests (Playwright driving Chromium).
 *
 * Playwright's own browser download cannot work on the machines this project is built on, so the tests drive the
 * distribution's Chromium (`apt-get install -y chromium`, at /usr/bin/chromium); set `CHROMIUM_PATH` to use another.
 * The flags keep a headless Chromium from reaching out to the network (which is closed here) at every start.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The explorer's fixed port (explorer/vite.config.ts): the tests build it and serve the build there. */
const explorerPort = 4178;

export default defineConfig({
  testDir: 'test-browser',
  testMatch: '**/*.spec.ts',
  outputDir: 'out/playwright',
  // One worker: the machine has two cores and each page computes in Web Workers of its own.
  workers: 1,
  timeout: 120_000,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : 'list',
  // The explorer (explorer/), built and served by `vite preview` for test-browser/explorer.spec.ts.
  webServer: {
    command: 'npm run explorer:build && npm run explorer:preview',
    url: `http://localhost:${explorerPort}/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  use: {
    baseURL: `http://localhost:${explorerPort}/`,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
