import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildDashboard } from '../../src/dashboard/build.ts';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`; .ci/run installs it) through
 * playwright-core. Without Chromium the suites skip locally; under CI=true they fail instead.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserSkip =
  existsSync(CHROMIUM_PATH) || process.env.CI === 'true'
    ? undefined
    : `Chromium not found at ${CHROMIUM_PATH}`;

/** Where the tests write a screenshot of each page they visit (not committed). */
export const SCREENSHOT_DIR = resolve('test-results/screenshots');

export async function launchBrowser(): Promise<Browser> {
  await buildDashboard();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors/warnings and uncaught page errors seen so far (React warnings included). */
  problems: string[];
}

/** A page whose console errors and uncaught exceptions are collected for `expectNoProblems`. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 900 },
): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const text = message.text();
    // A 4xx the page asked for on purpose (e.g. a viewer refused) is logged by Chromium as a failed
    // resource; those are asserted by the tests themselves.
    if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
    problems.push(`${message.type()}: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { page, context, problems };
}

export function expectNoProblems(watched: WatchedPage): void {
  expect(watched.problems, 'console errors/warnings or uncaught exceptions').toEqual([]);
}

let axeSource: string | undefined;

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails on serious or critical violations. Injected
 * through the DevTools protocol, so the dashboard's CSP (no inline scripts) stays on.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${axeSource}\n;undefined`);
  const results = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  )) as { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[] };
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`,
    );
  expect(serious, `axe violations on ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Signs up through the UI and returns the first API key the sign-up page shows once. */
export async function signUpThroughUi(
  page: Page,
  account: { name: string; email: string; password: string },
) {
  await page.goto('/signup');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  const key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
  return key;
}
