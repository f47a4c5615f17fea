import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where browser tests leave screenshots of the console's screens for a reviewer (not committed). */
export const SCREENSHOTS = join(import.meta.dirname, '../../test-output/screenshots');

/**
 * Records every uncaught page error and console error or warning into `problems`, except
 * Chromium's own line for an API refusal (4xx) that the console asked for and shows: signed out,
 * a wrong setup code, a bad URL, a department still in use.
 */
export function watchPage(page: Page, problems: string[]): Page {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) return;
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()} (${msg.location().url})`);
  });
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
}
