import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { createConnection } from '../../../src/connections/connections.repo.ts';
import { storeTokens } from '../../../src/providers/oauth/token-store.ts';
import { withProviderModules } from '../../../src/providers/registry.ts';
import { type DatabaseLeg, startTestServer, type TestServer } from '../../support/harness.ts';
import { type MockVendor, startMockVendor } from './mock-vendor.ts';
import {
  handingOutVendor,
  perUserVendor,
  signedVendor,
  subscribingVendor,
  unsignedVendor,
} from './test-vendors.ts';

/** A port nobody listens on right now, so PUBLIC_URL can name the test server before it starts. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface WebhookWorld {
  server: TestServer;
  mock: MockVendor;
  close(): Promise<void>;
}

/**
 * A WearLink server whose registry holds the test vendors, pointed at a mock vendor, with instance
 * default apps for all three and PUBLIC_URL set to its own address (vendors call it back).
 */
export async function startWebhookWorld(
  leg: DatabaseLeg,
  env: Record<string, string> = {},
): Promise<WebhookWorld> {
  const mock = await startMockVendor({
    apps: { 'oura-instance': 'oura-instance-secret', 'oura-a': 'oura-a-secret' },
    expiryDays: 30,
  });
  const restore = withProviderModules([
    signedVendor,
    subscribingVendor,
    unsignedVendor,
    handingOutVendor,
    perUserVendor,
  ]);
  const port = await freePort();
  const server = await startTestServer({
    database: leg,
    bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
    env: {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      PROVIDER_URLS: ['whoop', 'oura', 'strava', 'polar', 'withings']
        .map((v) => `${v}=${mock.url}`)
        .join(','),
      PROVIDER_HTTP_ATTEMPTS: '1',
      PROVIDER_WEBHOOK_MAX_BYTES: '4096',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WHOOP_CLIENT_ID: 'whoop-instance',
      WHOOP_CLIENT_SECRET: 'whoop-instance-secret',
      OURA_CLIENT_ID: 'oura-instance',
      OURA_CLIENT_SECRET: 'oura-instance-secret',
      OURA_WEBHOOK_SECRET: 'oura-verify-token',
      STRAVA_CLIENT_ID: 'strava-instance',
      STRAVA_CLIENT_SECRET: 'strava-instance-secret',
      STRAVA_WEBHOOK_SECRET: 'strava-verify-token',
      WITHINGS_CLIENT_ID: 'withings-instance',
      WITHINGS_CLIENT_SECRET: 'withings-instance-secret',
      POLAR_CLIENT_ID: 'polar-instance',
      POLAR_CLIENT_SECRET: 'polar-instance-secret',
      ...env,
    },
  });
  return {
    server,
    mock,
    async close() {
      await server.close();
      await mock.close();
      restore();
    },
  };
}

/** A developer's user connected to a vendor as `providerUserId`, with a stored access token. */
export async function connectUser(
  server: TestServer,
  key: string,
  developerId: string,
  provider: string,
  providerUserId: string,
) {
  const user = await server.api.createUser(key);
  const { deps } = server.platform;
  const connection = await createConnection(deps.db, {
    developerId,
    userId: user.id,
    provider,
    settings: {},
    providerUserId,
  });
  await storeTokens(deps, deps.db, connection.id, { access_token: `token-${connection.id}` });
  return { user, connection };
}

/** WHOOP-style signature headers: base64 HMAC of the ms timestamp + body. */
export function whoopHeaders(secret: string, body: string, timestampMs = Date.now()): Record<string, string> {
  const ts = String(timestampMs);
  return {
    'Content-Type': 'application/json',
    'X-WHOOP-Signature': createHmac('sha256', secret)
      .update(ts + body)
      .digest('base64'),
    'X-WHOOP-Signature-Timestamp': ts,
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
