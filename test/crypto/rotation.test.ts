import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionTokensContext,
  oauthStateContext,
  providerAppContext,
  providerSubscriptionContext,
  webhookEndpointContext,
} from '../../src/crypto/contexts.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';
import type { Db } from '../../src/db/database.ts';
import type { Platform } from '../../src/platform.ts';
import { startServer } from '../../src/server.ts';
import { ApiClient, databaseLegs } from '../support/harness.ts';
import { wearlinkSync } from '../support/processes.ts';
import { KEY_A, KEY_B, KEY_C, newPlace, type Place } from './places.ts';

const boxA = new SecretBox(KEY_A);
const boxB = new SecretBox(KEY_B);

/**
 * Every sealed value in the database, read with this test's own list of columns (not the code's, so a
 * column the rotation forgets shows up here as a value under the old key).
 */
async function sealedValues(db: Db): Promise<{ where: string; value: string }[]> {
  const { rows } = await sql<{ where: string; value: string }>`
    select 'encryption_canary' as where, sealed as value from encryption_canary
    union all select 'webhook_endpoints.secret ' || id, secret from webhook_endpoints
    union all select 'webhook_endpoints.previous_secret ' || id, previous_secret from webhook_endpoints
      where previous_secret is not null
    union all select 'connections.tokens_sealed ' || id, tokens_sealed from connections where tokens_sealed is not null
    union all select 'provider_apps.client_secret_sealed ' || provider, client_secret_sealed from provider_apps
      where client_secret_sealed is not null
    union all select 'provider_apps.webhook_secret_sealed ' || provider, webhook_secret_sealed from provider_apps
      where webhook_secret_sealed is not null
    union all select 'oauth_states.code_verifier_sealed', code_verifier_sealed from oauth_states
      where code_verifier_sealed is not null
    union all select 'provider_subscriptions ' || id, details ->> 'webhook_secret_sealed' from provider_subscriptions
      where details ? 'webhook_secret_sealed'`.execute(db);
  return rows;
}

interface Seeded {
  developerId: string;
  apiKey: string;
  endpointId: string;
  legacyEndpointId: string;
  shown: { key: string; previous_key: string };
  legacySecret: string;
  connectionId: string;
  stateHash: string;
  subscriptionId: string;
}

