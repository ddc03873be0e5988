import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seriesType } from '../../../src/catalog/series-types.ts';
import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../../src/http/rate-limit.ts';
import { ProviderRateLimitError, ProviderResponseError } from '../../../src/providers/errors.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import type { PullContext, TokenSet, TokenSource } from '../../../src/providers/types.ts';
import { whoopProvider } from '../../../src/providers/whoop/index.ts';
import { mapWhoop } from '../../../src/providers/whoop/map.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import { startWhoopMock, type WhoopMock } from '../../support/vendor-mocks/whoop.ts';
import { whoopNight, whoopWorkout } from '../../support/vendor-mocks/whoop-data.ts';

/**
 * WHOOP's pull through WearLink's real vendor HTTP client against the local WHOOP mock: paging with
 * `nextToken`, recoveries with their sleeps, webhook targets, 429 with WHOOP's reset header, a 401 on
 * an expired token refreshed once (rotating the refresh token), malformed JSON. The token source here
 * is this test's own small client of the mock's token endpoint (the token store is exercised end to end
 * in e2e.test.ts).
 */
const USER = 10129;
const DAY = 86_400_000;
const app = {
  developerId: null,
  clientId: 'whoop-cid',
  clientSecret: 'whoop-secret',
  webhookSecret: undefined,
  scopes: [],
};
let running: Awaited<ReturnType<typeof startWhoopMock>>;
let mock: WhoopMock;
let runtime: ProviderRuntime;
let tokens: TokenSet;
const refreshes: string[] = [];

