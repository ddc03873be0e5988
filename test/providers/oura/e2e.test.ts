import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppSubscriptions } from '../../../src/providers/webhooks/subscriptions.ts';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import { type RunningOuraMock, startOuraMock } from '../../support/vendor-mocks/oura.ts';
import { ouraDataSet } from './e2e-data.ts';

/**
 * Oura end to end through the real app, on both storage legs: connect through the OAuth redirect flow,
 * the historical sync, the data read back through the read API in its units, Oura's subscription
 * challenge and a signed notification that pulls exactly its document, a 429 that reschedules, a
 * malformed answer that fails the run with a message, and a disconnect that revokes at the mock.
 */

const CLIENT_ID = 'oura-e2e-client';
const CLIENT_SECRET = 'oura-e2e-secret';
const VERIFY_TOKEN = 'oura-e2e-verify';
const OURA_USER = 'oura-e2e-user';
const DAY = 86_400_000;

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(`Oura end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let oura: RunningOuraMock;
    let server: TestServer;
    let key = '';
    let userId = '';
    const data = ouraDataSet(Date.now());
    const auth = () => ({ key });
    const runs = async () =>
      (await server.api.request('GET', `/api/v1/users/${userId}/sync/runs?limit=50`, { auth: auth() }))
        .body as {
        run_id: string;
        source: string;
        status: string;
        stage: string;
        error: unknown;
        message: string | null;
      }[];

    beforeAll(async () => {
      oura = await startOuraMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      oura.addUser(OURA_USER, data.documents);
      const port = await freePort();
      server = await startTestServer({
        database: leg,
        bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
        env: {
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          PROVIDER_URLS: `oura=${oura.url}`,
          PROVIDER_HTTP_ATTEMPTS: '1',
          OURA_CLIENT_ID: CLIENT_ID,
          OURA_CLIENT_SECRET: CLIENT_SECRET,
          OURA_WEBHOOK_SECRET: VERIFY_TOKEN,
        },
      });
      const developer = await server.api.registerDeveloper('Oura e2e');
      key = developer.key;
      userId = (await server.api.createUser(key)).id;
    });
    afterAll(async () => {
      await server?.close();
      await oura?.close();
    });

    it('connects through the OAuth redirect flow and runs the historical sync', async () => {
      const redirectUri = 'http://127.0.0.1:9/oura-done';
      const start = await server.api.request(
        'GET',
        `/api/v1/providers/oura/authorize?user_id=${userId}&redirect_uri=${encodeURIComponent(redirectUri)}`,
        { auth: auth() },
      );
      expect(start.status, start.text).toBe(200);
      const consent = new URL(start.body.authorization_url);
      expect(consent.origin).toBe(oura.url);
      expect(consent.pathname).toBe('/oauth/authorize');
      expect(consent.searchParams.get('scope')).toBe('personal daily heartrate workout session spo2Daily');
      expect(consent.searchParams.get('code_challenge')).toBeNull();

      oura.oauth.approveNextAs(OURA_USER);
      const toCallback = await fetch(consent, { redirect: 'manual' });
      const callback = toCallback.headers.get('location') ?? '';
      expect(callback.startsWith(`${server.url}/`)).toBe(true);
      const done = await fetch(callback, { redirect: 'manual' });
      expect(done.status).toBe(302);
      const outcome = new URL(done.headers.get('location') ?? '');
      expect(`${outcome.origin}${outcome.pathname}`).toBe(redirectUri);
      expect(Object.fromEntries(outcome.searchParams)).toMatchObject({ status: 'success', provider: 'oura' });
      expect(oura.oauth.counts.code).toBe(1);
      // Body client auth, as Oura's token endpoint expects.
      expect(oura.oauth.log[0]?.form).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

      const historical = await eventually(
        // A connect's historical sync is recorded as a backfill.
        async () => (await runs()).find((r) => r.source === 'backfill'),
        'the historical run',
      );
      const run = await waitForRun(server.api, auth(), userId, historical.run_id, 80_000);
      expect(run.status, JSON.stringify(run)).toBe('success');
      expect(oura.callCount('GET /v2/usercollection/personal_info')).toBeGreaterThan(0);
      expect(oura.callCount('GET /v2/usercollection/heartrate')).toBeGreaterThan(0);
      expect(oura.counts.badRequest).toBe(0);
    }, 90_000);

    it('serves the synced data through the read API with Oura’s units and types', async () => {
      const range = `start_time=${new Date(data.fromMs).toISOString()}&end_time=${new Date(data.toMs).toISOString()}`;
      const series = async (type: string) =>
        (
          await server.api.request(
            'GET',
            `/api/v1/users/${userId}/timeseries?types=${type}&${range}&limit=100`,
            { auth: auth() },
          )
        ).body;
      const hr = await series('heart_rate');
      expect(hr.data.map((p: { value: number }) => p.value).sort()).toEqual([58, 61, 64]);
      expect(hr.data[0]).toMatchObject({ unit: 'bpm', source: { provider: 'oura' } });
      const hrv = await series('heart_rate_variability_rmssd');
      expect(hrv.data.map((p: { value: number }) => p.value)).toEqual([44, 39]);
      expect((await series('heart_rate_variability_sdnn')).data).toEqual([]);
      expect((await series('steps')).data.map((p: { value: number }) => p.value)).toEqual([8123]);
      expect((await series('oxygen_saturation')).data[0]).toMatchObject({ value: 97.5, unit: 'percent' });
      expect((await series('skin_temperature_deviation')).data[0]).toMatchObject({
        value: -0.3,
        unit: 'celsius',
      });
      expect((await series('respiratory_rate')).data[0]).toMatchObject({ value: 14.25, unit: 'brpm' });

      // Body metrics from personal_info, dated to the day they were read (kg; Oura's metres as cm).
      const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
      const bodyRange = `start_time=${new Date(today - DAY).toISOString()}&end_time=${new Date(today + DAY).toISOString()}`;
      const body = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/timeseries?types=weight,height&${bodyRange}`,
        {
          auth: auth(),
        },
      );
      expect(body.body.data.map((p: { value: number; unit: string }) => [p.value, p.unit]).sort()).toEqual([
        [169, 'cm'],
        [64.3, 'kg'],
      ]);

      const days = `start_date=${data.firstDay}&end_date=${data.lastDay}`;
      const workouts = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
        auth: auth(),
      });
      expect(workouts.status, workouts.text).toBe(200);
      expect(workouts.body.data).toHaveLength(1);
      expect(workouts.body.data[0]).toMatchObject({
        type: 'running',
        source_activity_type: 'running',
        duration_seconds: 2400,
        distance_meters: 5012.5,
        calories_kcal: 390,
        utc_offset_minutes: 120,
        source: { provider: 'oura' },
      });

      const sleep = await server.api.request('GET', `/api/v1/users/${userId}/events/sleep?${days}`, {
        auth: auth(),
      });
      expect(sleep.status, sleep.text).toBe(200);
      expect(sleep.body.data).toHaveLength(1);
      // The hypnogram's 90 five-minute epochs: 3+5 awake, 30+17 light, 20 deep, 15 REM, at UTC+2.
      expect(sleep.body.data[0]).toMatchObject({
        start_time: new Date(data.fromMs + 2 * DAY - 3 * 3_600_000).toISOString(),
        duration_seconds: 27_000,
        stages: {
          awake_minutes: 40,
          light_minutes: 235,
          deep_minutes: 100,
          rem_minutes: 75,
          unknown_minutes: 0,
        },
        utc_offset_minutes: 120,
        source: { provider: 'oura' },
      });

      const scores = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/health-scores?provider=oura&${days}`,
        {
          auth: auth(),
        },
      );
      expect(scores.status, scores.text).toBe(200);
      const byCategory = Object.fromEntries(
        scores.body.data.map((s: { category: string }) => [s.category, s]),
      ) as Record<string, { score: number; range_min: number; range_max: number; components: object }>;
      expect(byCategory.sleep).toMatchObject({ score: 81, range_min: 1, range_max: 100 });
      expect(byCategory.readiness).toMatchObject({ score: 74, range_min: 1, range_max: 100 });
      expect(byCategory.activity).toMatchObject({ score: 88, range_min: 1, range_max: 100 });
      expect(byCategory.readiness?.components).toMatchObject({ hrv_balance: 66 });
    });

    it('subscribes through Oura’s challenge, and a signed notification pulls exactly its document', async () => {
      await ensureAppSubscriptions(server.platform.deps);
      await eventually(
        async () => (oura.webhooks.subscriptions.size >= 20 ? true : undefined),
        'Oura subscriptions',
      );
      expect(oura.webhooks.challenges.every((c) => c.ok)).toBe(true);

      const forged = await oura.webhooks.deliver(
        `${server.url}/api/v1/webhooks/oura`,
        data.newWorkoutEvent(OURA_USER),
        {
          secret: 'not-the-secret',
        },
      );
      expect(forged.status).toBe(401);

      oura.users.get(OURA_USER)?.documents.workout?.push(data.newWorkout);
      const before = oura.callCount('GET /v2/usercollection/workout/{id}');
      const delivered = await oura.webhooks.notify(data.newWorkoutEvent(OURA_USER));
      expect(Object.values(delivered)).toEqual([200]);
      const webhookRun = await eventually(
        async () => (await runs()).find((r) => r.source === 'webhook' && r.stage === 'completed'),
        'the webhook run',
      );
      expect(webhookRun.status).toBe('success');
      expect(oura.callCount('GET /v2/usercollection/workout/{id}')).toBe(before + 1);
      const days = `start_date=${data.firstDay}&end_date=${data.lastDay}`;
      const workouts = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
        auth: auth(),
      });
      expect(workouts.body.data).toHaveLength(2);
    });

    it('a 429 reschedules the run instead of failing it; malformed JSON fails it with a message', async () => {
      // An expired access token on the way: refreshed once (rotating), then the 429.
      oura.oauth.expireAccessTokens(OURA_USER);
      const refreshes = oura.oauth.counts.refresh;
      oura.rateLimitNext(1, 1);
      const limited = await server.api.request('POST', `/api/v1/providers/oura/users/${userId}/sync`, {
        auth: auth(),
      });
      expect([200, 202]).toContain(limited.status);
      const after429 = await waitForRun(server.api, auth(), userId, limited.body.job_id, 60_000);
      expect(after429.status, JSON.stringify(after429)).toBe('success');
      expect(oura.counts.rateLimited).toBe(1);
      expect(oura.oauth.counts.refresh).toBe(refreshes + 1);

      oura.answerRaw('/v2/usercollection/daily_sleep', 200, '{"data": [{"id": ', 1);
      const broken = await server.api.request('POST', `/api/v1/providers/oura/users/${userId}/sync`, {
        auth: auth(),
      });
      const failed = await waitForRun(server.api, auth(), userId, broken.body.job_id, 60_000);
      expect(failed.status).toBe('failed');
      expect(JSON.stringify(failed.error)).toMatch(/malformed JSON/);
    });

    it('disconnect revokes the grant at Oura and keeps the data', async () => {
      const revokes = oura.oauth.counts.revoke;
      const res = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/oura`, {
        auth: auth(),
      });
      expect([200, 204]).toContain(res.status);
      expect(oura.oauth.counts.revoke).toBe(revokes + 1);
      expect(oura.oauth.grants.filter((g) => g.userId === OURA_USER).every((g) => g.revoked)).toBe(true);
      const range = `start_time=${new Date(data.fromMs).toISOString()}&end_time=${new Date(data.toMs + DAY).toISOString()}`;
      const kept = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/timeseries?types=heart_rate&${range}`,
        {
          auth: auth(),
        },
      );
      expect(kept.body.data.length).toBe(3);
    });
  });
}
