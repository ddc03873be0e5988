import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../../src/http/rate-limit.ts';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderResponseError,
} from '../../../src/providers/errors.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import { polarProvider } from '../../../src/providers/polar/index.ts';
import { mapPolar } from '../../../src/providers/polar/map.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import type { InboundRequest, PullContext, TokenSet, TokenSource } from '../../../src/providers/types.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { type PolarMock, polarSignature, startPolarMock } from '../../support/vendor-mocks/polar.ts';
import {
  polarActivityDay,
  polarExercise,
  polarNight,
  polarRecharge,
} from '../../support/vendor-mocks/polar-data.ts';

/**
 * Polar through WearLink's real vendor HTTP client against the local Polar mock: the Basic-auth token
 * call with `x_user_id` and no refresh token, registration (200, 409, 403 consents), 403 before
 * registration, windows cut to Polar's 28-day ranges within 365 days, exercise details, sleep with its
 * recharge, webhook targets, 429 with `RateLimit-Reset`, 401 as re-consent (never a refresh), malformed
 * JSON, deregistration as revoke, and the client webhook keeper (PING, the once-shown secret, signed
 * deliveries, reactivation).
 */
const USER = 475;
const DAY = 86_400_000;
const app = {
  developerId: null,
  clientId: 'polar-cid',
  clientSecret: 'polar-secret',
  webhookSecret: undefined,
  scopes: [],
};
let running: Awaited<ReturnType<typeof startPolarMock>>;
let mock: PolarMock;
let runtime: ProviderRuntime;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const localDate = (ms: number) => iso(ms).slice(0, 10);

/** The OAuth redirect dance against the mock, as the platform's callback does it. */
async function connect(polarUserId: number): Promise<TokenSet> {
  mock.oauth.approveNextAs(String(polarUserId));
  const authorize = new URL(`${running.url}/oauth2/authorization`);
  authorize.search = new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: 'http://127.0.0.1:1/cb',
    scope: 'accesslink.read_all',
    state: 's',
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: 'http://127.0.0.1:1/cb',
  });
  const res = await fetch(`${running.url}/v2/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64')}`,
    },
    body: form,
  });
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status).toBe(200);
  expect(body.refresh_token).toBeUndefined();
  return { access_token: String(body.access_token), extra: { x_user_id: body.x_user_id } };
}

function http(tokens?: TokenSet, webhookSecret?: string) {
  const source: TokenSource | undefined =
    tokens === undefined
      ? undefined
      : {
          current: async () => tokens,
          refresh: async () => {
            throw new Error('Polar has no refresh');
          },
        };
  return createVendorHttp(runtime, {
    module: polarProvider,
    app: { ...app, webhookSecret },
    ...(source === undefined ? {} : { tokens: source }),
  });
}

function context(tokens: TokenSet): PullContext {
  return {
    userId: 'u1',
    providerUserId: String(USER),
    settings: {},
    windowIndex: 0,
    attempt: 1,
    cursorMs: undefined,
    http: http(tokens),
  };
}

