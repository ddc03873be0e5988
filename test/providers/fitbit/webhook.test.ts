import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitbitProvider } from '../../../src/providers/fitbit/index.ts';
import { readServiceAccountKey } from '../../../src/providers/fitbit/service-account.ts';
import { projectOfClientId, subscriberIdFor } from '../../../src/providers/fitbit/subscriptions.ts';
import { fitbitWebhook } from '../../../src/providers/fitbit/webhook.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import type { InboundRequest, ProviderAppCredentials } from '../../../src/providers/types.ts';
import {
  type RunningGoogleHealthMock,
  startGoogleHealthMock,
} from '../../support/vendor-mocks/google-health.ts';
import { readBody } from '../../support/vendor-mocks/oauth.ts';
import { runtimeFor, app as userApp } from './mock-runtime.ts';

/**
 * Google Health's webhook: the two-step endpoint verification, what a notification names, and the
 * per-app subscriber created against the mock (which runs the verification against a receiver that
 * answers with this adapter).
 */

const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const post = (value: unknown, headers: Record<string, string> = {}): InboundRequest => ({
  method: 'POST',
  headers,
  query: {},
  body: body(value),
});
const notification = (over: Record<string, unknown> = {}) => ({
  data: {
    healthUserId: 'g-42',
    dataType: 'sleep',
    operation: 'UPSERT',
    intervals: [
      { physicalTimeInterval: { startTime: '2026-03-01T22:00:00Z', endTime: '2026-03-02T06:00:00Z' } },
      { physicalTimeInterval: { startTime: '2026-03-02T13:00:00Z', endTime: '2026-03-02T13:30:00Z' } },
    ],
    ...over,
  },
});

describe('Google Health endpoint verification', () => {
  const handshake = fitbitWebhook.handshake!;
  const verification = { type: 'verification' };

  it('201 when Authorization carries one of the apps’ secrets (bare or Bearer), 401 without or wrong', () => {
    expect(handshake(post(verification, { authorization: 's2' }), ['s1', 's2'])?.status).toBe(201);
    expect(handshake(post(verification, { authorization: 'Bearer s1' }), ['s1'])?.status).toBe(201);
    expect(handshake(post(verification), ['s1'])).toMatchObject({
      status: 401,
      body: { code: 'invalid_secret' },
    });
    expect(handshake(post(verification, { authorization: 'Bearer nope' }), ['s1'])?.status).toBe(401);
    expect(handshake(post(verification, { authorization: 'Bearer ' }), [''])?.status).toBe(401);
    expect(handshake(post(verification, { authorization: 's1' }), [])?.status).toBe(401);
  });

  it('is not a handshake for a notification, a GET or a non-JSON body', () => {
    expect(handshake(post(notification(), { authorization: 's1' }), ['s1'])).toBeUndefined();
    expect(handshake({ ...post(verification), method: 'GET' }, ['s1'])).toBeUndefined();
    expect(handshake({ ...post(verification), body: new TextEncoder().encode('{') }, ['s1'])).toBeUndefined();
  });
});

describe('Google Health notifications', () => {
  it('an upsert → a pull of its data type over the span of the changed intervals', () => {
    expect(fitbitWebhook.parse(post(notification()))).toEqual({
      ok: true,
      notifications: [
        {
          kind: 'pull',
          providerUserId: 'g-42',
          target: {
            resource: 'sleep',
            fromMs: Date.parse('2026-03-01T22:00:00Z'),
            toMs: Date.parse('2026-03-02T13:30:00Z'),
            details: { dataType: 'sleep', operation: 'UPSERT' },
          },
        },
      ],
    });
    const hrv = fitbitWebhook.parse(post(notification({ dataType: 'daily-heart-rate-variability' })));
    expect(hrv.ok && hrv.notifications[0]).toMatchObject({ kind: 'pull', target: { resource: 'hrv' } });
  });

  it('deletions and data types WearLink does not sync are ignored; malformed bodies are errors', () => {
    const kinds = (v: unknown) => {
      const out = fitbitWebhook.parse(post(v));
      return out.ok ? out.notifications.map((n) => n.kind) : out.error;
    };
    expect(kinds(notification({ operation: 'DELETE' }))).toEqual(['ignore']);
    expect(kinds(notification({ dataType: 'floors' }))).toEqual(['ignore']);
    expect(kinds({ type: 'verification' })).toEqual(['ignore']);
    expect(kinds(notification({ intervals: [] }))).toMatch(/intervals/);
    expect(kinds(notification({ healthUserId: '' }))).toMatch(/healthUserId/);
    expect(kinds({ dataType: 'sleep' })).toMatch(/data/);
    expect(fitbitWebhook.parse({ ...post(null), body: new TextEncoder().encode('nope') }).ok).toBe(false);
  });
});

