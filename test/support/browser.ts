import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

/**
 * Debian's Chromium driven by playwright-core (no browser download). Locally a missing browser
 * skips with a reason; under CI=true it is a failure, never a silent skip (as for the services in
 * backends.ts). Install: `apt-get install -y chromium fonts-droid-fallback` (the font renders CJK).
 */
export const CHROMIUM_PATH = process.env.BAIMO_TEST_CHROMIUM ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';

/** Flags measured in this environment (shared notes §7); `--user-data-dir` is refused by launch(). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function describeWithChromium(title: string, suite: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(title, suite);
    return;
  }
  if (IN_CI) {
    describe(title, () => {
      it('Chromium is available', () => {
        throw new Error(`Chromium is required under CI=true at ${CHROMIUM_PATH} (apt-get install -y chromium fonts-droid-fallback; or set BAIMO_TEST_CHROMIUM).`);
      });
    });
    return;
  }
  describe.skip(`${title} — skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium fonts-droid-fallback)`, suite);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Collects console errors and uncaught page errors; a test takes them with `take()` and expects none. */
export function watchPageErrors(page: Page): { take(): string[] } {
  let errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return {
    take() {
      const out = errors;
      errors = [];
      return out;
    },
  };
}
