import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderResponseError,
} from '../../../src/providers/errors.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import { ouraProvider } from '../../../src/providers/oura/index.ts';
import type { PullContext, TokenSet, TokenSource, VendorHttp } from '../../../src/providers/types.ts';
import { type RunningOuraMock, startOuraMock } from '../../support/vendor-mocks/oura.ts';
import { app, DAY, runtimeFor } from './mock-runtime.ts';

/**
 * Oura's pull code against the local Oura mock, through WearLink's real vendor HTTP client: paging to
 * the end, day padding, 30-day heart-rate chunks, targeted documents, 429, 401 with a rotating refresh,
 * 403, malformed JSON.
 */

let oura: RunningOuraMock;
const runtime = () => runtimeFor(oura.url);

/** Connects a mock user the way the OAuth flow does (authorize → code → token) and keeps its tokens. */
async function connect(userId: string): Promise<{ source: TokenSource; tokens: () => TokenSet }> {
  oura.oauth.approveNextAs(userId);
  const redirect = 'http://127.0.0.1:9/callback';
  const authorize = await fetch(
    `${oura.url}/oauth/authorize?client_id=${app.clientId}&response_type=code&redirect_uri=${encodeURIComponent(redirect)}`,
    { redirect: 'manual' },
  );
  const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const token = async (form: Record<string, string>) => {
    const answer = await fetch(`${oura.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, client_id: app.clientId, client_secret: app.clientSecret }),
    });
    if (!answer.ok) throw new ProviderAuthError(`refresh refused: ${answer.status}`);
    return (await answer.json()) as TokenSet;
  };
  let current = await token({ grant_type: 'authorization_code', code, redirect_uri: redirect });
  return {
    tokens: () => current,
    source: {
      current: async () => current,
      refresh: async () => {
        current = await token({ grant_type: 'refresh_token', refresh_token: current.refresh_token ?? '' });
        return current;
      },
    },
  };
}

function contextFor(http: VendorHttp): PullContext {
  return {
    userId: 'u',
    providerUserId: null,
    settings: {},
    windowIndex: 0,
    attempt: 1,
    cursorMs: undefined,
    http,
  };
}

const sleepDoc = (id: string, day: string) => ({
  id,
  day,
  type: 'long_sleep',
  bedtime_start: `${day}T00:00:00+01:00`,
  bedtime_end: `${day}T07:00:00+01:00`,
  sleep_phase_5_min: '2213',
  time_in_bed: 25200,
  period: 0,
  low_battery_alert: false,
});

beforeAll(async () => {
  oura = await startOuraMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  oura.addUser('oura-1', {
    sleep: ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'].map((d, i) =>
      sleepDoc(`s${i}`, d),
    ),
    heartrate: [0, 20, 40].map((d) => ({
      bpm: 60 + d,
      source: 'awake',
      timestamp: new Date(Date.parse('2026-01-01T12:00:00Z') + d * DAY).toISOString(),
    })),
  });
  oura.addUser('oura-lapsed');
  const lapsed = oura.users.get('oura-lapsed');
  if (lapsed) lapsed.membershipExpired = true;
});
afterAll(() => oura.close());
beforeEach(() => {
  oura.requests.length = 0;
});

describe('Oura pull against the mock', () => {
  it('follows next_token to the last page and asks a day beyond each end of the window', async () => {
    const { source } = await connect('oura-1');
    const http = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source });
    const window = {
      fromMs: Date.parse('2026-03-01T00:00:00Z'),
      toMs: Date.parse('2026-03-05T00:00:00Z'),
      label: 'w',
    };
    const payload = (await ouraProvider.pull.fetch(contextFor(http), 'sleep', window)) as {
      data: { id: string }[];
    };
    expect(payload.data.map((d) => d.id)).toEqual(['s0', 's1', 's2', 's3', 's4']);
    const calls = oura.requests.filter((r) => r.path === '/v2/usercollection/sleep');
    expect(calls).toHaveLength(3);
    expect(calls[0]?.query).toEqual({ start_date: '2026-02-28', end_date: '2026-03-06' });
    expect(calls[2]?.query.next_token).toBeDefined();
    const batch = ouraProvider.pull.map('sleep', payload, { userId: 'u', providerUserId: 'oura-1' });
    expect(batch.sleep.filter((s) => s.stage === 'in_bed')).toHaveLength(5);
  });

  it('reads heart rate in chunks of at most 30 days (the mock refuses longer ranges)', async () => {
    const { source } = await connect('oura-1');
    const http = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source });
    const window = {
      fromMs: Date.parse('2026-01-01T00:00:00Z'),
      toMs: Date.parse('2026-02-15T00:00:00Z'),
      label: 'w',
    };
    const payload = (await ouraProvider.pull.fetch(contextFor(http), 'heartrate', window)) as {
      data: unknown[];
    };
    expect(payload.data).toHaveLength(3);
    const calls = oura.requests.filter((r) => r.path === '/v2/usercollection/heartrate');
    expect(calls.map((c) => [c.query.start_datetime, c.query.end_datetime])).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z'],
      ['2026-01-31T00:00:00.000Z', '2026-02-15T00:00:00.000Z'],
    ]);
    expect(oura.counts.badRequest).toBe(0);
  });

  it('identifies the user and stamps personal_info with when it was read', async () => {
    const { source } = await connect('oura-1');
    const http = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source });
    await expect(
      ouraProvider.identify?.({ http, tokens: { access_token: 'x' }, userId: 'u' }),
    ).resolves.toEqual({
      providerUserId: 'oura-1',
    });
    const info = (await ouraProvider.pull.fetch(contextFor(http), 'personal_info', {
      fromMs: 0,
      toMs: 1,
      label: '',
    })) as {
      retrieved_at: string;
    };
    expect(Date.now() - Date.parse(info.retrieved_at)).toBeLessThan(60_000);
  });

  it('a webhook target fetches the one document; a document gone meanwhile yields nothing', async () => {
    const { source } = await connect('oura-1');
    const context = contextFor(createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source }));
    const pages = await ouraProvider.pull.fetchTarget?.(context, { resource: 'sleep', objectId: 's3' });
    expect(pages).toEqual([
      { resource: 'sleep', payload: { data: [expect.objectContaining({ id: 's3' })], next_token: null } },
    ]);
    expect(oura.callCount('GET /v2/usercollection/sleep/{id}')).toBeGreaterThan(0);
    await expect(
      ouraProvider.pull.fetchTarget?.(context, { resource: 'sleep', objectId: 'gone' }),
    ).resolves.toEqual([]);
  });

  it('429 → ProviderRateLimitError with Oura’s Retry-After', async () => {
    const { source } = await connect('oura-1');
    const http = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source });
    oura.rateLimitNext(1, 42);
    const error = await ouraProvider.pull
      .fetch(contextFor(http), 'sleep', { fromMs: 0, toMs: DAY, label: '' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBeGreaterThanOrEqual(41);
  });

  it('an expired access token is refreshed once (rotating: the old refresh token is dead) and the call retried', async () => {
    const { source, tokens } = await connect('oura-1');
    const before = tokens();
    oura.oauth.expireAccessTokens('oura-1');
    const http = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source });
    const refreshes = oura.oauth.counts.refresh;
    const payload = (await ouraProvider.pull.fetch(contextFor(http), 'sleep', {
      fromMs: 0,
      toMs: DAY,
      label: '',
    })) as {
      data: unknown[];
    };
    expect(payload.data).toEqual([]);
    expect(oura.oauth.counts.refresh).toBe(refreshes + 1);
    expect(tokens().refresh_token).not.toBe(before.refresh_token);
    const reuse = await fetch(`${oura.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: before.refresh_token ?? '',
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    expect(reuse.status).toBe(400);
  });

  it('a lapsed membership (403) and malformed JSON fail with a message', async () => {
    const lapsed = await connect('oura-lapsed');
    const http403 = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: lapsed.source });
    await expect(
      ouraProvider.pull.fetch(contextFor(http403), 'daily_sleep', { fromMs: 0, toMs: DAY, label: '' }),
    ).rejects.toThrow(/Oura refused daily_sleep \(403\).*membership has lapsed/);
    const { source } = await connect('oura-1');
    const http = createVendorHttp(runtime(), { module: ouraProvider, app, tokens: source });
    oura.answerRaw('/v2/usercollection/workout', 200, '{"data": [');
    const error = await ouraProvider.pull
      .fetch(contextFor(http), 'workout', { fromMs: 0, toMs: DAY, label: '' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(ProviderResponseError);
    expect(String(error)).toMatch(/malformed JSON/);
  });
});