let tokens: TokenSet;
beforeAll(async () => {
  running = await startPolarMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  mock = running.mock;
  const config = loadConfig({
    WEARLINK_DATA_DIR: 'memory://',
    PROVIDER_URLS: `polar=${running.url}`,
    PROVIDER_HTTP_ATTEMPTS: '2',
    PROVIDER_HTTP_TIMEOUT_MS: '2000',
  });
  runtime = {
    config,
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
  const d1 = localDate(now - 2 * DAY);
  const d2 = localDate(now - DAY);
  mock.addUser(USER, {
    exercises: [
      polarExercise({
        id: 'aQlC83',
        start: `${d1}T07:00:00`,
        offsetMin: 120,
        duration: 'PT1H2M3.5S',
        detailed: 'TRAIL_RUNNING',
        hrSamples: [120, 125],
      }),
      polarExercise({
        id: 'zz9',
        start: `${d2}T18:00:00`,
        offsetMin: 120,
        duration: 'PT45M',
        sport: 'CYCLING',
      }),
    ],
    nights: [
      polarNight({
        date: d2,
        start: `${d1}T23:30:00+02:00`,
        end: `${d2}T07:00:00+02:00`,
        hypnogram: { '23:30': 2, '01:00': 4, '03:00': 1 },
        heartRate: { '23:35': 55, '00:05': 50 },
      }),
    ],
    recharges: [polarRecharge({ date: d2, hrv: { '23:40': 40, '00:10': 44 } })],
    activities: Array.from({ length: 100 }, (_, i) =>
      polarActivityDay({ date: localDate(now - i * DAY), steps: 5000 + i }),
    ),
  });
  tokens = await connect(USER);
});
afterAll(() => running.close());

describe('Polar against its mock', () => {
  it('data calls before registration are refused (403), then identify registers; a repeat is 409 and fine', async () => {
    await expect(
      polarProvider.pull.fetch(context(tokens), 'sleep', { fromMs: now - 5 * DAY, toMs: now, label: 'w' }),
    ).rejects.toThrow(ProviderResponseError);
    expect(await polarProvider.identify?.({ http: http(tokens), tokens, userId: 'wl-user-1' })).toEqual({
      providerUserId: '475',
    });
    expect(mock.registered.get('475')).toBe('wl-user-1');
    expect(await polarProvider.identify?.({ http: http(tokens), tokens, userId: 'wl-user-1' })).toEqual({
      providerUserId: '475',
    });
    expect(mock.callCount('POST /v3/users')).toBe(2);
  });

  it('a user without Polar consents gets a clear error at identify', async () => {
    mock.addUser(999, { consentsMissing: true });
    const t = await connect(999);
    await expect(polarProvider.identify?.({ http: http(t), tokens: t, userId: 'wl-user-2' })).rejects.toThrow(
      ProviderAuthError,
    );
    await expect(polarProvider.identify?.({ http: http(t), tokens: t, userId: 'wl-user-2' })).rejects.toThrow(
      /mandatory consents/,
    );
  });

  it('exercises: the list, then each one in full; maps to catalog workouts with exact durations', async () => {
    const payload = await polarProvider.pull.fetch(context(tokens), 'exercises', {
      fromMs: now - 40 * DAY,
      toMs: now + DAY,
      label: 'w',
    });
    const batch = mapPolar('exercises', payload);
    expect(batch.workouts.map((w) => [w.externalId, w.type, w.durationS, w.utcOffsetMin])).toEqual([
      ['aQlC83', 'trail_running', 3723.5, 120],
      ['zz9', 'cycling', 2700, 120],
    ]);
    expect(batch.samples.length).toBe(5);
    expect(mock.callCount('GET /v3/exercises/{id}')).toBe(2);
    expect(mock.requests.find((r) => r.path === '/v3/exercises/aQlC83')?.query).toEqual({
      samples: 'true',
      zones: 'true',
      route: 'true',
    });
  });

  it('an incremental window takes an exercise uploaded in it that started before it (a late watch sync)', async () => {
    mock.users.get(String(USER))?.exercises.push(
      polarExercise({
        id: 'late1',
        start: `${localDate(now - 20 * DAY)}T06:00:00`,
        offsetMin: 0,
        duration: 'PT20M',
        uploadTime: iso(now - 3_600_000),
      }),
    );
    const payload = await polarProvider.pull.fetch(context(tokens), 'exercises', {
      fromMs: now - 3 * DAY,
      toMs: now + DAY,
      label: 'w',
    });
    // The fixture's other two were uploaded at the start of this test too: all three are in the window.
    expect(mapPolar('exercises', payload).workouts.map((w) => w.externalId)).toEqual([
      'aQlC83',
      'zz9',
      'late1',
    ]);
    mock.users.get(String(USER))?.exercises.pop();
  });

  it('a window older than the 30-day exercise list asks Polar nothing', async () => {
    const before = mock.callCount('GET /v3/exercises');
    expect(
      await polarProvider.pull.fetch(context(tokens), 'exercises', {
        fromMs: now - 90 * DAY,
        toMs: now - 60 * DAY,
        label: 'old',
      }),
    ).toEqual([]);
    expect(mock.callCount('GET /v3/exercises')).toBe(before);
  });

  it('activities: a 120-day window in ranges Polar accepts (≤28 days, none before 365 days)', async () => {
    const payload = (await polarProvider.pull.fetch(context(tokens), 'activities', {
      fromMs: now - 120 * DAY,
      toMs: now + DAY,
      label: 'w',
    })) as { activities: unknown[]; utc_offset_min: number | null };
    expect(mock.counts.badRequest).toBe(0);
    expect(mock.callCount('GET /v3/users/activities')).toBe(5);
    expect(payload.activities).toHaveLength(100);
    // The latest night's offset places device-local step samples.
    expect(payload.utc_offset_min).toBe(120);
    const batch = mapPolar('activities', payload);
    expect(batch.samples.filter((s) => s.seriesTypeId === 34).map((s) => s.value)).toContain(5001);
  });

  it('sleep and Nightly Recharge together: HRV samples as RMSSD placed across midnight', async () => {
    const payload = await polarProvider.pull.fetch(context(tokens), 'sleep', {
      fromMs: now - 5 * DAY,
      toMs: now + DAY,
      label: 'w',
    });
    const batch = mapPolar('sleep', payload);
    expect(batch.sleep.map((s) => s.stage)).toEqual(['light', 'deep', 'rem']);
    const hrv = batch.samples.filter((s) => s.seriesTypeId === 4);
    expect(hrv.map((s) => [iso(s.startMs).slice(11, 16), s.value])).toEqual([
      ['21:40', 40],
      ['22:10', 44],
    ]);
    expect(batch.scores.map((s) => s.category)).toEqual(['sleep', 'recovery']);
  });

  it('webhook targets fetch exactly what they name; a missing one is nothing', async () => {
    const d2 = localDate(now - DAY);
    const exercise = await polarProvider.pull.fetchTarget?.(context(tokens), {
      resource: 'exercises',
      objectId: 'zz9',
      url: 'https://www.polaraccesslink/v3/exercises/zz9',
    });
    expect(mapPolar('exercises', exercise?.[0]?.payload).workouts.map((w) => w.externalId)).toEqual(['zz9']);
    const sleep = await polarProvider.pull.fetchTarget?.(context(tokens), {
      resource: 'sleep',
      details: { date: d2 },
    });
    expect(mapPolar('sleep', sleep?.[0]?.payload).scores).toHaveLength(2);
    const none = await polarProvider.pull.fetchTarget?.(context(tokens), {
      resource: 'sleep',
      details: { date: '2020-01-01' },
    });
    expect(mapPolar('sleep', none?.[0]?.payload).sleep).toHaveLength(0);
  });

  it('429 raises a rate-limit error read from RateLimit-Reset (the job is rescheduled)', async () => {
    mock.rateLimitNext(1, 42);
    const error = await polarProvider.pull
      .fetch(context(tokens), 'sleep', { fromMs: now - DAY, toMs: now, label: 'w' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBe(42);
  });

  it('malformed JSON fails with a message', async () => {
    mock.answerRaw('/v3/users/sleep', 200, '{"nights": [');
    await expect(
      polarProvider.pull.fetch(context(tokens), 'sleep', { fromMs: now - DAY, toMs: now, label: 'w' }),
    ).rejects.toThrow(/malformed JSON/);
  });

  it('an expired token is a re-consent (ProviderAuthError), never a refresh', async () => {
    const t = await connect(USER);
    mock.oauth.expireAccessTokens(String(USER));
    await expect(
      polarProvider.pull.fetch(context(t), 'sleep', { fromMs: now - DAY, toMs: now, label: 'w' }),
    ).rejects.toThrow(ProviderAuthError);
    expect(mock.oauth.counts.refresh).toBe(0);
  });
});

describe('Polar client webhook keeper', () => {
  let receiver: Server;
  let callbackUrl: string;
  const received: { signature: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    // A stand-in for WearLink's inbound route: the module's handshake answers the PING.
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const inbound: InboundRequest = {
          method: req.method ?? 'POST',
          headers: req.headers as Record<string, string>,
          query: {},
          body,
        };
        const hs = polarProvider.webhook?.handshake?.(inbound, []);
        if (hs === undefined)
          received.push({
            signature: req.headers['polar-webhook-signature'] as string | undefined,
            body: body.toString(),
          });
        res.writeHead(hs?.status ?? 200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/v1/webhooks/polar`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('creates the webhook after Polar PINGs the URL, and hands back the once-shown secret', async () => {
    const created = await polarProvider.subscriptions?.ensure({
      http: http(),
      app,
      callbackUrl,
      existing: undefined,
    });
    expect(mock.webhooks.counts).toMatchObject({ created: 1, pings: 1, pingFailures: 0 });
    expect(created?.vendorSubscriptionId).toBe(mock.webhooks.webhook?.id);
    expect(created?.details?.webhook_secret).toBe(mock.webhooks.webhook?.secret);
    // With the secret stored, a second pass changes nothing.
    const secret = String(created?.details?.webhook_secret);
    const again = await polarProvider.subscriptions?.ensure({
      http: http(undefined, secret),
      app: { ...app, webhookSecret: secret },
      callbackUrl,
      existing: { vendorSubscriptionId: created?.vendorSubscriptionId ?? null, expiresAt: null, details: {} },
    });
    expect(again).toBeUndefined();
    expect(mock.webhooks.counts.created).toBe(1);
  });

  it('deliveries are signed hex HMAC-SHA256 of the raw body', async () => {
    const status = await mock.webhooks.deliver({
      event: 'EXERCISE',
      user_id: USER,
      entity_id: 'zz9',
      url: 'https://www.polaraccesslink.com/v3/exercises/zz9',
    });
    expect(status).toBe(200);
    const last = received.at(-1);
    expect(last?.signature).toBe(polarSignature(mock.webhooks.webhook?.secret ?? '', last?.body ?? ''));
    expect(last?.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a deactivated webhook is reactivated; one WearLink has no secret for is recreated', async () => {
    const id = mock.webhooks.webhook?.id ?? null;
    (mock.webhooks.webhook as { active: boolean }).active = false;
    const secret = mock.webhooks.webhook?.secret;
    const reactivated = await polarProvider.subscriptions?.ensure({
      http: http(),
      app: { ...app, webhookSecret: secret },
      callbackUrl,
      existing: { vendorSubscriptionId: id, expiresAt: null, details: {} },
    });
    expect(reactivated?.vendorSubscriptionId).toBe(id);
    expect(mock.webhooks.webhook?.active).toBe(true);
    const recreated = await polarProvider.subscriptions?.ensure({
      http: http(),
      app,
      callbackUrl,
      existing: undefined,
    });
    expect(mock.webhooks.counts.deleted).toBe(1);
    expect(recreated?.vendorSubscriptionId).not.toBe(id);
    expect(recreated?.details?.webhook_secret).toBe(mock.webhooks.webhook?.secret);
  });

  it('the client Basic credentials are required', async () => {
    const wrong = createVendorHttp(runtime, { module: polarProvider, app: { ...app, clientSecret: 'nope' } });
    await expect(
      polarProvider.subscriptions?.ensure({ http: wrong, app, callbackUrl, existing: undefined }),
    ).rejects.toThrow(ProviderResponseError);
  });
});

describe('Polar deregistration', () => {
  it('revoke deletes the user at Polar, which also revokes the token', async () => {
    tokens = await connect(USER);
    await polarProvider.revoke?.({ http: http(tokens), tokens, providerUserId: String(USER), app });
    expect(mock.counts.deregistered).toBe(1);
    expect(mock.registered.has(String(USER))).toBe(false);
    await expect(
      polarProvider.pull.fetch(context(tokens), 'sleep', { fromMs: now - DAY, toMs: now, label: 'w' }),
    ).rejects.toThrow(ProviderAuthError);
  });
});
