import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProviderApp } from '../../../src/providers/apps/provider-apps.repo.ts';
import {
  checkAppSubscriptionsSoon,
  ensureAppSubscriptions,
  ensureMissingUserSubscriptions,
  ensureUserSubscription,
  removeUserSubscription,
  scheduleAppSubscriptions,
} from '../../../src/providers/webhooks/subscriptions.ts';
import { databaseLegs } from '../../support/harness.ts';
import { connectUser, eventually, startWebhookWorld, type WebhookWorld } from './setup.ts';
import { handingOutSeen, perUserVendor } from './test-vendors.ts';

const DAY = 86_400_000;

/**
 * The subscription keeper against a mock of Oura's subscription API (which runs the GET challenge
 * against WearLink's callback before it creates anything, and expires subscriptions after 30 days),
 * on both storage legs.
 */
for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `vendor subscriptions [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let world: WebhookWorld;
      beforeAll(async () => {
        world = await startWebhookWorld(leg);
      });
      afterAll(async () => {
        await world?.close();
      });
      const deps = () => world.server.platform.deps;
      const appRow = (developerId: string | null) =>
        deps()
          .db.selectFrom('provider_subscriptions')
          .selectAll()
          .where('provider', '=', 'oura')
          .where('developer_id', 'is not distinct from', developerId)
          .execute();

      it('creates each app subscription once (the worker does it at start), renews it near expiry, survives vendor errors', async () => {
        const { mock, server } = world;
        // The worker queued the check at start: the instance default app is subscribed, once.
        const [instance] = await eventually(async () => {
          const rows = await appRow(null);
          return rows.length > 0 ? rows : undefined;
        }, 'the instance app subscription');
        expect(instance).toMatchObject({
          kind: 'app',
          connection_id: null,
          callback_url: `${server.platform.config.publicUrl}/api/v1/webhooks/oura`,
        });
        expect(mock.subscriptions.get(instance?.vendor_subscription_id as string)?.clientId).toBe(
          'oura-instance',
        );
        expect(instance?.expires_at?.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
        // WearLink's callback answered the vendor's challenge.
        expect(mock.calls.challengeAnswers[0]).toMatchObject({ status: 200 });
        expect(await scheduleAppSubscriptions(server.platform.queue)).toBe(false); // this slot's job exists
        expect(await ensureAppSubscriptions(deps())).toEqual({ checked: 0, changed: 0, failed: 0 });
        expect(mock.calls.create).toBe(1);

        // A developer registers their own app: it gets its own subscription, with its verify token.
        const dev = await server.api.registerDeveloper('Oura dev');
        const put = await server.api.request('PUT', '/api/v1/developer/providers/oura', {
          auth: { key: dev.key },
          json: { client_id: 'oura-a', client_secret: 'oura-a-secret', webhook_secret: 'oura-a-verify' },
        });
        expect(put.status, put.text).toBeLessThan(300);
        // Saving the app queued a check now rather than at the next hourly slot (a second ask within
        // seconds shares it).
        expect(await checkAppSubscriptionsSoon(server.platform.queue)).toBe(false);
        const [own] = await eventually(async () => {
          const rows = await appRow(dev.id);
          return rows.length > 0 ? rows : undefined;
        }, "the developer app's subscription");
        expect(mock.calls.create).toBe(2);
        expect(await ensureAppSubscriptions(deps())).toEqual({ checked: 0, changed: 0, failed: 0 });
        expect(mock.subscriptions.get(own?.vendor_subscription_id as string)?.clientId).toBe('oura-a');

        // Days later it is about to expire; the vendor is down for the first try.
        await deps()
          .db.updateTable('provider_subscriptions')
          .set({ expires_at: new Date(Date.now() + 2 * DAY) })
          .where('id', '=', own?.id as string)
          .execute();
        mock.failNext(1);
        expect(await ensureAppSubscriptions(deps())).toEqual({ checked: 1, changed: 0, failed: 1 });
        expect(mock.calls.renew).toBe(0);
        expect((await appRow(dev.id))[0]?.expires_at?.getTime()).toBeLessThan(Date.now() + 3 * DAY);
        // Next round: renewed in place, not created again.
        expect(await ensureAppSubscriptions(deps())).toEqual({ checked: 1, changed: 1, failed: 0 });
        expect(mock.calls).toMatchObject({ create: 2, renew: 1 });
        const renewed = await appRow(dev.id);
        expect(renewed).toHaveLength(1);
        expect(renewed[0]).toMatchObject({
          id: own?.id,
          vendor_subscription_id: own?.vendor_subscription_id,
        });
        expect(renewed[0]?.expires_at?.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
      });

      it('keeps a secret the vendor hands out sealed, verifies deliveries with it, and shows it back to the adapter', async () => {
        const rows = await eventually(async () => {
          const found = await deps()
            .db.selectFrom('provider_subscriptions')
            .selectAll()
            .where('provider', '=', 'polar')
            .execute();
          return found.length > 0 ? found : undefined;
        }, 'the polar subscription');
        expect(rows).toHaveLength(1);
        const stored = JSON.stringify(rows[0]?.details);
        expect(stored).not.toContain('handed-out-secret');
        expect(rows[0]?.details).toMatchObject({
          events: ['SLEEP'],
          webhook_secret_sealed: expect.stringMatching(/^wl1\./),
        });

        const body = JSON.stringify({ user_id: 'p-1', id: 's-1', type: 'sleep.updated' });
        const sign = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');
        const post = (signature: string) =>
          world.server.api.request('POST', '/api/v1/webhooks/polar', {
            body,
            headers: { 'Content-Type': 'application/json', 'Polar-Webhook-Signature': signature },
          });
        expect((await post(sign('some-other-secret'))).status).toBe(401);
        const accepted = await post(sign('handed-out-secret'));
        expect(accepted.status, accepted.text).toBe(200);
        expect(accepted.body.status).toBe('accepted');

        // A day later the keeper re-checks: the adapter sees the secret it handed over, and keeps the row.
        await deps()
          .db.updateTable('provider_subscriptions')
          .set({ updated_at: new Date(Date.now() - 2 * DAY) })
          .where('id', '=', rows[0]?.id as string)
          .execute();
        handingOutSeen.length = 0;
        await ensureAppSubscriptions(deps());
        expect(handingOutSeen).toEqual([
          { existingDetails: { events: ['SLEEP'], webhook_secret: 'handed-out-secret' } },
        ]);
      });

      it('per-user vendors: subscribed with the user token at connect, retried by the periodic job after a failure, removed on disconnect', async () => {
        const { server, mock } = world;
        const dev = await server.api.registerDeveloper('Withings dev');
        const app = await resolveProviderApp(deps(), dev.id, 'withings');
        if (app === undefined) throw new Error('the instance Withings app should apply');
        const userRows = (connectionId: string) =>
          deps()
            .db.selectFrom('provider_subscriptions')
            .selectAll()
            .where('connection_id', '=', connectionId)
            .execute();

        const first = await connectUser(server, dev.key, dev.id, 'withings', `w-${Date.now()}`);
        expect(await ensureUserSubscription(deps(), perUserVendor, app, first.connection)).toBe(true);
        const callback = `${server.platform.config.publicUrl}/api/v1/webhooks/withings`;
        // The vendor's HEAD probe of the callback was answered; the user's own token was used.
        expect(mock.calls.notify).toEqual([
          { action: 'subscribe', callbackurl: callback, probe: 200, token: `token-${first.connection.id}` },
        ]);
        expect(await userRows(first.connection.id)).toMatchObject([
          {
            kind: 'user',
            provider: 'withings',
            developer_id: dev.id,
            callback_url: callback,
            details: { applis: [44] },
          },
        ]);

        // The vendor refuses at the second user's connect: no row, no crash; the periodic job retries it.
        const second = await connectUser(server, dev.key, dev.id, 'withings', `w2-${Date.now()}`);
        mock.failNext(1);
        expect(await ensureUserSubscription(deps(), perUserVendor, app, second.connection)).toBe(false);
        expect(await userRows(second.connection.id)).toEqual([]);
        expect(await ensureMissingUserSubscriptions(deps())).toBe(1);
        expect(await userRows(second.connection.id)).toHaveLength(1);
        expect(await ensureMissingUserSubscriptions(deps())).toBe(0);

        await removeUserSubscription(deps(), perUserVendor, app, first.connection);
        expect(mock.calls.notify.at(-1)).toEqual({
          action: 'revoke',
          callbackurl: callback,
          token: `token-${first.connection.id}`,
        });
        expect(await userRows(first.connection.id)).toEqual([]);
      });
    },
  );
}
