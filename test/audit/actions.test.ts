import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findApiKeyBySecret } from '../../src/developers/api-keys.repo.ts';
import { withProviderModules } from '../../src/providers/registry.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  startTestVendor,
  type TestVendor,
} from '../providers/oauth/test-vendor.ts';
import {
  type ApiResponse,
  type Credential,
  describeEachDatabase,
  type TestServer,
} from '../support/harness.ts';

// Every audited action, performed over HTTP as a client would, writes exactly one trail row with who,
// what, where from and which request, and nothing secret.

let vendor: TestVendor;
let restore: () => void;
beforeAll(async () => {
  vendor = await startTestVendor();
  restore = withProviderModules([vendor.module]);
});
afterAll(async () => {
  restore();
  await vendor.close();
});

const USER_AGENT = 'audit-test/1.0 (+https://example.com)';

function rowsOf(server: TestServer, developerId: string) {
  return server.platform.deps.db
    .selectFrom('audit_logs')
    .selectAll()
    .where('developer_id', '=', developerId)
    .orderBy('seq')
    .execute();
}

/**
 * Runs `act` with a fresh request id and returns the one row it added to the developer's trail (and the
 * response), failing when it added none or several. `secrets`: strings no part of the row may contain.
 */
async function oneRow(
  server: TestServer,
  developerId: string,
  act: (headers: Record<string, string>) => Promise<ApiResponse | Response>,
  secrets: string[] = [],
) {
  const before = (await rowsOf(server, developerId)).length;
  const requestId = `req-${randomUUID()}`;
  const response = await act({ 'X-Request-Id': requestId, 'User-Agent': USER_AGENT });
  const after = await rowsOf(server, developerId);
  const status = response instanceof Response ? response.status : `${response.status} ${response.text}`;
  expect(after.length - before, `${status} ${JSON.stringify(after.slice(before))}`).toBe(1);
  const row = after.at(-1);
  if (row === undefined) throw new Error('no row');
  expect(row.request_id).toBe(requestId);
  expect(row.user_agent).toBe(USER_AGENT);
  expect(row.ip).toMatch(/127\.0\.0\.1/);
  const text = JSON.stringify(row);
  for (const secret of secrets) expect(text).not.toContain(secret);
  return { row, response };
}

async function keyActor(server: TestServer, key: string) {
  const row = await findApiKeyBySecret(server.platform.deps.db, key);
  if (row === undefined) throw new Error('key not found');
  return row;
}

