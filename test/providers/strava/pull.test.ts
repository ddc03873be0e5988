import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../../src/http/rate-limit.ts';
import {
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderResponseError,
} from '../../../src/providers/errors.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import { stravaProvider } from '../../../src/providers/strava/index.ts';
import { mapStrava } from '../../../src/providers/strava/map.ts';
import { listActivities } from '../../../src/providers/strava/pull.ts';
import type { PullContext, TokenSet, TokenSource } from '../../../src/providers/types.ts';
import { createLogger } from '../../../src/shared/logger.ts';
import {
  type ActivitySpec,
  ATHLETE_ID,
  BIG_ID,
  type RunningStravaMock,
  startStravaMock,
} from '../../support/vendor-mocks/strava.ts';

/**
 * Strava's pull through WearLink's real vendor HTTP client against the local Strava mock: paging to the
 * end, detail and streams per activity with exact ids, webhook targets, identify (exact athlete id,
 * unticked scope), an expired token refreshed once with rotation, 429 with Strava's headers, malformed
 * JSON. The token source is this test's own small client of the
 * mock's token endpoint (the token store is exercised end to end in e2e.test.ts).
 */
const DAY = 86_400_000;
const app = {
  developerId: null,
  clientId: '777',
  clientSecret: 'strava-secret',
  webhookSecret: 'verify-me',
  scopes: [],
};
let strava: RunningStravaMock;
let runtime: ProviderRuntime;
let tokens: TokenSet;
const now = Date.now();
const sec = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

