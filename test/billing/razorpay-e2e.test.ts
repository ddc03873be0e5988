import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billingWebhookPattern } from '../../src/billing/billing.routes.ts';
import {
  type ApiClient,
  databaseLegs,
  describeEachDatabase,
  startTestServer,
  type TestServer,
  uniqueSuffix,
} from '../support/harness.ts';
import { RazorpayMock } from '../support/vendor-mocks/razorpay.ts';

/**
 * Billing end to end against a local Razorpay (test/support/vendor-mocks/razorpay.ts): a developer's
 * checkout creates the subscription in Razorpay; Razorpay's signed webhooks activate it (the plan and
 * its quota apply at once), charge it (an invoice, MRR in the admin's finance summary), refund it; a
 * forged delivery is refused and a replayed one changes nothing; the admin marks an invoice refunded
 * (one audit row) and sets a plan by hand.
 */
const RATE = 84;
const PLAN_PAISE = { developer: 99 * RATE * 100, scale: 499 * RATE * 100 };

async function registerAs(api: ApiClient, email: string) {
  const res = await api.request('POST', '/api/v1/auth/register', {
    json: { email, password: 'correct horse battery staple', name: 'Root' },
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${res.text}`);
  return { id: res.body.id as string, key: res.body.api_key.key as string };
}

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `Razorpay billing end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let server: TestServer;
      let rzp: RazorpayMock;
      const rootEmail = `root-${uniqueSuffix()}@example.com`;
      let hook = '';
      let root: { id: string; key: string };

      beforeAll(async () => {
        rzp = await new RazorpayMock({
          keyId: 'rzp_test_key',
          keySecret: 'rzp-key-secret',
          webhookSecret: 'rzp-webhook-secret',
          plans: { plan_dev: PLAN_PAISE.developer, plan_scale: PLAN_PAISE.scale },
        }).start();
        server = await startTestServer({
          database: leg,
          env: {
            RAZORPAY_KEY_ID: rzp.keyId,
            RAZORPAY_KEY_SECRET: rzp.keySecret,
            RAZORPAY_WEBHOOK_SECRET: rzp.webhookSecret,
            RAZORPAY_PLAN_IDS: 'developer:plan_dev,scale:plan_scale',
            RAZORPAY_API_URL: rzp.apiUrl,
            USD_INR_RATE: String(RATE),
            SUPERUSER_EMAILS: rootEmail,
          },
        });
        hook = `${server.url}/api/v1/billing/razorpay/webhook`;
        root = await registerAs(server.api, rootEmail);
      });
      afterAll(async () => {
        await server?.close();
        await rzp?.close();
      });

      const quotaOf = async (key: string) => {
        const o = await server.api.request('GET', '/api/v1/dashboard/overview', { auth: { key } });
        expect(o.status).toBe(200);
        return { plan: o.body.nutrition.plan as string, limit: o.body.nutrition.limit as number | null };
      };
      const auditRows = (action: string, targetId: string) =>
        server.platform.deps.db
          .selectFrom('audit_logs')
          .selectAll()
          .where('action', '=', action)
          .where('target_id', '=', targetId)
          .execute();

      it('checkout → activated → charged → refund, with forged and replayed deliveries', async () => {
        const { api } = server;
        const dev = await api.registerDeveloper('Buyer');
        const asRoot = { auth: { key: root.key } };

        const before = await api.request('GET', '/api/v1/billing/subscription', { auth: { key: dev.key } });
        expect(before.status).toBe(200);
        expect(before.body).toMatchObject({
          plan: 'hobby',
          billing_enabled: true,
          subscription: null,
          invoices: [],
        });
        expect(before.body.plans.find((p: { plan: string }) => p.plan === 'developer')).toMatchObject({
          monthly_usd: 99,
          monthly_inr: 8316,
          purchasable: true,
        });
        expect(await quotaOf(dev.key)).toEqual({ plan: 'hobby', limit: 20 });

        // Checkout: the subscription is created in Razorpay with basic auth.
        const checkout = await api.request('POST', '/api/v1/billing/checkout', {
          auth: { key: dev.key },
          json: { plan: 'developer' },
        });
        expect(checkout.status, checkout.text).toBe(201);
        expect(checkout.body).toMatchObject({
          razorpay_key_id: 'rzp_test_key',
          plan: 'developer',
          status: 'created',
          amount_inr: 8316,
          amount_usd: 99,
          usd_inr_rate: RATE,
        });
        const subId = checkout.body.subscription_id as string;
        expect(subId).toMatch(/^sub_/);
        expect(checkout.body.short_url).toMatch(/^https:\/\/rzp\.io\/i\//);
        const created = rzp.requests.find((r) => r.method === 'POST' && r.path === '/v1/subscriptions');
        expect(created).toMatchObject({
          authorized: true,
          body: { plan_id: 'plan_dev', customer_notify: true },
        });
        expect((created?.body as { total_count?: number } | undefined)?.total_count).toBeGreaterThan(0);
        expect(rzp.subscriptions.get(subId)?.notes).toMatchObject({ wearlink_developer_id: dev.id });

        // A forged activation (signed with another secret) and a tampered one are refused; nothing changes.
        const activation = rzp.activate(subId);
        const forged = await rzp.deliver(hook, activation, { forged: true });
        expect(forged).toMatchObject({ status: 400, body: { code: 'invalid_signature' } });
        expect(typeof (forged.body as { detail: unknown }).detail).toBe('string');
        const tampered = await rzp.deliver(hook, rzp.activate(subId), {
          tamper: (b) => b.replace('"subscription.activated"', '"subscription.charged"'),
        });
        expect(tampered.status).toBe(400);
        const unsigned = await api.request('POST', '/api/v1/billing/razorpay/webhook', {
          body: activation.body,
        });
        expect(unsigned).toMatchObject({ status: 400, body: { code: 'invalid_signature' } });
        expect(await quotaOf(dev.key)).toEqual({ plan: 'hobby', limit: 20 });

        // Activated: the plan and its quota apply at once.
        expect(await rzp.deliver(hook, activation)).toMatchObject({
          status: 200,
          body: { status: 'applied' },
        });
        expect(await quotaOf(dev.key)).toEqual({ plan: 'developer', limit: 500 });

        // Charged: an invoice; MRR in the admin's finance summary.
        const charge = rzp.charge(subId);
        expect(await rzp.deliver(hook, charge)).toMatchObject({ status: 200, body: { status: 'applied' } });
        const after = await api.request('GET', '/api/v1/billing/subscription', { auth: { key: dev.key } });
        expect(after.body.plan).toBe('developer');
        expect(after.body.subscription).toMatchObject({
          status: 'active',
          plan: 'developer',
          razorpay_subscription_id: subId,
        });
        expect(after.body.invoices).toHaveLength(1);
        expect(after.body.invoices[0]).toMatchObject({
          status: 'paid',
          amount_inr: 8316,
          amount_usd: 99,
          razorpay_payment_id: charge.payment.id,
        });
        const summary = await api.request('GET', '/api/v1/admin/finance/summary', asRoot);
        expect(summary.status, summary.text).toBe(200);
        expect(summary.body).toMatchObject({
          usd_inr_rate: RATE,
          mrr_usd: 99,
          mrr_inr: 8316,
          arr_usd: 1188,
          arr_inr: 99_792,
          active_subscriptions: 1,
          collected_this_month_inr: 8316,
          refunds_this_month_inr: 0,
        });

        // A replay (Razorpay's retry, or an attacker's) answers 200 and changes nothing.
        const replay = await rzp.replay(hook, charge);
        expect(replay).toMatchObject({
          status: 200,
          body: { status: 'duplicate', event_id: charge.eventId },
        });
        const replayedActivation = await rzp.replay(hook, activation);
        expect(replayedActivation.body).toMatchObject({ status: 'duplicate' });
        const invoices = await api.request(
          'GET',
          `/api/v1/admin/finance/invoices?developer_id=${dev.id}`,
          asRoot,
        );
        expect(invoices.body.pagination.total_count).toBe(1);
        expect(
          Number(
            (
              await server.platform.deps.db
                .selectFrom('billing_webhook_events')
                .select((eb) => eb.fn.countAll<string>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ).toBe(2);

        // Refund processed in Razorpay: the invoice is refunded; refunds show in the summary.
        const refund = rzp.refund(charge.payment.id);
        expect(await rzp.deliver(hook, refund)).toMatchObject({ status: 200, body: { status: 'applied' } });
        const refunded = await api.request('GET', `/api/v1/admin/finance/invoices?status=refunded`, asRoot);
        expect(refunded.body.data).toHaveLength(1);
        expect(refunded.body.data[0]).toMatchObject({
          id: after.body.invoices[0].id,
          status: 'refunded',
          refunded_inr: 8316,
          refunded_usd: 99,
          developer_email: dev.email,
        });
        const summary2 = await api.request('GET', '/api/v1/admin/finance/summary', asRoot);
        expect(summary2.body).toMatchObject({
          refunds_this_month_inr: 8316,
          refunds_this_month_usd: 99,
          refunds_this_month_count: 1,
        });
        // Already refunded: the bookkeeping flip refuses.
        const again = await api.request(
          'POST',
          `/api/v1/admin/finance/invoices/${after.body.invoices[0].id}/mark-refunded`,
          asRoot,
        );
        expect(again).toMatchObject({ status: 409, body: { code: 'invoice_not_refundable' } });

        // The next cycle's charge, refunded in Razorpay's dashboard and marked here by the admin.
        const charge2 = rzp.charge(subId);
        expect((await rzp.deliver(hook, charge2)).status).toBe(200);
        const paid = await api.request(
          'GET',
          `/api/v1/admin/finance/invoices?status=paid&plan=developer`,
          asRoot,
        );
        expect(paid.body.data).toHaveLength(1);
        const invoiceId = paid.body.data[0].id as string;
        // Only a superuser: the developer gets the plain 404.
        const notAdmin = await api.request(
          'POST',
          `/api/v1/admin/finance/invoices/${invoiceId}/mark-refunded`,
          {
            auth: { key: dev.key },
          },
        );
        expect(notAdmin).toMatchObject({ status: 404, body: { detail: 'Not found' } });
        const marked = await api.request(
          'POST',
          `/api/v1/admin/finance/invoices/${invoiceId}/mark-refunded`,
          asRoot,
        );
        expect(marked.status, marked.text).toBe(200);
        expect(marked.body).toMatchObject({ status: 'refunded', refunded_inr: 8316, usd_inr_rate: RATE });
        const rows = await auditRows('admin.invoice.marked_refunded', invoiceId);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          developer_id: root.id,
          actor_type: 'admin',
          actor_id: root.id,
          target_type: 'billing_invoice',
        });

        // A failed charge is recorded as a failed invoice; the plan stays while Razorpay retries.
        const failed = rzp.failPayment(subId);
        expect(await rzp.deliver(hook, failed)).toMatchObject({ status: 200, body: { status: 'applied' } });
        const failedList = await api.request('GET', `/api/v1/admin/finance/invoices?status=failed`, asRoot);
        expect(failedList.body.data[0]).toMatchObject({
          razorpay_payment_id: failed.payment.id,
          status: 'failed',
        });
        expect((await quotaOf(dev.key)).plan).toBe('developer');

        // Halted: back to the default plan at once.
        expect((await rzp.deliver(hook, rzp.halt(subId))).status).toBe(200);
        expect(await quotaOf(dev.key)).toEqual({ plan: 'hobby', limit: 20 });
        const subs = await api.request(
          'GET',
          `/api/v1/admin/finance/subscriptions?developer_id=${dev.id}`,
          asRoot,
        );
        expect(subs.body.data[0]).toMatchObject({
          status: 'halted',
          razorpay_subscription_id: subId,
          developer_email: dev.email,
        });
        const summary3 = await api.request('GET', '/api/v1/admin/finance/summary', asRoot);
        expect(summary3.body).toMatchObject({ mrr_usd: 0, active_subscriptions: 0 });
      });

      it('refuses bad checkouts; ignores events of subscriptions it did not make; a non-event body is 400', async () => {
        const { api } = server;
        const dev = await api.registerDeveloper();
        const hobby = await api.request('POST', '/api/v1/billing/checkout', {
          auth: { key: dev.key },
          json: { plan: 'hobby' },
        });
        expect(hobby.status).toBe(422);
        const enterprise = await api.request('POST', '/api/v1/billing/checkout', {
          auth: { key: dev.key },
          json: { plan: 'enterprise' },
        });
        expect(enterprise).toMatchObject({ status: 409, body: { code: 'plan_not_available' } });
        const stranger = rzp.activate((await rzp_create(rzp)).id);
        expect(await rzp.deliver(hook, stranger)).toMatchObject({ status: 200, body: { status: 'ignored' } });
        const garbage = { eventId: 'evt_garbage', event: 'x', body: '{"not":"an event"}' };
        expect(await rzp.deliver(hook, garbage)).toMatchObject({
          status: 400,
          body: { code: 'invalid_payload' },
        });
      });

      it('an upgrade cancels the old subscription in Razorpay and keeps the new plan', async () => {
        const { api } = server;
        const dev = await api.registerDeveloper('Upgrader');
        const buy = async (plan: string) => {
          const res = await api.request('POST', '/api/v1/billing/checkout', {
            auth: { key: dev.key },
            json: { plan },
          });
          expect(res.status, res.text).toBe(201);
          return res.body.subscription_id as string;
        };
        const first = await buy('developer');
        expect((await rzp.deliver(hook, rzp.activate(first))).status).toBe(200);
        const again = await api.request('POST', '/api/v1/billing/checkout', {
          auth: { key: dev.key },
          json: { plan: 'developer' },
        });
        expect(again).toMatchObject({ status: 409, body: { code: 'already_subscribed' } });
        const second = await buy('scale');
        expect((await rzp.deliver(hook, rzp.activate(second))).status).toBe(200);
        expect(await quotaOf(dev.key)).toEqual({ plan: 'scale', limit: 5000 });
        // WearLink asked Razorpay to cancel the old one; Razorpay's event ends it here, the plan stays.
        expect(
          rzp.requests.some(
            (r) => r.method === 'POST' && r.path === `/v1/subscriptions/${first}/cancel` && r.authorized,
          ),
        ).toBe(true);
        expect(rzp.subscriptions.get(first)?.status).toBe('cancelled');
        expect((await rzp.deliver(hook, rzp.cancel(first))).status).toBe(200);
        expect(await quotaOf(dev.key)).toEqual({ plan: 'scale', limit: 5000 });
        const subs = await api.request('GET', `/api/v1/admin/finance/subscriptions?developer_id=${dev.id}`, {
          auth: { key: root.key },
        });
        expect(
          subs.body.data.map((x: { plan: string; status: string }) => `${x.plan}:${x.status}`).sort(),
        ).toEqual(['developer:cancelled', 'scale:active']);
      });

      it('lets the root admin set a plan by hand (audited once), 404 for a developer', async () => {
        const { api } = server;
        const other = await api.registerDeveloper(); // not a superuser
        const dev = await api.registerDeveloper();
        const denied = await api.request('POST', `/api/v1/admin/developers/${dev.id}/plan`, {
          auth: { key: other.key },
          json: { plan: 'scale' },
        });
        expect(denied).toMatchObject({ status: 404, body: { detail: 'Not found' } });
        // The root's session (a bearer token) as the dashboard uses it.
        const login = await api.request('POST', '/api/v1/auth/login', {
          body: new URLSearchParams({ username: rootEmail, password: 'correct horse battery staple' }),
        });
        expect(login.status, login.text).toBe(200);
        const rootKey = login.body.access_token as string;
        const set = await api.request('POST', `/api/v1/admin/developers/${dev.id}/plan`, {
          auth: { bearer: rootKey },
          json: { plan: 'scale' },
        });
        expect(set.status, set.text).toBe(200);
        expect(set.body).toEqual({ developer_id: dev.id, plan: 'scale', previous_plan: 'hobby' });
        expect(await quotaOf(dev.key)).toEqual({ plan: 'scale', limit: 5000 });
        expect(await auditRows('admin.developer.plan_set', dev.id)).toHaveLength(1);
        const missing = await api.request(
          'POST',
          `/api/v1/admin/developers/00000000-0000-4000-8000-000000000000/plan`,
          {
            auth: { bearer: rootKey },
            json: { plan: 'scale' },
          },
        );
        expect(missing.status).toBe(404);
      });
    },
  );
}

/** A subscription made in Razorpay by something other than WearLink (same account). */
async function rzp_create(rzp: RazorpayMock) {
  const res = await fetch(`${rzp.apiUrl}/subscriptions`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${rzp.keyId}:${rzp.keySecret}`).toString('base64')}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ plan_id: 'plan_dev', total_count: 12 }),
  });
  return (await res.json()) as { id: string };
}

describeEachDatabase('billing without Razorpay configured', (ctx) => {
  it('checkout is 409 billing_disabled and the webhook 404 billing_disabled', async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const checkout = await api.request('POST', '/api/v1/billing/checkout', {
      auth: { key: dev.key },
      json: { plan: 'developer' },
    });
    expect(checkout).toMatchObject({ status: 409, body: { code: 'billing_disabled' } });
    const hook = await api.request('POST', '/api/v1/billing/razorpay/webhook', { body: '{}' });
    expect(hook).toMatchObject({ status: 404, body: { code: 'billing_disabled' } });
    expect(typeof hook.body.detail).toBe('string');
    const state = await api.request('GET', '/api/v1/billing/subscription', { auth: { key: dev.key } });
    expect(state.body).toMatchObject({ plan: 'hobby', billing_enabled: false });
    expect(billingWebhookPattern.test('/api/v1/billing/razorpay/webhook')).toBe(true);
  });
});
