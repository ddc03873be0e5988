import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookEndpointContext } from '../../src/crypto/contexts.ts';
import { checkEncryptionKey } from '../../src/crypto/key-check.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';
import { describeEachDatabase } from '../support/harness.ts';
import { startReceiver, verify, waitUntil } from '../webhooks/receiver.ts';

const env = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_POLL_INTERVAL_MS: '25',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,60',
};

describeEachDatabase(
  'webhook endpoint secrets at rest',
  (ctx) => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterAll(async () => receiver.close());

    async function endpoint(path: string) {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };
      const created = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth,
        json: { url: receiver.url(path) },
      });
      expect(created.status, created.text).toBe(201);
      return { auth, id: created.body.id as string };
    }
    const row = (id: string) =>
      ctx()
        .platform.deps.db.selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    const shownSecret = async (auth: { key: string }, id: string) => {
      const res = await ctx().api.request('GET', `/api/v1/webhooks/endpoints/${id}/secret`, { auth });
      expect(res.status, res.text).toBe(200);
      return res.body as { key: string; previous_key: string | null };
    };
    async function deliverTest(auth: { key: string }, id: string, path: string) {
      const before = receiver.on(path).length;
      const sent = await ctx().api.request('POST', `/api/v1/webhooks/endpoints/${id}/test`, { auth });
      expect(sent.status, sent.text).toBe(202);
      await waitUntil(() => receiver.on(path).length > before, 15_000, `a delivery to ${path}`);
      return receiver.on(path)[before] as (typeof receiver.received)[number];
    }

    it('stores the secret sealed, shows it in plaintext, and signs deliveries that verify with it', async () => {
      const { auth, id } = await endpoint('/sealed');
      const shown = await shownSecret(auth, id);
      expect(shown.key).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const stored = await row(id);
      expect(stored.secret).not.toContain(shown.key.slice('whsec_'.length));
      expect(stored.secret).not.toContain('whsec_');
      expect(SecretBox.keyIdOf(stored.secret)).toBe(ctx().platform.deps.secrets.keyId);
      // Bound to its row and column: it opens only as this endpoint's current secret.
      const box = ctx().platform.deps.secrets;
      expect(box.open(stored.secret, webhookEndpointContext(id, 'secret'))).toBe(shown.key);
      expect(() => box.open(stored.secret, webhookEndpointContext(id, 'previous_secret'))).toThrow();

      const delivery = await deliverTest(auth, id, '/sealed');
      expect(verify(shown.key, delivery).type).toBe('webhook.test');
    });

    it('seals both secrets on rotation and signs with both during the overlap', async () => {
      const { auth, id } = await endpoint('/rotated');
      const old = await shownSecret(auth, id);
      const rotated = await ctx().api.request('POST', `/api/v1/webhooks/endpoints/${id}/secret/rotate`, {
        auth,
      });
      expect(rotated.status, rotated.text).toBe(200);
      expect(rotated.body.key).toMatch(/^whsec_/);
      expect(rotated.body.key).not.toBe(old.key);
      expect(rotated.body.previous_key).toBe(old.key);
      expect(await shownSecret(auth, id)).toMatchObject({ key: rotated.body.key, previous_key: old.key });
      const stored = await row(id);
      for (const value of [stored.secret, stored.previous_secret ?? ''])
        expect(SecretBox.keyIdOf(value)).toBe(ctx().platform.deps.secrets.keyId);
      expect(stored.previous_secret).not.toContain('whsec_');

      const delivery = await deliverTest(auth, id, '/rotated');
      // A receiver holding either secret verifies it.
      expect(verify(rotated.body.key, delivery).type).toBe('webhook.test');
      expect(verify(old.key, delivery).type).toBe('webhook.test');
    });

    it('reads a legacy plaintext secret and seals it at the next start, once', async () => {
      const { auth, id } = await endpoint('/legacy');
      const { db, secrets } = ctx().platform.deps;
      const legacy = `whsec_${Buffer.from('a legacy secret of 24 b.').toString('base64')}`;
      await db.updateTable('webhook_endpoints').set({ secret: legacy }).where('id', '=', id).execute();
      expect((await shownSecret(auth, id)).key).toBe(legacy);
      expect(verify(legacy, await deliverTest(auth, id, '/legacy')).type).toBe('webhook.test');

      // What openPlatform runs at start.
      await checkEncryptionKey(db, secrets);
      const sealed = (await row(id)).secret;
      expect(SecretBox.keyIdOf(sealed)).toBe(secrets.keyId);
      expect(secrets.open(sealed, webhookEndpointContext(id, 'secret'))).toBe(legacy);
      await checkEncryptionKey(db, secrets);
      expect((await row(id)).secret).toBe(sealed);
      expect((await shownSecret(auth, id)).key).toBe(legacy);
      expect(verify(legacy, await deliverTest(auth, id, '/legacy')).type).toBe('webhook.test');
    });

    it('records a failed attempt, sending nothing, for an endpoint whose secret no key opens', async () => {
      const broken = await endpoint('/unopenable');
      const healthy = await endpoint('/healthy');
      const stray = new SecretBox('a-key-this-server-was-never-given-0123456789').seal(
        'whsec_x',
        webhookEndpointContext(broken.id, 'secret'),
      );
      await ctx()
        .platform.deps.db.updateTable('webhook_endpoints')
        .set({ secret: stray })
        .where('id', '=', broken.id)
        .execute();
      const sent = await ctx().api.request('POST', `/api/v1/webhooks/endpoints/${broken.id}/test`, {
        auth: broken.auth,
      });
      expect(sent.status, sent.text).toBe(202);
      let attempts: any[] = [];
      await waitUntil(
        async () => {
          const res = await ctx().api.request('GET', `/api/v1/webhooks/endpoints/${broken.id}/attempts`, {
            auth: broken.auth,
          });
          attempts = res.body.data;
          return attempts.length > 0;
        },
        15_000,
        'the failed attempt',
      );
      expect(attempts[0]).toMatchObject({ status_code: null, delivery_status: 'pending' });
      expect(attempts[0].error).toMatch(/^signing secret cannot be opened: sealed with key [0-9a-f]{12}/);
      expect(receiver.on('/unopenable')).toHaveLength(0);
      // The delivery loop carries on for everyone else.
      const shown = await shownSecret(healthy.auth, healthy.id);
      expect(verify(shown.key, await deliverTest(healthy.auth, healthy.id, '/healthy')).type).toBe(
        'webhook.test',
      );

      // Its owner is told what is wrong, and rotating gives it a working secret (nothing to keep signing with).
      const unreadable = await ctx().api.request('GET', `/api/v1/webhooks/endpoints/${broken.id}/secret`, {
        auth: broken.auth,
      });
      expect(unreadable.status, unreadable.text).toBe(409);
      expect(unreadable.body.code).toBe('secret_unreadable');
      expect(unreadable.body.detail).toMatch(/cannot be read with the configured ENCRYPTION_KEY .*rotate it/);
      const rotated = await ctx().api.request(
        'POST',
        `/api/v1/webhooks/endpoints/${broken.id}/secret/rotate`,
        {
          auth: broken.auth,
        },
      );
      expect(rotated.status, rotated.text).toBe(200);
      expect(rotated.body).toMatchObject({ previous_key: null, previous_key_expires_at: null });
      const resent = await deliverTest(broken.auth, broken.id, '/unopenable');
      expect(verify(rotated.body.key, resent).type).toBe('webhook.test');
    });
  },
  { env },
);