async function tokenCall(form: Record<string, string>): Promise<TokenSet> {
  const res = await fetch(`${strava.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...form }),
  });
  const body = (await res.json()) as { access_token: string; refresh_token?: string; expires_at: number };
  if (!res.ok) throw new Error(`token call failed: ${JSON.stringify(body)}`);
  return {
    access_token: body.access_token,
    expires_at: body.expires_at * 1000,
    refresh_token: body.refresh_token as string,
  };
}

const tokenSource: TokenSource = {
  current: async () => tokens,
  async refresh() {
    tokens = await tokenCall({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    return tokens;
  },
};

const http = () => createVendorHttp(runtime, { module: stravaProvider, app, tokens: tokenSource });
const context = (windowIndex = 0): PullContext => ({
  userId: 'u1',
  providerUserId: ATHLETE_ID,
  settings: {},
  windowIndex,
  attempt: 1,
  cursorMs: undefined,
  http: http(),
});

async function consent(athlete: string, scope?: string): Promise<TokenSet> {
  strava.oauth.approveNextAs(athlete, scope);
  const authorize = new URL(`${strava.url}/oauth/authorize`);
  authorize.search = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: 'http://127.0.0.1:1/callback',
    response_type: 'code',
    scope: stravaProvider.manifest.oauth?.default_scopes.join(',') ?? '',
  }).toString();
  const redirect = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location') ?? '');
  const set = await tokenCall({
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code') ?? '',
    redirect_uri: 'http://127.0.0.1:1/callback',
  });
  return { ...set, scope: redirect.searchParams.get('scope') ?? '' };
}

const spec = (i: number, over: Partial<ActivitySpec> = {}): ActivitySpec => ({
  id: String(9_007_199_254_740_000n + BigInt(i)),
  sportType: 'Run',
  start: sec(now - 40 * DAY + i * 60_000),
  offsetMin: 60,
  elapsedS: 1200,
  distanceM: 3000,
  manual: true,
  hr: false,
  gps: false,
  ...over,
});
// 205 manual runs in one window (two pages), and three recorded activities in a recent one.
const many = Array.from({ length: 205 }, (_, i) => spec(i));
const recent: ActivitySpec[] = [
  {
    id: BIG_ID,
    sportType: 'Ride',
    start: sec(now - 2 * DAY),
    offsetMin: 120,
    elapsedS: 3600,
    distanceM: 20_000,
  },
  { ...spec(900), start: sec(now - 3 * DAY) },
  {
    id: '123',
    sportType: 'Walk',
    start: sec(now - 4 * DAY),
    offsetMin: 0,
    elapsedS: 600,
    distanceM: 800,
    hr: true,
    gps: false,
  },
];

beforeAll(async () => {
  strava = await startStravaMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  strava.addAthlete(ATHLETE_ID, [...many, ...recent], 71.2);
  runtime = {
    config: loadConfig({
      WEARLINK_DATA_DIR: 'memory://',
      PROVIDER_URLS: `strava=${strava.url}`,
      PROVIDER_HTTP_ATTEMPTS: '1',
    }),
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
  tokens = await consent(ATHLETE_ID);
});
afterAll(async () => strava.close());
beforeEach(() => {
  strava.requests.length = 0;
  strava.calls.clear();
  // A fresh WearLink budget per test: the 15-minute read budget is 100 calls.
  (runtime as unknown as { rateLimiter: MemoryRateLimiter }).rateLimiter = new MemoryRateLimiter();
});

describe('Strava pull against the mock', () => {
  it('pages the activity list to the end at 200 a page, after/before in epoch seconds, ids exact', async () => {
    const window = { fromMs: now - 41 * DAY, toMs: now - 30 * DAY, label: 'old' };
    const listed = (await listActivities(http(), window)) as { id: string }[];
    expect(listed).toHaveLength(205);
    expect(new Set(listed.map((a) => a.id)).size).toBe(205);
    expect(listed.map((a) => a.id)).toContain('9007199254740204');
    expect(strava.requests.map((r) => r.query)).toEqual([
      {
        after: String(Math.floor(window.fromMs / 1000) - 1),
        before: String(Math.ceil(window.toMs / 1000)),
        page: '1',
        per_page: '200',
      },
      {
        after: String(Math.floor(window.fromMs / 1000) - 1),
        before: String(Math.ceil(window.toMs / 1000)),
        page: '2',
        per_page: '200',
      },
    ]);
  });

  it('fetches each activity’s detail and, unless manual, its streams; the payload maps', async () => {
    const window = { fromMs: now - 7 * DAY, toMs: now, label: 'recent' };
    const payload = (await stravaProvider.pull.fetch(context(), 'activities', window)) as {
      activities: { id: string }[];
      streams: Record<string, unknown>;
    };
    expect(payload.activities.map((a) => a.id).sort()).toEqual(['123', BIG_ID, '9007199254740900'].sort());
    expect(Object.keys(payload.streams).sort()).toEqual(['123', BIG_ID].sort());
    expect(strava.callCount('GET /activities/{id}')).toBe(3);
    expect(strava.callCount('GET /activities/{id}/streams')).toBe(2);
    const streamsCall = strava.requests.find((r) => r.path.endsWith('/streams'));
    expect(streamsCall?.query).toEqual({
      keys: 'time,latlng,altitude,heartrate,velocity_smooth',
      key_by_type: 'true',
    });
    const batch = mapStrava('activities', payload);
    expect(batch.workouts.map((w) => w.externalId).sort()).toEqual(
      ['123', BIG_ID, '9007199254740900'].sort(),
    );
    expect(batch.workouts.find((w) => w.externalId === BIG_ID)?.route).toHaveLength(6);
  });

  it('fetches the profile only in a run’s first window', async () => {
    const window = { fromMs: now - 7 * DAY, toMs: now, label: 'recent' };
    const first = await stravaProvider.pull.fetch(context(0), 'athlete', window);
    expect(mapStrava('athlete', first).samples).toEqual([expect.objectContaining({ value: 71.2 })]);
    expect(await stravaProvider.pull.fetch(context(3), 'athlete', window)).toMatchObject({ athlete: null });
    expect(strava.callCount('GET /athlete')).toBe(1);
  });

  it('a webhook target pulls exactly that activity; a vanished one is nothing', async () => {
    const fetchTarget = stravaProvider.pull.fetchTarget as NonNullable<
      typeof stravaProvider.pull.fetchTarget
    >;
    const [got] = await fetchTarget(context(), { resource: 'activities', objectId: BIG_ID });
    expect(got?.payload).toMatchObject({ activities: [{ id: BIG_ID }] });
    expect(strava.callCount('GET /athlete/activities')).toBe(0);
    const [gone] = await fetchTarget(context(), { resource: 'activities', objectId: '999' });
    expect(gone?.payload).toEqual({ activities: [], streams: {} });
    await expect(fetchTarget(context(), { resource: 'activities', objectId: '../x' })).rejects.toThrow(
      ProviderResponseError,
    );
  });

  it('identify reads the athlete id above 2^53 exactly, and refuses a grant without activity access', async () => {
    expect(await stravaProvider.identify?.({ http: http(), tokens, userId: 'u1' })).toEqual({
      providerUserId: ATHLETE_ID,
    });
    expect(strava.callCount('GET /athlete')).toBe(1);
    // A safe id in the token response's athlete summary is used as is.
    const safe = await stravaProvider.identify?.({
      http: http(),
      tokens: { ...tokens, extra: { athlete: { id: 134815 } } },
      userId: 'u1',
    });
    expect(safe).toEqual({ providerUserId: '134815' });
    expect(strava.callCount('GET /athlete')).toBe(1);
    await expect(
      stravaProvider.identify?.({
        http: http(),
        tokens: { ...tokens, scope: 'read,profile:read_all' },
        userId: 'u1',
      }),
    ).rejects.toThrow(ProviderAuthError);
    await expect(
      stravaProvider.identify?.({ http: http(), tokens: { ...tokens, scope: 'read' }, userId: 'u1' }),
    ).rejects.toThrow(/View data about your activities/);
  });

  it('an expired access token is refreshed once (rotating the refresh token) and the call retried', async () => {
    const oldRefresh = tokens.refresh_token;
    strava.oauth.expireAccessTokens(ATHLETE_ID);
    const refreshes = strava.oauth.counts.refresh;
    await stravaProvider.pull.fetch(context(), 'athlete', { fromMs: now - DAY, toMs: now, label: 'x' });
    expect(strava.oauth.counts.refresh).toBe(refreshes + 1);
    expect(strava.counts.unauthorized).toBeGreaterThan(0);
    expect(tokens.refresh_token).not.toBe(oldRefresh);
  });

  it('a 429 raises ProviderRateLimitError until the next quarter hour', async () => {
    strava.rateLimitNext(1);
    const error = await stravaProvider.pull
      .fetch(context(), 'athlete', { fromMs: now - DAY, toMs: now, label: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    const toQuarter = (15 * 60_000 - (Date.now() % (15 * 60_000))) / 1000;
    expect(Math.abs((error as ProviderRateLimitError).retryAfterSeconds - toQuarter)).toBeLessThan(5);
  });

  it('malformed JSON and a list that is not an array fail with a message', async () => {
    const window = { fromMs: now - 7 * DAY, toMs: now, label: 'recent' };
    strava.answerRaw('/athlete/activities', 200, '[{"id": 1,', 1);
    await expect(stravaProvider.pull.fetch(context(), 'activities', window)).rejects.toThrow(
      /malformed JSON.*offset/,
    );
    strava.answerRaw('/athlete/activities', 200, '{"message":"odd"}', 1);
    await expect(stravaProvider.pull.fetch(context(), 'activities', window)).rejects.toThrow(
      'is not an array',
    );
  });
});