async function tokenCall(form: Record<string, string>): Promise<TokenSet> {
  const res = await fetch(`${running.url}/oauth/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...form }),
  });
  const body = (await res.json()) as { access_token: string; refresh_token?: string; expires_in: number };
  if (!res.ok) throw new Error(`token call failed: ${JSON.stringify(body)}`);
  return {
    access_token: body.access_token,
    expires_at: Date.now() + body.expires_in * 1000,
    ...(body.refresh_token === undefined ? {} : { refresh_token: body.refresh_token }),
  };
}

const tokenSource: TokenSource = {
  current: async () => tokens,
  async refresh() {
    refreshes.push(tokens.refresh_token ?? '');
    tokens = await tokenCall({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token ?? '',
      scope: 'offline',
    });
    return tokens;
  },
};

function context(): PullContext {
  return {
    userId: 'u1',
    providerUserId: String(USER),
    settings: {},
    windowIndex: 0,
    attempt: 1,
    cursorMs: undefined,
    http: createVendorHttp(runtime, { module: whoopProvider, app, tokens: tokenSource }),
  };
}

const now = Date.now();
const window = { fromMs: now - 90 * DAY, toMs: now + DAY, label: 'all' };
const nights = Array.from({ length: 30 }, (_, i) =>
  whoopNight({ userId: USER, cycleId: 1000 + i, sleepStartMs: now - (i + 1) * DAY }),
);
const workouts = Array.from({ length: 60 }, (_, i) =>
  whoopWorkout({ userId: USER, startMs: now - i * DAY - 3600_000, sportName: i % 2 ? 'cycling' : 'running' }),
);

beforeAll(async () => {
  running = await startWhoopMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  mock = running.mock;
  mock.addUser(USER, { nights, workouts });
  runtime = {
    config: loadConfig({
      WEARLINK_DATA_DIR: 'memory://',
      PROVIDER_URLS: `whoop=${running.url}`,
      PROVIDER_HTTP_ATTEMPTS: '2',
    }),
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
  // A consent as the browser would give it: authorize → code → token, with `offline` for a refresh token.
  mock.oauth.approveNextAs(String(USER));
  const authorize = new URL(`${running.url}/oauth/oauth2/auth`);
  authorize.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: 'http://127.0.0.1:1/callback',
    response_type: 'code',
    scope: whoopProvider.manifest.oauth?.default_scopes.join(' ') ?? '',
    state: 'st',
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
  tokens = await tokenCall({
    grant_type: 'authorization_code',
    code,
    redirect_uri: 'http://127.0.0.1:1/callback',
  });
});
afterAll(async () => running.close());
beforeEach(() => {
  mock.requests.length = 0;
});

describe('WHOOP pull against the mock', () => {
  it('identifies the member by the basic profile', async () => {
    const ctx = context();
    expect(await whoopProvider.identify?.({ http: ctx.http, tokens, userId: 'u1' })).toEqual({
      providerUserId: '10129',
    });
  });

  it('follows next_token with nextToken at 25 a page until the last page', async () => {
    const payload = (await whoopProvider.pull.fetch(context(), 'workout', window)) as { pages: unknown[] };
    expect(payload.pages).toHaveLength(3);
    const calls = mock.requests.filter((r) => r.path === '/developer/v2/activity/workout');
    expect(calls.map((c) => c.query.limit)).toEqual(['25', '25', '25']);
    expect(calls[0]?.query.nextToken).toBeUndefined();
    expect(calls[1]?.query.nextToken).toBeTruthy();
    expect(calls[0]?.query.start).toBe(new Date(window.fromMs).toISOString());
    const batch = mapWhoop('workout', payload);
    expect(batch.workouts).toHaveLength(60);
    expect(new Set(batch.workouts.map((w) => w.externalId)).size).toBe(60);
    expect(new Set(batch.workouts.map((w) => w.type))).toEqual(new Set(['running', 'cycling']));
  });

  it('pulls recoveries with the sleeps they were measured in', async () => {
    const payload = await whoopProvider.pull.fetch(context(), 'recovery', window);
    const batch = mapWhoop('recovery', payload);
    expect(batch.scores).toHaveLength(30);
    const hrv = batch.samples.filter((s) => s.seriesTypeId === seriesType('heart_rate_variability_rmssd').id);
    expect(hrv).toHaveLength(30);
    expect(hrv.every((s) => s.durationMs === 7.5 * 3600_000 && s.utcOffsetMin === -240)).toBe(true);
    expect(batch.scores.every((s) => s.components.timed_by === 'sleep')).toBe(true);
  });

  it('pulls the body measurement only in a window reaching today', async () => {
    const today = mapWhoop('body', await whoopProvider.pull.fetch(context(), 'body', window));
    expect(today.samples.map((s) => s.value)).toEqual([182.88, 90.7185]);
    const old = await whoopProvider.pull.fetch(context(), 'body', { fromMs: 0, toMs: DAY, label: 'old' });
    expect(mapWhoop('body', old).samples).toEqual([]);
    expect(mock.requests.filter((r) => r.path === '/developer/v2/user/measurement/body')).toHaveLength(1);
  });

  it('fetches what a webhook names: a sleep, a recovery by cycle id or by sleep UUID', async () => {
    const night = nights[3] as (typeof nights)[number];
    const fetchTarget = whoopProvider.pull.fetchTarget as NonNullable<typeof whoopProvider.pull.fetchTarget>;
    const sleep = await fetchTarget(context(), { resource: 'sleep', objectId: String(night.sleep.id) });
    expect(sleep.map((p) => p.resource)).toEqual(['sleep']);
    expect(mapWhoop('sleep', sleep[0]?.payload).sleep).toHaveLength(1);
    for (const objectId of [String(night.cycle.id), String(night.sleep.id)]) {
      const parts = await fetchTarget(context(), { resource: 'recovery', objectId });
      expect(parts.map((p) => p.resource)).toEqual(['cycle', 'recovery']);
      const recovery = mapWhoop('recovery', parts.find((p) => p.resource === 'recovery')?.payload);
      expect(recovery.scores[0]?.components).toMatchObject({ cycle_id: night.cycle.id, timed_by: 'sleep' });
    }
    const gone = await fetchTarget(context(), {
      resource: 'workout',
      objectId: '00000000-0000-4000-8000-000000000000',
    });
    expect(gone).toEqual([]);
  });

  it('raises a 429 as a reschedule after WHOOP’s X-RateLimit-Reset', async () => {
    mock.rateLimitNext(1, 42);
    const error = await whoopProvider.pull.fetch(context(), 'cycle', window).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBe(42);
  });

  it('refreshes an expired access token once, rotating the refresh token, and carries on', async () => {
    const before = tokens.refresh_token;
    mock.oauth.expireAccessTokens();
    const payload = await whoopProvider.pull.fetch(context(), 'cycle', window);
    expect(mapWhoop('cycle', payload).scores).toHaveLength(30);
    expect(refreshes).toEqual([before]);
    expect(tokens.refresh_token).not.toBe(before);
    // The old refresh token is dead after the rotation.
    await expect(
      tokenCall({ grant_type: 'refresh_token', refresh_token: before ?? '', scope: 'offline' }),
    ).rejects.toThrow();
  });

  it('gets a refresh token from WHOOP only when the offline scope was granted', async () => {
    mock.oauth.approveNextAs('20999', 'read:recovery read:sleep');
    const authorize = new URL(`${running.url}/oauth/oauth2/auth`);
    authorize.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: 'http://127.0.0.1:1/callback',
      response_type: 'code',
      scope: 'read:recovery read:sleep',
      state: 'st2',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const online = await tokenCall({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:1/callback',
    });
    expect(online.refresh_token).toBeUndefined();
    expect(tokens.refresh_token).toBeTruthy();
  });

  it('fails with a message on malformed JSON and on a page without records', async () => {
    mock.answerRaw('/developer/v2/activity/sleep', 200, '{"records": [', 1);
    await expect(whoopProvider.pull.fetch(context(), 'sleep', window)).rejects.toThrow(
      /WHOOP answered malformed JSON/,
    );
    mock.answerRaw('/developer/v2/activity/sleep', 200, '{"data": []}', 1);
    await expect(whoopProvider.pull.fetch(context(), 'sleep', window)).rejects.toThrow(ProviderResponseError);
  });
});
