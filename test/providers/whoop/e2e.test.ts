import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import { startWhoopMock, type WhoopMock } from '../../support/vendor-mocks/whoop.ts';
import { whoopNight, whoopWorkout } from '../../support/vendor-mocks/whoop-data.ts';

/**
 * WHOOP end to end through the real app, on both storage legs, against the local WHOOP mock: connect
 * through the OAuth redirect flow → historical sync → the data through the read API in canonical units
 * and types → a signed webhook → a targeted pull → disconnect revokes at WHOOP. Also: a 429 reschedules
 * the run instead of failing it, and malformed JSON fails the run with a message.
 */
const CLIENT_ID = 'whoop-e2e-client';
const CLIENT_SECRET = 'whoop-e2e-secret';
const DAY = 86_400_000;

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(`WHOOP end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let whoop: Awaited<ReturnType<typeof startWhoopMock>>;
    let mock: WhoopMock;
    let server: TestServer;
    let dev: { id: string; key: string };
    const now = Date.now();

    beforeAll(async () => {
      whoop = await startWhoopMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      mock = whoop.mock;
      const port = await freePort();
      server = await startTestServer({
        database: leg,
        bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
        worker: true,
        env: {
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          PROVIDER_URLS: `whoop=${whoop.url}`,
          PROVIDER_HTTP_ATTEMPTS: '1',
          WHOOP_CLIENT_ID: CLIENT_ID,
          WHOOP_CLIENT_SECRET: CLIENT_SECRET,
        },
      });
      dev = await server.api.registerDeveloper('WHOOP e2e');
    }, 60_000);
    afterAll(async () => {
      await server?.close();
      await whoop?.close();
    });

    const auth = () => ({ key: dev.key });
    const db = () => server.platform.deps.db;
    const runsOf = (connectionId: string) =>
      db()
        .selectFrom('sync_runs')
        .selectAll()
        .where('connection_id', '=', connectionId)
        .orderBy('created_at')
        .execute();

    /** Authorize → WHOOP consent (the mock approves as `whoopUserId`) → callback → developer's redirect. */
    async function connect(whoopUserId: number): Promise<{ userId: string; connectionId: string }> {
      const user = await server.api.createUser(dev.key);
      const redirectUri = 'http://127.0.0.1:9/connected';
      const start = await server.api.request(
        'GET',
        `/api/v1/providers/whoop/authorize?user_id=${user.id}&redirect_uri=${encodeURIComponent(redirectUri)}`,
        { auth: auth() },
      );
      expect(start.status, start.text).toBe(200);
      const consent = new URL(start.body.authorization_url);
      expect(consent.origin + consent.pathname).toBe(`${whoop.url}/oauth/oauth2/auth`);
      expect(consent.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(consent.searchParams.get('scope')?.split(' ')).toContain('offline');
      expect(consent.searchParams.get('code_challenge')).toBeNull();
      mock.oauth.approveNextAs(String(whoopUserId));
      const toCallback = await fetch(consent, { redirect: 'manual' });
      expect(toCallback.status).toBe(302);
      const back = await fetch(toCallback.headers.get('location') as string, { redirect: 'manual' });
      expect([302, 303]).toContain(back.status);
      const outcome = new URL(back.headers.get('location') as string);
      expect(outcome.origin + outcome.pathname).toBe(redirectUri);
      expect(Object.fromEntries(outcome.searchParams)).toMatchObject({
        status: 'success',
        provider: 'whoop',
      });
      return { userId: user.id, connectionId: outcome.searchParams.get('connection_id') as string };
    }

    async function finishedRuns(connectionId: string, count: number) {
      return eventually(
        async () => {
          const runs = await runsOf(connectionId);
          return runs.length >= count &&
            runs.every((r) => ['completed', 'failed', 'cancelled'].includes(r.stage))
            ? runs
            : undefined;
        },
        async () => `${count} finished runs: ${JSON.stringify(await runsOf(connectionId))}`,
      );
    }

    it('connects, syncs history, serves it in canonical units, pulls what a webhook names, and revokes on disconnect', async () => {
      const whoopUser = 20001;
      const nights = Array.from({ length: 5 }, (_, i) =>
        whoopNight({
          userId: whoopUser,
          cycleId: 5000 + i,
          sleepStartMs: now - (i + 1) * DAY,
          hrvRmssdMs: 60 + i,
        }),
      );
      const run = whoopWorkout({
        userId: whoopUser,
        startMs: now - 2 * DAY,
        minutes: 60,
        kilojoule: 2092,
        distanceMeter: 10_000,
      });
      mock.addUser(whoopUser, { nights, workouts: [run] });

      const { userId, connectionId } = await connect(whoopUser);
      const [historical] = await finishedRuns(connectionId, 1);
      const done = await waitForRun(server.api, auth(), userId, historical?.id as string);
      expect(done.stage, JSON.stringify(done)).toBe('completed');
      expect(mock.callCount('GET /v2/user/profile/basic')).toBeGreaterThanOrEqual(1);

      const range = `start_time=${new Date(now - 30 * DAY).toISOString()}&end_time=${new Date(now + DAY).toISOString()}`;
      const days = `start_date=${new Date(now - 30 * DAY).toISOString().slice(0, 10)}&end_date=${new Date(now + DAY).toISOString().slice(0, 10)}`;
      const series = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/timeseries?${range}&types=heart_rate_variability_rmssd,heart_rate_variability_sdnn,skin_temperature,skin_temperature_deviation,resting_heart_rate&limit=100`,
        { auth: auth() },
      );
      expect(series.status, series.text).toBe(200);
      const byType = (t: string) =>
        series.body.data.filter((p: { series_type: string }) => p.series_type === t);
      expect(
        byType('heart_rate_variability_rmssd')
          .map((p: { value: number }) => p.value)
          .sort(),
      ).toEqual([60, 61, 62, 63, 64]);
      expect(byType('heart_rate_variability_rmssd')[0]).toMatchObject({
        unit: 'ms',
        source: { provider: 'whoop' },
      });
      expect(byType('heart_rate_variability_sdnn')).toEqual([]);
      expect(byType('skin_temperature')[0]).toMatchObject({ value: 33.4, unit: 'celsius' });
      expect(byType('skin_temperature_deviation')).toEqual([]);
      expect(byType('resting_heart_rate')[0]).toMatchObject({ value: 51, unit: 'bpm' });

      const workouts = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
        auth: auth(),
      });
      expect(workouts.status, workouts.text).toBe(200);
      expect(workouts.body.data).toHaveLength(1);
      expect(workouts.body.data[0]).toMatchObject({
        type: 'running',
        source_activity_type: 'running',
        duration_seconds: 3600,
        calories_kcal: 500,
        distance_meters: 10_000,
        utc_offset_minutes: -240,
        source: { provider: 'whoop' },
      });

      const sleep = await server.api.request('GET', `/api/v1/users/${userId}/events/sleep?${days}`, {
        auth: auth(),
      });
      expect(sleep.status, sleep.text).toBe(200);
      expect(sleep.body.data).toHaveLength(5);
      expect(sleep.body.data[0]).toMatchObject({
        duration_seconds: 7.5 * 3600,
        source: { provider: 'whoop' },
      });

      const scores = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/health-scores?start_date=${new Date(now - 30 * DAY).toISOString().slice(0, 10)}&limit=100`,
        { auth: auth() },
      );
      expect(scores.status, scores.text).toBe(200);
      const categories = (c: string) =>
        scores.body.data.filter((s: { category: string }) => s.category === c);
      expect(categories('recovery')[0]).toMatchObject({
        provider: 'whoop',
        score: 72,
        range_min: 0,
        range_max: 100,
      });
      expect(categories('strain')[0]).toMatchObject({ score: 12.5, range_min: 0, range_max: 21 });
      expect(categories('sleep')[0]).toMatchObject({ score: 94.1, range_max: 100 });
      expect(categories('sleep')[0].components).toMatchObject({
        in_bed_seconds: 7.5 * 3600,
        efficiency_percent: 94.9,
      });

      // A forged delivery is refused; a signed one names a new workout, which a targeted pull fetches.
      const hook = `${server.url}/api/v1/webhooks/whoop`;
      const forged = await mock.deliverWebhook(
        hook,
        { user_id: whoopUser, id: String(run.id), type: 'workout.updated' },
        { secret: 'wrong' },
      );
      expect(forged.status).toBe(401);
      const stale = await mock.deliverWebhook(
        hook,
        { user_id: whoopUser, id: String(run.id), type: 'workout.updated' },
        { timestampMs: Date.now() - 10 * 60_000 },
      );
      expect(stale.status).toBe(401);
      const added = whoopWorkout({
        userId: whoopUser,
        startMs: now - 3600_000,
        minutes: 30,
        sportName: 'cycling',
        kilojoule: 418.4,
      });
      mock.users.get(String(whoopUser))?.workouts.push(added);
      const single = mock.callCount('GET /v2/activity/workout/{id}');
      const delivered = await mock.deliverWebhook(hook, {
        user_id: whoopUser,
        id: String(added.id),
        type: 'workout.updated',
      });
      expect(delivered.status, await delivered.text()).toBe(200);
      const runs = await finishedRuns(connectionId, 2);
      const webhookRun = runs.find((r) => r.source === 'webhook');
      expect(webhookRun?.stage).toBe('completed');
      expect(mock.callCount('GET /v2/activity/workout/{id}')).toBe(single + 1);
      const after = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
        auth: auth(),
      });
      const cycling = after.body.data.find((w: { type: string }) => w.type === 'cycling');
      expect(cycling).toMatchObject({ calories_kcal: 100, duration_seconds: 1800 });

      // An expired access token: the next pull refreshes once (with scope=offline) and WHOOP rotates the refresh token.
      const grant = mock.oauth.grants.find((g) => g.userId === String(whoopUser) && !g.revoked);
      const oldRefresh = grant?.refreshToken;
      expect(oldRefresh).toBeTruthy();
      mock.oauth.expireAccessTokens(String(whoopUser));
      const refreshesBefore = mock.oauth.counts.refresh;
      const sync = await server.api.request('POST', `/api/v1/providers/whoop/users/${userId}/sync`, {
        auth: auth(),
      });
      expect(sync.status, sync.text).toBe(202);
      const incremental = await waitForRun(server.api, auth(), userId, sync.body.job_id);
      expect(incremental.stage, JSON.stringify(incremental)).toBe('completed');
      expect(mock.oauth.counts.refresh).toBe(refreshesBefore + 1);
      const refreshCall = mock.oauth.log
        .filter((l) => l.endpoint === 'token' && l.form.grant_type === 'refresh_token')
        .at(-1);
      expect(refreshCall?.form).toMatchObject({
        refresh_token: oldRefresh,
        scope: 'offline',
        client_id: CLIENT_ID,
      });
      expect(grant?.refreshToken).not.toBe(oldRefresh);

      const disconnect = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/whoop`, {
        auth: auth(),
      });
      expect(disconnect.status, disconnect.text).toBeLessThan(300);
      expect(mock.oauth.counts.revoke).toBe(1);
      expect(mock.oauth.grants.filter((g) => g.userId === String(whoopUser)).every((g) => g.revoked)).toBe(
        true,
      );
    }, 90_000);

    it('reschedules a run WHOOP answers 429 and completes it after the reset', async () => {
      const whoopUser = 20002;
      mock.addUser(whoopUser, {
        nights: [whoopNight({ userId: whoopUser, cycleId: 6000, sleepStartMs: now - DAY })],
      });
      mock.rateLimitNext(1, 1, 1);
      const limited = mock.counts.rateLimited;
      const { userId, connectionId } = await connect(whoopUser);
      const [historical] = await finishedRuns(connectionId, 1);
      const done = await waitForRun(server.api, auth(), userId, historical?.id as string, 60_000);
      expect(done.stage, JSON.stringify(done)).toBe('completed');
      expect(mock.counts.rateLimited).toBe(limited + 1);
      expect(historical?.attempts).toBeGreaterThanOrEqual(2);
    }, 90_000);

    it('fails a run with a message when WHOOP answers malformed JSON', async () => {
      const whoopUser = 20003;
      mock.addUser(whoopUser, {});
      mock.answerRaw('/developer/v2/cycle', 200, '{"records": [ {"id": 1,', 1);
      const { userId, connectionId } = await connect(whoopUser);
      const [historical] = await finishedRuns(connectionId, 1);
      const done = await waitForRun(server.api, auth(), userId, historical?.id as string);
      expect(done.stage).toBe('failed');
      expect(JSON.stringify(done)).toMatch(/WHOOP answered malformed JSON on GET \/developer\/v2\/cycle/);
    }, 90_000);
  });
}
