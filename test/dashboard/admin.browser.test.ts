import type { Browser, Page } from 'playwright-core';
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

const ROOT = 'root@admin-portal.example.com';
const SECOND = 'second@admin-portal.example.com';
const PASSWORD = 'correct horse battery';

/** The eleven sections: path, the page heading, and a landmark of content that must be on it. */
const SECTIONS: [string, string][] = [
  ['/admin', 'Overview'],
  ['/admin/developers', 'Developers'],
  ['/admin/end-users', 'End users'],
  ['/admin/finance', 'Finance'],
  ['/admin/cogs', 'COGS'],
  ['/admin/insights', 'Insights'],
  ['/admin/audit', 'Audit timeline'],
  ['/admin/system', 'System & jobs'],
  ['/admin/support', 'Support'],
  ['/admin/announcements', 'Announcements'],
  ['/admin/nutrition-review', 'Nutrition review'],
];

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.loading').count(), { timeout: 15_000 }).toBe(0);
}

async function signInThroughUi(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.skipIf(browserSkip !== undefined)(`admin portal${browserSkip ? ` (${browserSkip})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  let rootToken: string;
  const developer = { email: `plain-${uniqueSuffix()}@example.com`, id: '' };

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ env: { SUPERUSER_EMAILS: `${ROOT},${SECOND}` } }),
      launchBrowser(),
    ]);
    for (const email of [SECOND, developer.email]) {
      const res = await server.api.request('POST', '/api/v1/auth/register', {
        json: { email, password: PASSWORD, name: email.split('@')[0] },
      });
      expect(res.status, res.text).toBe(201);
      if (email === developer.email) developer.id = res.body.id;
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('root signs up through the UI, sees the Admin group and every section (axe, screenshots)', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await signUpThroughUi(page, { name: 'Root', email: ROOT, password: PASSWORD });
    await page.getByRole('button', { name: 'Go to the dashboard' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Admin overview' }).waitFor();
    rootToken = (await page.evaluate(`localStorage.getItem('wearlink.session')`)) as string;
    // Some content in the sections that read data: a ticket and a published announcement.
    const contact = await server.api.request('POST', '/api/v1/support/contact', {
      json: {
        email: developer.email,
        name: 'Plain',
        subject: 'Where are my webhooks?',
        message: 'None since Monday.',
      },
    });
    expect(contact.status, contact.text).toBe(201);

    for (const [path, title] of SECTIONS) {
      await nav.getByRole('link', { name: title === 'Overview' ? 'Admin overview' : title }).click();
      await page.waitForURL((url) => url.pathname === path);
      await page.getByRole('heading', { level: 1, name: `Admin · ${title}` }).waitFor();
      await settled(page);
      await expectAccessible(page, path);
      await screenshot(page, `admin${path.replace(/\//g, '-')}`);
    }
    // Run now: a scheduled job runs at once, and the registry says a person ran it (from the audit row).
    await page.goto('/admin/system');
    await settled(page);
    await page.getByRole('button', { name: 'Run data-retention now' }).click();
    await page
      .getByRole('dialog', { name: 'Run data-retention now?' })
      .getByRole('button', { name: 'Run now' })
      .click();
    await expect
      .poll(() => page.getByRole('row', { name: /^data-retention/ }).textContent(), { timeout: 15_000 })
      .toContain('by ');
    // A phone-sized viewport: the support list still fits.
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/admin/support');
    await settled(page);
    await page.getByRole('button', { name: 'Where are my webhooks?', exact: true }).waitFor();
    await expectAccessible(page, 'admin support at 375 px');
    await screenshot(page, 'admin-support-phone');
    expectNoProblems(watched);
    await watched.context.close();
  }, 120_000);

  it('a developer who is not a superuser gets 404 from the admin API and sees no Admin navigation', async () => {
    for (const path of [
      '/api/v1/admin/overview',
      '/api/v1/admin/support',
      '/api/v1/admin/announcements/history',
    ]) {
      const login = await server.api.request('POST', '/api/v1/auth/login', {
        body: new URLSearchParams({ username: developer.email, password: PASSWORD }),
      });
      const res = await server.api.request('GET', path, { auth: { bearer: login.body.access_token } });
      expect(res.status, path).toBe(404);
    }
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await signInThroughUi(page, developer.email);
    await page.waitForURL((url) => url.pathname === '/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Team' }).waitFor();
    await settled(page);
    expect(await nav.getByText('Admin', { exact: true }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Admin overview' }).count()).toBe(0);
    // A typed URL shows the API's refusal, not data.
    await page.goto('/admin/support');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Not found');
    expectNoProblems(watched);
    await watched.context.close();
  }, 120_000);

  it('resolves and reopens a support ticket, publishes an announcement that a developer sees', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await page.goto('/login');
    await page.evaluate(`localStorage.setItem('wearlink.session', ${JSON.stringify(rootToken)})`);
    await page.goto('/admin/support');
    await settled(page);
    await page.getByRole('button', { name: /^Resolve ticket: Where are my webhooks/ }).click();
    await page.getByRole('button', { name: /^Reopen ticket: Where are my webhooks/ }).waitFor();
    await page.getByRole('combobox', { name: 'Status' }).selectOption('resolved');
    await page.getByRole('button', { name: /^Reopen ticket: Where are my webhooks/ }).click();
    await expect.poll(() => page.getByText('No tickets match').count()).toBe(1);

    const title = `Maintenance ${uniqueSuffix()}`;
    await page.goto('/admin/announcements');
    await settled(page);
    await page.getByLabel('Severity').selectOption('warning');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Message').fill('The API is read-only on Sunday from 02:00 UTC.');
    await page.getByLabel('Button link (optional)').fill('javascript:alert(1)');
    await page.getByRole('button', { name: 'Publish announcement' }).click();
    await page.getByText('Use a link starting with https:// or http://').waitFor();
    await page.getByLabel('Button label (optional)').fill('Status page');
    await page.getByLabel('Button link (optional)').fill('https://status.example.com/');
    await page.getByRole('button', { name: 'Publish announcement' }).click();
    await page.getByRole('status').filter({ hasText: 'Published' }).waitFor();
    await expect
      .poll(() => page.getByRole('table', { name: 'Announcement history' }).textContent())
      .toContain(title);
    await expectAccessible(page, 'announcements after publish');
    await screenshot(page, 'admin-announcements-published');
    expectNoProblems(watched);
    await watched.context.close();

    const dev = await openPage(browser, server.url);
    await signInThroughUi(dev.page, developer.email);
    const banner = dev.page.getByRole('complementary', { name: 'Announcement' });
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toContain(title);
    expect(await banner.getByRole('link', { name: 'Status page' }).getAttribute('href')).toBe(
      'https://status.example.com/',
    );
    await screenshot(dev.page, 'dashboard-announcement-banner');
    expectNoProblems(dev);
    await dev.context.close();
  }, 120_000);

  it('the root toggles superuser on another account; a second superuser is refused (root_only)', async () => {
    const watched = await openPage(browser, server.url);
    const { page } = watched;
    await signInThroughUi(page, SECOND);
    await page.waitForURL((url) => url.pathname === '/');
    await page.goto(`/admin/developers/${developer.id}`);
    await settled(page);
    await page.getByRole('button', { name: 'Make superuser' }).click();
    const dialog = page.getByRole('dialog', { name: 'Make this developer a superuser?' });
    await dialog.getByRole('button', { name: 'Make superuser' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/root/i);
    await screenshot(page, 'admin-superuser-refused');
    await watched.context.close();
    const check = await server.platform.database.db
      .selectFrom('developers')
      .select('is_superuser')
      .where('id', '=', developer.id)
      .executeTakeFirstOrThrow();
    expect(check.is_superuser).toBe(false);

    const root = await openPage(browser, server.url);
    await root.page.goto('/login');
    await root.page.evaluate(`localStorage.setItem('wearlink.session', ${JSON.stringify(rootToken)})`);
    await root.page.goto(`/admin/developers/${developer.id}`);
    await settled(root.page);
    await root.page.getByRole('button', { name: 'Make superuser' }).click();
    const confirm = root.page.getByRole('dialog', { name: 'Make this developer a superuser?' });
    await confirm.getByRole('button', { name: 'Make superuser' }).click();
    await root.page.getByRole('button', { name: 'Revoke superuser' }).waitFor();
    await root.page.getByRole('button', { name: 'Revoke superuser' }).click();
    await root.page
      .getByRole('dialog', { name: 'Revoke superuser rights?' })
      .getByRole('button', { name: 'Revoke superuser' })
      .click();
    await root.page.getByRole('button', { name: 'Make superuser' }).waitFor();
    expectNoProblems(root);
    await root.context.close();
  }, 120_000);

  it('a 7-day lock blocks the developer at sign-in, unlock lets them back', async () => {
    const root = await openPage(browser, server.url);
    await root.page.goto('/login');
    await root.page.evaluate(`localStorage.setItem('wearlink.session', ${JSON.stringify(rootToken)})`);
    await root.page.goto(`/admin/developers/${developer.id}`);
    await settled(root.page);
    await root.page.getByRole('button', { name: 'Lock 7 days' }).click();
    await root.page
      .getByRole('dialog', { name: 'Lock this developer for 7 days?' })
      .getByRole('button', { name: 'Lock 7 days' })
      .click();
    await root.page.getByRole('button', { name: 'Unlock' }).waitFor();
    await expectAccessible(root.page, 'developer detail (locked)');
    await screenshot(root.page, 'admin-developer-locked');

    const dev = await openPage(browser, server.url);
    await signInThroughUi(dev.page, developer.email);
    await expect.poll(() => dev.page.getByRole('alert').textContent()).toMatch(/locked/i);
    await screenshot(dev.page, 'login-locked');

    await root.page.getByRole('button', { name: 'Unlock' }).click();
    await root.page
      .getByRole('dialog', { name: 'Unlock this developer?' })
      .getByRole('button', { name: 'Unlock' })
      .click();
    await root.page.getByRole('button', { name: 'Lock 7 days' }).waitFor();
    await signInThroughUi(dev.page, developer.email);
    await dev.page.waitForURL((url) => url.pathname === '/');
    expectNoProblems(root);
    await root.context.close();
    await dev.context.close();
  }, 120_000);
});
