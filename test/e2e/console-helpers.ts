import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Page-level steps shared by the console e2e tests. */

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');
mkdirSync(ARTIFACTS, { recursive: true });

/** Nav label → path, in English (the test starts in English and switches later). */
export const PAGES = [
  { label: 'Overview', path: '/', slug: 'overview' },
  { label: 'Models & providers', path: '/models', slug: 'models' },
  { label: 'Orgs & members', path: '/orgs', slug: 'orgs' },
  { label: 'API keys', path: '/keys', slug: 'keys' },
  { label: 'Usage & billing', path: '/usage', slug: 'usage' },
  { label: 'Request logs', path: '/logs', slug: 'logs' },
  { label: 'Knowledge bases', path: '/knowledge', slug: 'knowledge' },
  { label: 'Playground', path: '/playground', slug: 'playground' },
] as const;

export async function shot(page: Page, name: string): Promise<void> {
  // Full-page shots of a scrolled page misplace the sticky top bar: start from the top-left.
  // (page.evaluate takes source text here: the Node tsconfig has no DOM types.)
  await page.evaluate(`window.scrollTo(0, 0); document.querySelectorAll('.table-wrap').forEach((el) => (el.scrollLeft = 0));`);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Follow a nav link and wait for the page's heading. */
export async function go(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
}

/**
 * Wait until a page expression is true. Polled from here with page.evaluate: waitForFunction
 * would evaluate the text inside the page, which the console's CSP (no unsafe-eval) refuses.
 */
export async function until(page: Page, expression: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate<boolean>(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for: ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Roles of controls a person operates; each needs an accessible name. */
const CONTROL_ROLES = 'textbox|searchbox|combobox|listbox|checkbox|radio|switch|slider|spinbutton|button|tab|link|menuitem';
/** An aria-snapshot line of such a control with no name: `- textbox`, `- combobox:`, `- button [disabled]`. */
const UNNAMED_CONTROL = new RegExp(`^\\s*- (?:${CONTROL_ROLES})(?=$|:| \\[)`);

/**
 * The controls on the page that have no accessible name, as Chromium computes it (a <label>,
 * aria-label, aria-labelledby, or a button's text). Hidden elements are not in the tree.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  return snapshot.split('\n').filter((line) => UNNAMED_CONTROL.test(line)).map((line) => line.trim());
}
