import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderResponseError } from '../../../src/providers/errors.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import { ouraProvider } from '../../../src/providers/oura/index.ts';
import { ouraSignature, type RunningOuraMock, startOuraMock } from '../../support/vendor-mocks/oura.ts';
import { app, DAY, runtimeFor } from './mock-runtime.ts';

/**
 * Oura's per-app webhook subscriptions against the mock's admin API (with its GET challenge), and the
 * mock's own notifier (signature, retries, 410).
 */

let oura: RunningOuraMock;
const runtime = () => runtimeFor(oura.url);

beforeAll(async () => {
  oura = await startOuraMock({ clientId: app.clientId, clientSecret: app.clientSecret });
});
afterAll(() => oura.close());

describe('Oura webhook subscriptions against the mock', () => {
  let callback: Server;
  let callbackUrl = '';
  const handshakes: number[] = [];

  beforeAll(async () => {
    // Stands in for WearLink's receiver: answers Oura's challenge with the adapter.
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const answer = ouraProvider.webhook?.handshake?.(
        {
          method: req.method ?? 'GET',
          headers: {},
          query: Object.fromEntries(url.searchParams),
          body: new Uint8Array(),
        },
        ['vt-1'],
      );
      handshakes.push(answer?.status ?? 404);
      res
        .writeHead(answer?.status ?? 404, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer?.body ?? {}));
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/api/v1/webhooks/oura`;
  });
  afterAll(() => new Promise<void>((r) => callback.close(() => r())));

  it('creates one per (event × data type) after the challenge, leaves them be, renews them near expiry', async () => {
    const adapter = ouraProvider.subscriptions!;
    const http = createVendorHttp(runtime(), { module: ouraProvider, app });
    const first = await adapter.ensure({ http, app, callbackUrl, existing: undefined });
    expect(first?.details?.subscriptions).toHaveLength(20);
    expect(oura.webhooks.counts.create).toBe(20);
    expect(oura.webhooks.challenges.every((c) => c.ok)).toBe(true);
    expect(first?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 80 * DAY);

    const existing = {
      vendorSubscriptionId: null,
      expiresAt: first?.expiresAt ?? null,
      details: first?.details ?? {},
    };
    await expect(adapter.ensure({ http, app, callbackUrl, existing })).resolves.toBeUndefined();
    expect(oura.webhooks.counts.create).toBe(20);

    oura.webhooks.expireIn(2 * DAY);
    const renewed = await adapter.ensure({ http, app, callbackUrl, existing });
    expect(oura.webhooks.counts.renew).toBe(20);
    expect(renewed?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 80 * DAY);
  });

  it('a verification token the receiver does not know fails the creation with Oura’s answer', async () => {
    const http = createVendorHttp(runtime(), { module: ouraProvider, app });
    const other = `${callbackUrl}?other=1`;
    await expect(
      ouraProvider.subscriptions!.ensure({
        http,
        app: { ...app, webhookSecret: 'wrong' },
        callbackUrl: other,
        existing: undefined,
      }),
    ).rejects.toThrow(/Callback verification failed/);
    expect(handshakes).toContain(401);
    await expect(
      ouraProvider.subscriptions!.ensure({
        http,
        app: { ...app, webhookSecret: undefined },
        callbackUrl: other,
        existing: undefined,
      }),
    ).rejects.toThrow(/verification token/);
  });

  it('wrong app credentials are refused by the admin API', async () => {
    const http = createVendorHttp(runtime(), { module: ouraProvider, app: { ...app, clientSecret: 'nope' } });
    await expect(
      ouraProvider.subscriptions!.ensure({
        http,
        app: { ...app, clientSecret: 'nope' },
        callbackUrl,
        existing: undefined,
      }),
    ).rejects.toThrow(ProviderResponseError);
    expect(oura.webhooks.counts.refused).toBeGreaterThan(0);
  });

  it('the notifier signs like Oura, retries a failing receiver and stops for good on 410', async () => {
    const statuses: number[] = [];
    let answer = 500;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const ts = String(req.headers['x-oura-timestamp']);
        const expected = ouraSignature(app.clientSecret, ts, body);
        statuses.push(
          req.headers['x-oura-signature'] === expected && /^[0-9A-F]{64}$/.test(expected) ? answer : 401,
        );
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const admin = oura.webhooks;
    const sub = {
      id: 'sub-410',
      callback_url: url,
      verification_token: 'vt',
      event_type: 'create',
      data_type: 'tag',
    };
    admin.subscriptions.set(sub.id, { ...sub, expiration_time: new Date(Date.now() + DAY).toISOString() });
    const event = { event_type: 'create' as const, data_type: 'tag', object_id: 't1', user_id: 'oura-1' };
    expect(await admin.notify(event, 3, 5)).toEqual({ [url]: 500 });
    expect(statuses).toEqual([500, 500, 500]);
    answer = 410;
    expect(await admin.notify(event, 3, 5)).toEqual({ [url]: 410 });
    expect(statuses).toHaveLength(4);
    expect(admin.subscriptions.has('sub-410')).toBe(false);
    await new Promise<void>((r) => receiver.close(() => r()));
  });
});
