import { SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';
import {
  browserSkip,
  expectAccessible,
  expectNoProblems,
  launchBrowser,
  openPage,
  screenshot,
  signUpThroughUi,
} from './browser.ts';

describe.skipIf(browserSkip !== undefined)(
  `dashboard sign-up, sign-in and session expiry${browserSkip ? ` (${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    beforeAll(async () => {
      [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('signs up, shows the key once, signs out, signs back in, and re-logs in over an expired session', async () => {
      const watched = await openPage(browser, server.url);
      const { page } = watched;
      const email = `dash-${uniqueSuffix()}@example.com`;
      await page.goto('/');
      await page.waitForURL(/\/login\?next=/);
      await expectAccessible(page, 'login');
      await screenshot(page, 'login');
      await page.goto('/signup');
      await expectAccessible(page, 'signup');
      await screenshot(page, 'signup');
      const key = await signUpThroughUi(page, {
        name: 'Dash Tester',
        email,
        password: 'correct horse battery',
      });
      expect(key).toMatch(/^sk-/);
      await page.getByRole('button', { name: 'Go to the dashboard' }).click();
      await expect.poll(() => page.getByRole('banner').textContent()).toContain(email);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/login/);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Incorrect email or password');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname === '/');

      // The session expires while the user is on a page: a sign-in dialog opens over it, and the page's
      // request goes through after signing in again, without leaving the page.
      await page.goto('/credentials');
      // An expired session token (signed with the server's secret, as one issued an hour ago would be).
      const me = (await page.evaluate(
        `fetch('/api/v1/auth/me', { headers: { authorization: 'Bearer ' + localStorage.getItem('wearlink.session') } }).then((r) => r.json())`,
      )) as { id: string };
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('wearlink')
        .setAudience('wearlink:dashboard')
        .setSubject(me.id)
        .setIssuedAt(now - 3_700)
        .setExpirationTime(now - 100)
        .sign(new TextEncoder().encode(server.platform.config.jwtSecret));
      await page.evaluate(`localStorage.setItem('wearlink.session', ${JSON.stringify(expired)})`);
      await page.reload();
      const dialog = page.getByRole('dialog', { name: 'Your session has expired' });
      await dialog.waitFor();
      await dialog.getByLabel('Password').fill('correct horse battery');
      await dialog.getByRole('button', { name: 'Sign in' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(new URL(page.url()).pathname).toBe('/credentials');
      expectNoProblems(watched);
      await watched.context.close();
    }, 180_000);
  },
);
