import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { emptyBatch } from '../../../src/health-data/canonical.ts';
import { parseManifest } from '../../../src/providers/manifest.ts';
import type { ProviderModule } from '../../../src/providers/types.ts';
import type { TestServer } from '../../support/harness.ts';
import { type MockOAuthOptions, MockOAuthProvider, send } from '../../support/vendor-mocks/oauth.ts';

/**
 * A vendor built in the test (independent of the real vendor folders) to exercise the OAuth platform:
 * a local server composing the shared OAuth mock (PKCE required, Basic client auth, rotating refresh
 * tokens, form `token` revoke) with one identity endpoint (`GET /v1/me`, 401 without a live token), and a
 * module whose manifest points at it. It takes the slug `oura` (a catalogue slug, so a developer can
 * store an app for it); `withProviderModules` registers it for the file's process.
 */
export const CLIENT_ID = 'test-client';
export const CLIENT_SECRET = 'test-secret';

export interface TestVendor {
  url: string;
  oauth: MockOAuthProvider;
  module: ProviderModule;
  /** `GET /v1/me` calls (identify). */
  identifyCalls: number;
  close(): Promise<void>;
}

export async function startTestVendor(options: Partial<MockOAuthOptions> = {}): Promise<TestVendor> {
  const oauth = new MockOAuthProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    clientAuth: 'basic',
    pkce: 'required',
    refresh: 'rotating',
    revoke: { method: 'POST', tokenIn: 'form_token' },
    ...options,
  });
  const vendor = { identifyCalls: 0 } as TestVendor;
  const server = createServer((req, res) => {
    oauth.handle(req, res).then(
      (handled) => {
        if (handled) return;
        if (req.url === '/v1/me') {
          vendor.identifyCalls++;
          const grant = oauth.authenticate(req);
          return grant ? send(res, 200, { id: grant.userId }) : send(res, 401, { message: 'invalid token' });
        }
        send(res, 404, { message: 'not found' });
      },
      (error: unknown) => send(res, 500, { message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const module: ProviderModule = {
    manifest: parseManifest({
      slug: 'oura',
      name: 'Test Ring',
      hosts: { auth: url, api: url },
      oauth: {
        authorize: { host: 'auth', path: '/oauth/authorize' },
        token: { host: 'auth', path: '/oauth/token' },
        revoke: { endpoint: { host: 'auth', path: '/oauth/revoke' }, method: 'POST', token_in: 'form_token' },
        pkce: true,
        client_auth: 'basic',
        default_scopes: ['daily', 'heartrate'],
        scope_separator: ' ',
        extra_authorize_params: { prompt: 'consent' },
        refresh: 'rotating',
      },
      api: { host: 'api', budgets: [{ limit: 10_000, window_seconds: 60 }], pagination: 'none' },
      sync: {
        window_days: 30,
        historical_days: 30,
        lookback_hours: 0,
        resources: [{ name: 'daily', families: ['daily'] }],
      },
      capabilities: { pull: true, webhook_ping: false, webhook_push: false },
    }),
    async identify({ http }) {
      const me = await http.json<{ id: string }>({ path: '/v1/me' });
      return { providerUserId: me.id };
    },
    pull: {
      fetch: async () => ({ items: [] }),
      map: () => emptyBatch(),
    },
  };
  return Object.assign(vendor, {
    url,
    oauth,
    module,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A developer with the test vendor's app stored, one user, and a webhook endpoint (so events are recorded). */
export async function developerWithApp(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const auth = { key: dev.key };
  const app = await server.api.request('PUT', '/api/v1/developer/providers/oura', {
    auth,
    json: { client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
  });
  expect(app.status, app.text).toBe(201);
  const hook = await server.api.request('POST', '/api/v1/webhooks/endpoints', {
    auth,
    json: { url: 'http://127.0.0.1:9/hooks' },
  });
  expect(hook.status, hook.text).toBe(201);
  const user = await server.api.createUser(dev.key);
  return { dev, auth, user };
}

/**
 * The browser's path through a connect: authorize (API) → the vendor's consent (302 to WearLink's
 * callback) → the callback (302 to the developer). Returns every hop.
 */
export async function connectThroughBrowser(
  server: TestServer,
  auth: { key: string },
  userId: string,
  redirectUri = 'https://app.example.com/connected?from=test',
) {
  const query = new URLSearchParams({ user_id: userId, redirect_uri: redirectUri });
  const start = await server.api.request('GET', `/api/v1/providers/oura/authorize?${query}`, { auth });
  expect(start.status, start.text).toBe(200);
  const consent = await fetch(start.body.authorization_url, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = consent.headers.get('location') as string;
  const back = await fetch(callback, { redirect: 'manual' });
  const location = back.headers.get('location');
  return {
    start: start.body as { authorization_url: string; state: string; expires_at: string },
    callback,
    callbackStatus: back.status,
    callbackBody: location === null ? await back.text() : '',
    outcome: location === null ? undefined : new URL(location),
  };
}
