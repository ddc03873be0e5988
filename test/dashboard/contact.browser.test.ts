import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { browserSkip, expectAccessible, launchBrowser, openPage, screenshot } from './browser.ts';

/** The public contact form files a ticket the operator sees; the per-address limit answers in the page. */
describe.skipIf(browserSkip !== undefined)(
  `dashboard contact form${browserSkip ? ` (${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    const root = `root-${uniqueSuffix()}@example.com`;
    beforeAll(async () => {
      [server, browser] = await Promise.all([
        startTestServer({ worker: false, env: { SUPERUSER_EMAILS: root, CONTACT_FORM_PER_HOUR: '1' } }),
        launchBrowser(),
      ]);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('files a ticket without an account, and refuses the next one from the same address', async () => {
      const watched = await openPage(browser, server.url);
      const { page } = watched;
      const send = async (subject: string) => {
        await page.goto('/contact');
        await page.getByLabel('Email').fill(`visitor-${uniqueSuffix()}@example.com`);
        await page.getByLabel('Subject').fill(subject);
        await page.getByLabel('Message').fill('How do I connect a Garmin watch?');
        await page.getByRole('button', { name: 'Send message' }).click();
      };
      await page.goto('/contact');
      await expectAccessible(page, 'contact');
      await send('Garmin question');
      await page.getByRole('heading', { name: 'Thank you' }).waitFor();
      await screenshot(page, 'contact-sent');

      await send('Again');
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/too many|rate|limit/i);

      const password = 'correct horse battery';
      const registered = await server.api.request('POST', '/api/v1/auth/register', {
        json: { email: root, password, name: 'Root' },
      });
      const tickets = await server.api.request('GET', '/api/v1/admin/support', {
        auth: { key: registered.body.api_key.key },
      });
      expect(tickets.status, tickets.text).toBe(200);
      expect(JSON.stringify(tickets.body)).toContain('Garmin question');
      expect(JSON.stringify(tickets.body)).not.toContain('"Again"');
      const problems = watched.problems.filter((p) => !/status of 429/.test(p));
      expect(problems).toEqual([]);
      await watched.context.close();
    }, 180_000);
  },
);
