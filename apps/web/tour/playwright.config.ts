// `npm run tour`: the README's screenshots, taken from the real product against the lab (the
// same stack the e2e tests start), written to docs/tour/. Not part of `npm test`.
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.ts';

export default defineConfig({
  ...base,
  testDir: '.',
  globalSetup: '../e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 600_000,
  outputDir: '../test-results/tour',
});
