// Debian's Chromium, headless, driven by playwright-core. The flags keep it
// off the network (this machine's network is closed; Chromium would keep
// trying Google's services otherwise).

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export async function launch() {
  // Playwright gives every launch a fresh, empty profile of its own.
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A new page that fails the test on any uncaught error in the app. */
export async function newPage(browser, base, options = {}) {
  const context = await browser.newContext({ baseURL: base, locale: 'ru-RU', ...options });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.setDefaultTimeout(15000);
  return page;
}

/** Where screenshots go: $BERRY_ARTIFACTS, else tests/artifacts. */
export function artifact(name) {
  const dir = resolve(process.env.BERRY_ARTIFACTS || join(import.meta.dirname, '..', '..', 'artifacts'));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
