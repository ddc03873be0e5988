import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  type WatchedPage,
} from './browser.ts';

/** A webhook receiver that answers 200 and counts what it got. */
async function startReceiver(): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, server };
}

/** Visits a page, waits for it to settle, checks it with axe and writes its screenshot. */
async function visit(watched: WatchedPage, path: string, name: string, ready: () => Promise<unknown>) {
  await watched.page.goto(path);
  await ready();
  await expectAccessible(watched.page, name);
  await screenshot(watched.page, name);
}

describe.skipIf(browserSkip !== undefined)(
  `dashboard: a developer's first hour, in Chromium${browserSkip ? ` (${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    beforeAll(async () => {
      [server, browser, receiver] = await Promise.all([
        // The webhook receiver is on 127.0.0.1, which the SSRF guard refuses unless told otherwise.
        startTestServer({ env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } }),
        launchBrowser(),
        startReceiver(),
      ]);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      receiver?.server.close();
    });

    it('signs up, creates a key and a user, connects the sandbox, watches the sync, charts heart rate, sends a webhook test; a viewer cannot create keys', async () => {
      const owner = await openPage(browser, server.url);
      const { page } = owner;
      const email = `owner-${uniqueSuffix()}@example.com`;
      await signUpThroughUi(page, { name: 'Owner', email, password: 'correct horse battery' });
      await page.getByRole('button', { name: 'Go to the dashboard' }).click();
      await visit(owner, '/', 'overview', () => page.getByRole('heading', { name: 'Overview' }).waitFor());

      // Credentials: a key is shown once.
      await visit(owner, '/credentials', 'credentials', () =>
        page.getByRole('button', { name: 'Create API key' }).waitFor(),
      );
      await page.getByLabel('Key name').fill('Browser test');
      await page.getByRole('button', { name: 'Create API key' }).click();
      const key = await page.getByRole('textbox', { name: 'API key' }).inputValue();
      expect(key).toMatch(/^sk-/);
      await screenshot(page, 'credentials-new-key');
      await page.keyboard.press('Escape');

      // A user, then the sandbox connected from the user's page.
      await visit(owner, '/users', 'users', () =>
        page.getByRole('button', { name: 'Create user' }).waitFor(),
      );
      await page.getByRole('button', { name: 'Create user' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('Grace Runner');
      await dialog.getByLabel('Email').fill(`grace-${uniqueSuffix()}@example.com`);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL(/\/users\/[0-9a-f-]{36}/);
      const userId = /\/users\/([0-9a-f-]{36})/.exec(page.url())?.[1] as string;
      await page.getByRole('button', { name: 'Connect sandbox' }).click();
      await page.getByRole('button', { name: 'Sync now' }).waitFor();
      await expectAccessible(page, 'user-detail');
      await screenshot(page, 'user-detail');

      // The sync, live: start it from the Live syncs page and watch it to completion.
      await visit(owner, `/syncs?user=${userId}`, 'syncs', () =>
        page.getByText('Live', { exact: true }).waitFor(),
      );
      await page.getByRole('button', { name: 'Trigger sync' }).click();
      await expect
        .poll(() => page.locator('[data-event-id]').allTextContents(), { timeout: 60_000 })
        .toEqual(expect.arrayContaining([expect.stringMatching(/completed/i)]));
      await screenshot(page, 'syncs-completed');
      const runs = await server.api.request('GET', '/api/v1/sync/runs', { auth: { key } });
      const runId = runs.body.data[0].run_id as string;
      await visit(owner, `/syncs/${encodeURIComponent(runId)}?user=${userId}`, 'sync-run', () =>
        page.locator('[data-event-id]').first().waitFor(),
      );

      // Heart rate, charted: the point count follows the resolution switch.
      await page.goto(`/users/${userId}?tab=timeseries`);
      const caption = page.getByTestId('timeseries-caption');
      await caption.waitFor({ timeout: 30_000 });
      await page
        .getByLabel(/heart rate/i)
        .first()
        .check()
        .catch(() => undefined);
      await page.getByRole('radio', { name: /^1min/ }).check();
      await expect.poll(() => caption.textContent(), { timeout: 60_000 }).toContain('at 1min');
      const perMinute = Number(await caption.getAttribute('data-points'));
      await page.getByRole('radio', { name: /^1hour/ }).check();
      await expect.poll(() => caption.textContent(), { timeout: 60_000 }).toContain('at 1hour');
      const perHour = Number(await caption.getAttribute('data-points'));
      expect(perMinute).toBeGreaterThan(perHour);
      expect(perHour).toBeGreaterThan(0);
      await expectAccessible(page, 'user-timeseries');
      await screenshot(page, 'user-timeseries');

      // A webhook endpoint, a test event, its attempt.
      await visit(owner, '/webhooks', 'webhooks', () =>
        page.getByRole('button', { name: 'Add endpoint' }).waitFor(),
      );
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.getByLabel('Endpoint URL').fill(receiver.url);
      await page.getByRole('button', { name: 'Create endpoint' }).click();
      await page.waitForURL(/\/webhooks\/ep_/);
      await page.getByRole('button', { name: 'Send test event' }).click();
      const attempts = page.getByRole('table', { name: 'Delivery attempts' });
      await expect.poll(() => attempts.textContent(), { timeout: 30_000 }).toContain('200');
      expect(receiver.received.some((body) => body.includes('webhook.test'))).toBe(true);
      await expectAccessible(page, 'webhook-endpoint');
      await screenshot(page, 'webhook-endpoint');

      // The other pages: each renders, passes axe and is captured.
      for (const [path, name, heading] of [
        ['/providers', 'providers', 'Providers'],
        ['/imports', 'imports', 'Imports'],
        ['/audit', 'audit', 'Audit log'],
        ['/data-settings', 'data-settings', 'Data settings'],
        ['/team', 'team', 'Team'],
      ] as const) {
        await visit(owner, path, name, () =>
          page.getByRole('heading', { name: heading, level: 1 }).waitFor(),
        );
      }

      // Invite a viewer: the link is shown (no SMTP here), the viewer joins in another browser.
      await page.getByLabel('Email').fill(`viewer-${uniqueSuffix()}@example.com`);
      await page.getByLabel('Role').selectOption('viewer');
      await page.getByRole('button', { name: 'Send invitation' }).click();
      const link = await page.getByRole('textbox', { name: 'Invitation link' }).inputValue();
      expect(link).toContain('/invitations/accept?token=');

      const viewer = await openPage(browser, server.url);
      await visit(viewer, new URL(link).pathname + new URL(link).search, 'invitation-accept', () =>
        viewer.page.getByLabel('Name').waitFor(),
      );
      await viewer.page.getByLabel('Name').fill('Vera Viewer');
      await viewer.page.getByLabel('Password').fill('viewer password 123');
      await viewer.page.getByRole('button', { name: /join|accept/i }).click();
      await viewer.page.waitForURL((url) => url.pathname === '/');
      await viewer.page.goto('/credentials');
      await viewer.page.getByRole('heading', { name: 'Credentials', level: 1 }).waitFor();
      await viewer.page.getByRole('table').first().waitFor();
      expect(await viewer.page.getByRole('button', { name: 'Create API key' }).count()).toBe(0);
      await screenshot(viewer.page, 'credentials-viewer');
      const refused = (await viewer.page.evaluate(
        `fetch('/api/v1/developer/api-keys', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + localStorage.getItem('wearlink.session') }, body: JSON.stringify({ name: 'nope' }) }).then(async (r) => ({ status: r.status, body: await r.json() }))`,
      )) as { status: number; body: { code?: string } };
      expect(refused).toMatchObject({ status: 403, body: { code: 'role_forbidden' } });

      expectNoProblems(owner);
      expectNoProblems(viewer);
      await owner.context.close();
      await viewer.context.close();
    }, 300_000);

    it('fits a phone: no page scrolls sideways at 375 px', async () => {
      const phone = await openPage(browser, server.url, { width: 375, height: 740 });
      await signUpThroughUi(phone.page, {
        name: 'Phone',
        email: `phone-${uniqueSuffix()}@example.com`,
        password: 'correct horse battery',
      });
      for (const path of [
        '/',
        '/users',
        '/syncs',
        '/webhooks',
        '/credentials',
        '/providers',
        '/audit',
        '/team',
      ]) {
        await phone.page.goto(path);
        await phone.page
          .getByRole('heading', { level: 1 })
          .first()
          .waitFor()
          .catch(async (error) => {
            await screenshot(phone.page, `failure-phone${path.replaceAll('/', '-')}`);
            throw error;
          });
        await phone.page.waitForLoadState('networkidle');
        const overflow = (await phone.page.evaluate(
          'document.documentElement.scrollWidth - document.documentElement.clientWidth',
        )) as number;
        expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
        await screenshot(phone.page, `phone${path === '/' ? '-overview' : path.replaceAll('/', '-')}`);
      }
      expectNoProblems(phone);
      await phone.context.close();
    }, 180_000);
  },
);