/** Through the API (webhook endpoints) and as the apps / OAuth / subscription code writes them (the rest). */
async function seed(platform: Platform): Promise<Seeded> {
  const server = await startServer(platform);
  try {
    const api = new ApiClient(server.url);
    const dev = await api.registerDeveloper();
    const auth = { key: dev.key };
    const user = await api.createUser(dev.key);
    const endpoint = async () => {
      const res = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth,
        json: { url: 'http://127.0.0.1:9/hook', disabled: true },
      });
      expect(res.status, res.text).toBe(201);
      return res.body.id as string;
    };
    const endpointId = await endpoint();
    const rotated = await api.request('POST', `/api/v1/webhooks/endpoints/${endpointId}/secret/rotate`, {
      auth,
    });
    expect(rotated.status, rotated.text).toBe(200);
    // An endpoint from before secrets were sealed: its secret is plaintext in the row.
    const legacyEndpointId = await endpoint();
    const legacySecret = `whsec_${Buffer.from('legacy-secret-bytes-0123456789').toString('base64')}`;
    const db = platform.deps.db;
    await db
      .updateTable('webhook_endpoints')
      .set({ secret: legacySecret })
      .where('id', '=', legacyEndpointId)
      .execute();

    const connectionId = randomUUID();
    await db
      .insertInto('connections')
      .values({
        id: connectionId,
        developer_id: dev.id,
        user_id: user.id,
        provider: 'oura',
        status: 'active',
        settings: '{}',
        tokens_sealed: boxA.seal(
          '{"access_token":"at","refresh_token":"rt"}',
          connectionTokensContext(connectionId),
        ),
      })
      .execute();
    await db
      .insertInto('provider_apps')
      .values({
        developer_id: dev.id,
        provider: 'oura',
        client_id: 'client-1',
        client_secret_sealed: boxA.seal('client-secret', providerAppContext(dev.id, 'oura', 'client_secret')),
        webhook_secret_sealed: boxA.seal(
          'verify-token',
          providerAppContext(dev.id, 'oura', 'webhook_secret'),
        ),
      })
      .execute();
    const stateHash = 'a'.repeat(64);
    await db
      .insertInto('oauth_states')
      .values({
        state_hash: stateHash,
        developer_id: dev.id,
        user_id: user.id,
        provider: 'oura',
        redirect_uri: 'https://app.example/done',
        code_verifier_sealed: boxA.seal('pkce-verifier', oauthStateContext(stateHash)),
        expires_at: new Date(Date.now() + 600_000),
      })
      .execute();
    const subscriptionId = randomUUID();
    await db
      .insertInto('provider_subscriptions')
      .values({
        id: subscriptionId,
        provider: 'polar',
        developer_id: dev.id,
        kind: 'app',
        callback_url: 'https://wearlink.example/api/v1/webhooks/polar',
        details: JSON.stringify({
          events: ['EXERCISE'],
          webhook_secret_sealed: boxA.seal('polar-signing-key', providerSubscriptionContext(subscriptionId)),
        }),
      })
      .execute();
    return {
      developerId: dev.id,
      apiKey: dev.key,
      endpointId,
      legacyEndpointId,
      shown: { key: rotated.body.key, previous_key: rotated.body.previous_key },
      legacySecret,
      connectionId,
      stateHash,
      subscriptionId,
    };
  } finally {
    await server.close();
  }
}

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `ENCRYPTION_KEY rotation [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let place: Place;
      beforeAll(() => {
        place = newPlace(leg);
      });
      afterAll(async () => place.remove());

      it('`wearlink secrets rotate` re-seals every sealed column under the new key; the old key can then go', async () => {
        const first = await place.open(KEY_A, undefined, { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' });
        let seeded: Seeded;
        try {
          seeded = await seed(first);
          const values = await sealedValues(first.deps.db);
          // The legacy endpoint is plaintext until the next start; everything else is under key A.
          expect(values.filter((v) => SecretBox.keyIdOf(v.value) !== boxA.keyId).map((v) => v.where)).toEqual(
            [`webhook_endpoints.secret ${seeded.legacyEndpointId}`],
          );
          expect(values).toHaveLength(9);
        } finally {
          await first.close();
        }

        // The new key alone: refused, the data is under A.
        const refused = wearlinkSync(['secrets', 'rotate'], place.processEnv(KEY_B));
        expect(refused.status, refused.output).toBe(1);
        expect(refused.output).toContain('ENCRYPTION_KEY differs from the key this database');

        const rotate = wearlinkSync(['secrets', 'rotate'], place.processEnv(KEY_B, KEY_A));
        expect(rotate.status, rotate.output).toBe(0);
        const line = (name: string) =>
          new RegExp(`\\n  ${name.replaceAll('.', '\\.')}\\s+(.*)\\n`).exec(rotate.output)?.[1];
        expect(rotate.output).toContain(`under ENCRYPTION_KEY (key id ${boxB.keyId})`);
        // The canary was re-sealed by the command's own start; the legacy endpoint sealed there, under B.
        expect(line('encryption_canary.sealed')).toBe('0 re-sealed, 1 already current');
        expect(line('webhook_endpoints.secret')).toBe('1 re-sealed, 1 already current');
        expect(line('webhook_endpoints.previous_secret')).toBe('1 re-sealed, 0 already current');
        expect(line('connections.tokens_sealed')).toBe('1 re-sealed, 0 already current');
        expect(line('provider_apps.client_secret_sealed')).toBe('1 re-sealed, 0 already current');
        expect(line('provider_apps.webhook_secret_sealed')).toBe('1 re-sealed, 0 already current');
        expect(line('oauth_states.code_verifier_sealed')).toBe('1 re-sealed, 0 already current');
        expect(line('provider_subscriptions.details.webhook_secret_sealed')).toBe(
          '1 re-sealed, 0 already current',
        );
        expect(rotate.output).toContain('ENCRYPTION_KEY_PREVIOUS can be removed');

        // Run again: nothing left to do.
        const again = wearlinkSync(['secrets', 'rotate'], place.processEnv(KEY_B, KEY_A));
        expect(again.status, again.output).toBe(0);
        expect(again.output).not.toMatch(/[1-9]\d* re-sealed/);

        let stray = '';
        // The new key alone now starts, and every value is under it and opens to what was stored.
        const second = await place.open(KEY_B);
        try {
          const db = second.deps.db;
          const values = await sealedValues(db);
          expect(values).toHaveLength(9);
          expect(values.filter((v) => SecretBox.keyIdOf(v.value) !== boxB.keyId)).toEqual([]);
          const connection = await db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
          expect(
            boxB.open(connection.tokens_sealed ?? '', connectionTokensContext(seeded.connectionId)),
          ).toContain('"refresh_token":"rt"');
          const app = await db.selectFrom('provider_apps').selectAll().executeTakeFirstOrThrow();
          expect(
            boxB.open(
              app.client_secret_sealed ?? '',
              providerAppContext(seeded.developerId, 'oura', 'client_secret'),
            ),
          ).toBe('client-secret');
          expect(
            boxB.open(
              app.webhook_secret_sealed ?? '',
              providerAppContext(seeded.developerId, 'oura', 'webhook_secret'),
            ),
          ).toBe('verify-token');
          const state = await db.selectFrom('oauth_states').selectAll().executeTakeFirstOrThrow();
          expect(boxB.open(state.code_verifier_sealed ?? '', oauthStateContext(seeded.stateHash))).toBe(
            'pkce-verifier',
          );
          const subscription = await db
            .selectFrom('provider_subscriptions')
            .selectAll()
            .executeTakeFirstOrThrow();
          expect(subscription.details.events).toEqual(['EXERCISE']);
          expect(
            boxB.open(
              String(subscription.details.webhook_secret_sealed),
              providerSubscriptionContext(seeded.subscriptionId),
            ),
          ).toBe('polar-signing-key');
          const legacy = await db
            .selectFrom('webhook_endpoints')
            .selectAll()
            .where('id', '=', seeded.legacyEndpointId)
            .executeTakeFirstOrThrow();
          expect(boxB.open(legacy.secret, webhookEndpointContext(seeded.legacyEndpointId, 'secret'))).toBe(
            seeded.legacySecret,
          );

          // The API still shows the same plaintext secrets.
          const server = await startServer(second);
          try {
            const api = new ApiClient(server.url);
            const auth = { key: seeded.apiKey };
            const shown = await api.request('GET', `/api/v1/webhooks/endpoints/${seeded.endpointId}/secret`, {
              auth,
            });
            expect(shown.status, shown.text).toBe(200);
            expect(shown.body).toMatchObject(seeded.shown);
            const legacyShown = await api.request(
              'GET',
              `/api/v1/webhooks/endpoints/${seeded.legacyEndpointId}/secret`,
              {
                auth,
              },
            );
            expect(legacyShown.body.key).toBe(seeded.legacySecret);
          } finally {
            await server.close();
          }

          // A value no configured key opens is reported by row and left as it is; the command fails.
          stray = new SecretBox(KEY_C).seal('x', connectionTokensContext(seeded.connectionId));
          await db.updateTable('connections').set({ tokens_sealed: stray }).execute();
        } finally {
          await second.close();
        }
        const partial = wearlinkSync(['secrets', 'rotate'], place.processEnv(KEY_B, KEY_A));
        expect(partial.status, partial.output).toBe(1);
        expect(partial.output).toContain(
          `connections.tokens_sealed row ${seeded.connectionId}: sealed with key ${new SecretBox(KEY_C).keyId}`,
        );
        expect(partial.output).toContain('keep ENCRYPTION_KEY_PREVIOUS');
        const third = await place.open(KEY_B);
        try {
          const connection = await third.deps.db
            .selectFrom('connections')
            .select('tokens_sealed')
            .executeTakeFirstOrThrow();
          expect(connection.tokens_sealed).toBe(stray);
        } finally {
          await third.close();
        }
      }, 400_000);
    },
  );
}
