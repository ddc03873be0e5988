import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, uniqueSuffix } from '../support/harness.ts';
import { RazorpayMock } from '../support/vendor-mocks/razorpay.ts';
import {
  browserSkip,
  expectAccessible,
  expectNoProblems,
  launchBrowser,
  openPage,
  screenshot,
  signUpThroughUi,
} from './browser.ts';

/** A developer subscribes from the dashboard; Razorpay (a local mock) confirms; the plan and invoice show. */
describe.skipIf(browserSkip !== undefined)(
  `dashboard billing: a Razorpay checkout${browserSkip ? ` (${browserSkip})` : ''}`,
  () => {
    let server: TestServer;
    let browser: Browser;
    let rzp: RazorpayMock;
    beforeAll(async () => {
      rzp = await new RazorpayMock({
        keyId: 'rzp_test_dashboard',
        keySecret: 'rzp-dashboard-secret',
        webhookSecret: 'rzp-dashboard-webhook-secret',
        plans: { plan_dev: 831_600 },
      }).start();
      [server, browser] = await Promise.all([
        startTestServer({
          env: {
            RAZORPAY_KEY_ID: rzp.keyId,
            RAZORPAY_KEY_SECRET: rzp.keySecret,
            RAZORPAY_WEBHOOK_SECRET: rzp.webhookSecret,
            RAZORPAY_PLAN_IDS: 'developer:plan_dev',
            RAZORPAY_API_URL: rzp.apiUrl,
          },
        }),
        launchBrowser(),
      ]);
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await rzp?.close();
    });

    it('subscribes to the developer plan, and shows it with its invoice once Razorpay charges it', async () => {
      const watched = await openPage(browser, server.url);
      const { page } = watched;
      await signUpThroughUi(page, {
        name: 'Payer',
        email: `payer-${uniqueSuffix()}@example.com`,
        password: 'correct horse battery',
      });
      await page.goto('/billing');
      await page.getByRole('heading', { name: 'Plan & billing', level: 1 }).waitFor();
      await expectAccessible(page, 'billing');
      await page.getByRole('button', { name: 'Subscribe to developer' }).click();
      await page.getByRole('link', { name: 'Authorise the payment with Razorpay' }).waitFor();
      const [subscription] = [...rzp.subscriptions.values()];
      expect(subscription?.plan_id).toBe('plan_dev');

      const hook = `${server.url}/api/v1/billing/razorpay/webhook`;
      expect((await rzp.deliver(hook, rzp.activate(subscription?.id as string))).status).toBe(200);
      expect((await rzp.deliver(hook, rzp.charge(subscription?.id as string))).status).toBe(200);
      await page.reload();
      await expect
        .poll(() => page.getByText('Current plan:').textContent(), { timeout: 30_000 })
        .toContain('developer');
      const invoices = page.getByRole('region', { name: 'Invoices' }).first();
      await expect.poll(() => invoices.textContent(), { timeout: 30_000 }).toContain('paid');
      expect(await invoices.textContent()).toContain('8,316');
      await screenshot(page, 'billing');
      expectNoProblems(watched);
      await watched.context.close();
    }, 240_000);
  },
);
