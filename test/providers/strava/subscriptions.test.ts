import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../../src/http/rate-limit.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import { stravaProvider } from '../../../src/providers/strava/index.ts';
import { stravaSubscriptions } from '../../../src/providers/strava/subscriptions.ts';
import { stravaWebhook } from '../../../src/providers/strava/webhook.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { type RunningStravaMock, startStravaMock } from '../../support/vendor-mocks/strava.ts';

/**
 * The push-subscription adapter through WearLink's real vendor client against the Strava mock, whose
 * creation calls back a local server answering with the module's own handshake.
 */
const app = {
  developerId: null,
  clientId: '778',
  clientSecret: 'strava-secret',
  webhookSecret: 'verify-me',
  scopes: [],
};
let strava: RunningStravaMock;
let runtime: ProviderRuntime;
const http = () => createVendorHttp(runtime, { module: stravaProvider, app });

beforeAll(async () => {
  strava = await startStravaMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  runtime = {
    config: loadConfig({
      WEARLINK_DATA_DIR: 'memory://',
      PROVIDER_URLS: `strava=${strava.url}`,
      PROVIDER_HTTP_ATTEMPTS: '1',
    }),
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
});
afterAll(async () => strava.close());

describe('Strava push subscription adapter', () => {
  let callback: Server;
  let callbackUrl = '';
  beforeAll(async () => {
    // WearLink's side of the handshake, answered by the module's own handshake.
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const answer = stravaWebhook.handshake?.(
        {
          method: req.method ?? 'GET',
          headers: {},
          query: Object.fromEntries(url.searchParams),
          body: new Uint8Array(),
        },
        [app.webhookSecret],
      );
      res
        .writeHead(answer?.status ?? 404, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer?.body ?? {}));
    });
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/api/v1/webhooks/strava`;
  });
  afterAll(() => new Promise<void>((resolve) => callback.close(() => resolve())));

  it('creates the one subscription through the challenge, then leaves it alone', async () => {
    const created = await stravaSubscriptions.ensure({ http: http(), app, callbackUrl, existing: undefined });
    expect(created).toMatchObject({ vendorSubscriptionId: expect.stringMatching(/^\d+$/), expiresAt: null });
    expect(strava.challenges.at(-1)).toMatchObject({ ok: true, status: 200 });
    expect(strava.subscriptions).toEqual([
      { id: created?.vendorSubscriptionId, callbackUrl, verifyToken: 'verify-me' },
    ]);
    const existing = {
      vendorSubscriptionId: created?.vendorSubscriptionId ?? null,
      expiresAt: null,
      details: {},
    };
    expect(await stravaSubscriptions.ensure({ http: http(), app, callbackUrl, existing })).toBeUndefined();
    // A wrong verify token fails Strava's challenge: no subscription.
    strava.subscriptions.length = 0;
    await expect(
      stravaSubscriptions.ensure({
        http: http(),
        app: { ...app, webhookSecret: 'wrong' },
        callbackUrl,
        existing: undefined,
      }),
    ).rejects.toThrow(/400/);
    expect(strava.subscriptions).toEqual([]);
  });

  it('replaces its own subscription to an old URL, and refuses to touch someone else’s', async () => {
    strava.subscriptions.length = 0;
    strava.subscriptions.push({
      id: '555',
      callbackUrl: 'https://old.example/api/v1/webhooks/strava',
      verifyToken: 'x',
    });
    const moved = await stravaSubscriptions.ensure({
      http: http(),
      app,
      callbackUrl,
      existing: { vendorSubscriptionId: '555', expiresAt: null, details: {} },
    });
    expect(moved?.vendorSubscriptionId).not.toBe('555');
    expect(strava.subscriptions.map((s) => s.callbackUrl)).toEqual([callbackUrl]);
    strava.subscriptions.length = 0;
    strava.subscriptions.push({ id: '556', callbackUrl: 'https://elsewhere.example/hook', verifyToken: 'x' });
    await expect(
      stravaSubscriptions.ensure({ http: http(), app, callbackUrl, existing: undefined }),
    ).rejects.toThrow(/already has a push subscription \(556\) to https:\/\/elsewhere.example\/hook/);
    expect(strava.subscriptions.map((s) => s.id)).toEqual(['556']);
  });
});