describe('Google Health subscriber against the mock', () => {
  let google: RunningGoogleHealthMock;
  let receiver: Server;
  let callbackUrl = '';
  // Subscriber calls are project-level: the app carries its project's service account.
  let app: ProviderAppCredentials & { webhookSecret: string } = userApp;

  beforeAll(async () => {
    google = await startGoogleHealthMock({ clientId: userApp.clientId, clientSecret: userApp.clientSecret });
    const key = google.serviceAccounts.createKey(
      'hooks@wearlink.iam.gserviceaccount.com',
      `${google.url}/token`,
    );
    app = { ...userApp, serviceAccount: readServiceAccountKey(key.path) };
    // Stands in for WearLink's receiver: answers Google's verification with the adapter.
    receiver = createServer(async (req, res) => {
      const raw = await readBody(req);
      const answer = fitbitWebhook.handshake?.(
        {
          method: req.method ?? 'POST',
          headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
          query: {},
          body: new TextEncoder().encode(raw),
        },
        [app.webhookSecret],
      );
      res
        .writeHead(answer?.status ?? 200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer?.body ?? {}));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/webhooks/fitbit`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await google.close();
  });

  it('creates one AUTOMATIC subscriber in the client id’s project after both verifications, then leaves it be', async () => {
    expect(projectOfClientId(app.clientId)).toBe('123456789012');
    const adapter = fitbitProvider.subscriptions!;
    const http = createVendorHttp(runtimeFor(google.url), { module: fitbitProvider, app });
    const first = await adapter.ensure({ http, app, callbackUrl, existing: undefined });
    const name = `projects/123456789012/subscribers/${subscriberIdFor(callbackUrl)}`;
    expect(first).toMatchObject({ vendorSubscriptionId: name, expiresAt: null });
    expect(google.subscribers.verifications.map((v) => [v.withSecret, v.status])).toEqual([
      [true, 201],
      [false, 401],
    ]);
    const sub = google.subscribers.subscribers.get(name);
    expect(sub).toMatchObject({
      endpointUri: callbackUrl,
      policy: 'AUTOMATIC',
      secret: `Bearer ${app.webhookSecret}`,
    });
    expect(sub?.dataTypes).toEqual(
      expect.arrayContaining(['sleep', 'exercise', 'heart-rate', 'weight', 'steps']),
    );

    const existing = { vendorSubscriptionId: name, expiresAt: null, details: first?.details ?? {} };
    await expect(adapter.ensure({ http, app, callbackUrl, existing })).resolves.toBeUndefined();
    expect(google.subscribers.counts.create).toBe(1);

    // The notifier sends the secret; the platform's shared-secret check accepts `Bearer <secret>`.
    const sent = await google.subscribers.notify('g-1', 'sleep', [
      { startTime: '2026-03-01T00:00:00Z', endTime: '2026-03-01T01:00:00Z' },
    ]);
    expect(Object.keys(sent)).toEqual([callbackUrl]);
  });

  it('a receiver that does not know the secret fails the creation with Google’s FAILED_PRECONDITION', async () => {
    const http = createVendorHttp(runtimeFor(google.url), { module: fitbitProvider, app });
    await expect(
      fitbitProvider.subscriptions!.ensure({
        http,
        app: { ...app, webhookSecret: 'not-what-the-receiver-knows' },
        callbackUrl: `${callbackUrl}?other=1`,
        existing: undefined,
      }),
    ).rejects.toThrow(/verification failed|400/i);
    expect(google.subscribers.counts.failedVerification).toBe(1);
  });
});