describeEachDatabase(
  'audit rows for every privileged action',
  (ctx) => {
    it('developer.registered, developer.login, developer.login_failed; unknown emails leave no row', async () => {
      const server = ctx();
      const email = `dev-${randomUUID()}@example.com`;
      const password = 'correct horse battery staple';
      const headers = { 'X-Request-Id': 'req-register-1', 'User-Agent': USER_AGENT };
      const res = await server.api.request('POST', '/api/v1/auth/register', {
        json: { email, password, name: 'Audited' },
        headers,
      });
      expect(res.status, res.text).toBe(201);
      const developerId = res.body.id as string;
      const [registered, ...others] = await rowsOf(server, developerId);
      expect(others).toEqual([]);
      expect(registered).toMatchObject({
        seq: 1,
        action: 'developer.registered',
        actor_type: 'developer',
        actor_id: developerId,
        target_type: 'developer',
        target_id: developerId,
        request_id: 'req-register-1',
        user_agent: USER_AGENT,
        detail: {
          email,
          name: 'Audited',
          via: 'self_service',
          default_api_key: { id: res.body.api_key.id, prefix: res.body.api_key.prefix },
        },
      });
      expect(JSON.stringify(registered)).not.toContain(res.body.api_key.key);
      expect(JSON.stringify(registered)).not.toContain(password);

      const login = (pw: string) => (h: Record<string, string>) => {
        const form = new FormData();
        form.set('username', email);
        form.set('password', pw);
        return server.api.request('POST', '/api/v1/auth/login', { body: form, headers: h });
      };
      const ok = await oneRow(server, developerId, login(password), [password]);
      expect(ok.response.status).toBe(200);
      expect(ok.row).toMatchObject({
        action: 'developer.login',
        actor_type: 'developer',
        actor_id: developerId,
        target_type: 'developer',
        target_id: developerId,
      });
      expect(JSON.stringify(ok.row)).not.toContain((ok.response as ApiResponse).body.access_token);

      const wrong = await oneRow(server, developerId, login('not the password at all'), ['not the password']);
      expect(wrong.response.status).toBe(401);
      expect(wrong.row).toMatchObject({
        action: 'developer.login_failed',
        actor_type: 'anonymous',
        actor_id: null,
        target_type: 'developer',
        target_id: developerId,
      });

      // An email without an account: refused the same way, recorded nowhere.
      const total = async () =>
        Number(
          (
            await server.platform.deps.db
              .selectFrom('audit_logs')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const countBefore = await total();
      const form = new FormData();
      form.set('username', `nobody-${randomUUID()}@example.com`);
      form.set('password', 'whatever-password');
      const unknown = await server.api.request('POST', '/api/v1/auth/login', { body: form });
      expect(unknown.status).toBe(401);
      expect(await total()).toBe(countBefore);
    });

    it('developer.invite_created without the invite token', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const auth: Credential = { key: dev.key };
      const invitee = `invitee-${randomUUID()}@example.com`;
      let token = '';
      const { row, response } = await oneRow(server, dev.id, async (headers) => {
        const res = await server.api.request('POST', '/api/v1/developer/invites', {
          auth,
          headers,
          json: { email: invitee },
        });
        token = res.body.invite_token;
        return res;
      });
      expect(response.status).toBe(201);
      expect(token).not.toBe('');
      expect(JSON.stringify(row)).not.toContain(token);
      const key = await keyActor(server, dev.key);
      expect(row).toMatchObject({
        action: 'developer.invite_created',
        actor_type: 'api_key',
        actor_id: key.id,
        target_type: 'invite',
        target_id: invitee,
        detail: { email: invitee, expires_at: expect.any(String) },
      });
    });

    it('api_key.created, api_key.rotated, api_key.deleted (session actor), never the key', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const form = new FormData();
      form.set('username', dev.email);
      form.set('password', dev.password);
      const session = await server.api.request('POST', '/api/v1/auth/login', { body: form });
      const auth: Credential = { bearer: session.body.access_token };

      let created!: ApiResponse;
      const made = await oneRow(server, dev.id, async (headers) => {
        created = await server.api.request('POST', '/api/v1/developer/api-keys', {
          auth,
          headers,
          json: { name: 'CI' },
        });
        return created;
      });
      expect(created.status, created.text).toBe(201);
      expect(made.row).toMatchObject({
        action: 'api_key.created',
        actor_type: 'developer',
        actor_id: dev.id,
        target_type: 'api_key',
        target_id: created.body.id,
        detail: { name: 'CI', prefix: created.body.prefix },
      });
      expect(JSON.stringify(made.row)).not.toContain(created.body.key);

      let rotated!: ApiResponse;
      const turned = await oneRow(server, dev.id, async (headers) => {
        rotated = await server.api.request('POST', `/api/v1/developer/api-keys/${created.body.id}/rotate`, {
          auth,
          headers,
        });
        return rotated;
      });
      expect(rotated.status, rotated.text).toBe(201);
      expect(turned.row).toMatchObject({
        action: 'api_key.rotated',
        target_type: 'api_key',
        target_id: created.body.id,
        detail: { name: 'CI', new_key_id: rotated.body.id, prefix: rotated.body.prefix },
      });
      expect(JSON.stringify(turned.row)).not.toContain(rotated.body.key);

      const gone = await oneRow(server, dev.id, (headers) =>
        server.api.request('DELETE', `/api/v1/developer/api-keys/${rotated.body.id}`, { auth, headers }),
      );
      expect((gone.response as ApiResponse).status).toBe(204);
      expect(gone.row).toMatchObject({
        action: 'api_key.deleted',
        target_id: rotated.body.id,
        detail: { name: 'CI', prefix: rotated.body.prefix },
      });

      // A refused action (the key is gone) changes nothing and records nothing.
      const before = (await rowsOf(server, dev.id)).length;
      const again = await server.api.request('DELETE', `/api/v1/developer/api-keys/${rotated.body.id}`, {
        auth,
      });
      expect(again.status).toBe(404);
      expect((await rowsOf(server, dev.id)).length).toBe(before);
    });

    it('provider_app.saved and provider_app.deleted: what happened to each secret, not the secret', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const auth: Credential = { key: dev.key };
      const webhookSecret = `verify-${randomUUID()}`;
      const saved = await oneRow(
        server,
        dev.id,
        (headers) =>
          server.api.request('PUT', '/api/v1/developer/providers/oura', {
            auth,
            headers,
            json: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, webhook_secret: webhookSecret },
          }),
        [CLIENT_SECRET, webhookSecret],
      );
      expect((saved.response as ApiResponse).status).toBe(201);
      expect(saved.row).toMatchObject({
        action: 'provider_app.saved',
        target_type: 'provider_app',
        target_id: 'oura',
        detail: {
          provider: 'oura',
          created: true,
          client_id: CLIENT_ID,
          client_secret: 'set',
          webhook_secret: 'set',
        },
      });
      const again = await oneRow(server, dev.id, (headers) =>
        server.api.request('PUT', '/api/v1/developer/providers/oura', {
          auth,
          headers,
          json: { client_id: CLIENT_ID, webhook_secret: null },
        }),
      );
      expect(again.row.detail).toMatchObject({
        created: false,
        client_secret: 'kept',
        webhook_secret: 'cleared',
      });

      const removed = await oneRow(server, dev.id, (headers) =>
        server.api.request('DELETE', '/api/v1/developer/providers/oura', { auth, headers }),
      );
      expect((removed.response as ApiResponse).status).toBe(204);
      expect(removed.row).toMatchObject({ action: 'provider_app.deleted', target_id: 'oura' });
    });

    it('webhook_endpoint.created/updated/secret_rotated/deleted: the URL origin only, no secret', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const auth: Credential = { key: dev.key };
      const created = await oneRow(server, dev.id, (headers) =>
        server.api.request('POST', '/api/v1/webhooks/endpoints', {
          auth,
          headers,
          json: { url: 'http://127.0.0.1:9/hooks/T0001/capability-token', disabled: true },
        }),
      );
      const endpoint = (created.response as ApiResponse).body;
      expect(created.row).toMatchObject({
        action: 'webhook_endpoint.created',
        target_type: 'webhook_endpoint',
        target_id: endpoint.id,
        detail: { url_origin: 'http://127.0.0.1:9', filter_types: [], disabled: true },
      });
      expect(JSON.stringify(created.row)).not.toContain('capability-token');
      const secret = await server.api.request('GET', `/api/v1/webhooks/endpoints/${endpoint.id}/secret`, {
        auth,
      });

      const updated = await oneRow(server, dev.id, (headers) =>
        server.api.request('PATCH', `/api/v1/webhooks/endpoints/${endpoint.id}`, {
          auth,
          headers,
          json: { filter_types: ['workout.*'], description: 'ops' },
        }),
      );
      expect(updated.row).toMatchObject({
        action: 'webhook_endpoint.updated',
        target_id: endpoint.id,
        detail: { changed: ['description', 'filter_types'], filter_types: ['workout.*'] },
      });

      let rotated!: ApiResponse;
      const turned = await oneRow(
        server,
        dev.id,
        async (headers) => {
          rotated = await server.api.request(
            'POST',
            `/api/v1/webhooks/endpoints/${endpoint.id}/secret/rotate`,
            {
              auth,
              headers,
            },
          );
          return rotated;
        },
        [secret.body.key],
      );
      expect(rotated.status).toBe(200);
      expect(JSON.stringify(turned.row)).not.toContain(rotated.body.key);
      expect(turned.row).toMatchObject({
        action: 'webhook_endpoint.secret_rotated',
        target_id: endpoint.id,
        detail: { previous_secret_expires_at: expect.any(String) },
      });

      const deleted = await oneRow(server, dev.id, (headers) =>
        server.api.request('DELETE', `/api/v1/webhooks/endpoints/${endpoint.id}`, { auth, headers }),
      );
      expect(deleted.row).toMatchObject({
        action: 'webhook_endpoint.deleted',
        target_id: endpoint.id,
        detail: { url_origin: 'http://127.0.0.1:9' },
      });
    });

    it('connection.created (API and OAuth callback) and connection.revoked', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const auth: Credential = { key: dev.key };
      const user = await server.api.createUser(dev.key);
      const key = await keyActor(server, dev.key);

      const sandbox = await oneRow(server, dev.id, (headers) =>
        server.api.request('POST', `/api/v1/users/${user.id}/connections`, {
          auth,
          headers,
          json: { provider: 'sandbox' },
        }),
      );
      const connection = (sandbox.response as ApiResponse).body;
      expect(sandbox.row).toMatchObject({
        action: 'connection.created',
        actor_type: 'api_key',
        actor_id: key.id,
        target_type: 'connection',
        target_id: connection.id,
        detail: { provider: 'sandbox', user_id: user.id, via: 'api' },
      });
      const revoked = await oneRow(server, dev.id, (headers) =>
        server.api.request('DELETE', `/api/v1/users/${user.id}/connections/sandbox`, { auth, headers }),
      );
      expect((revoked.response as ApiResponse).status).toBe(204);
      expect(revoked.row).toMatchObject({
        action: 'connection.revoked',
        actor_type: 'api_key',
        target_id: connection.id,
        detail: { provider: 'sandbox', user_id: user.id },
      });

      // OAuth: the end user's browser comes back through the callback; the row names that user.
      const app = await server.api.request('PUT', '/api/v1/developer/providers/oura', {
        auth,
        json: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
      });
      expect(app.status).toBe(201);
      const query = new URLSearchParams({ user_id: user.id, redirect_uri: 'https://app.example.com/done' });
      const start = await server.api.request('GET', `/api/v1/providers/oura/authorize?${query}`, { auth });
      expect(start.status, start.text).toBe(200);
      const consent = await fetch(start.body.authorization_url, { redirect: 'manual' });
      const callback = consent.headers.get('location') as string;
      let location = '';
      const oauth = await oneRow(server, dev.id, async (headers) => {
        const back = await fetch(callback, { redirect: 'manual', headers });
        location = back.headers.get('location') ?? '';
        return back;
      });
      const outcome = new URL(location);
      expect(outcome.searchParams.get('status')).toBe('success');
      const grant = vendor.oauth.grants.at(-1);
      expect(oauth.row).toMatchObject({
        action: 'connection.created',
        actor_type: 'end_user',
        actor_id: user.id,
        target_type: 'connection',
        target_id: outcome.searchParams.get('connection_id'),
        detail: { provider: 'oura', user_id: user.id, via: 'oauth', outcome: 'created' },
      });
      expect(JSON.stringify(oauth.row)).not.toContain(grant?.accessToken);
      expect(JSON.stringify(oauth.row)).not.toContain(grant?.refreshToken);

      const disconnected = await oneRow(server, dev.id, (headers) =>
        server.api.request('DELETE', `/api/v1/users/${user.id}/connections/oura`, { auth, headers }),
      );
      expect(disconnected.row).toMatchObject({
        action: 'connection.revoked',
        target_id: outcome.searchParams.get('connection_id'),
        detail: { provider: 'oura' },
      });
    });
  },
  // Webhook endpoints on a local address (nothing is delivered: they are created disabled).
  { env: { WEBHOOK_ALLOW_PRIVATE_URLS: 'true' } },
);
