import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import { type RunningPolarMock, startPolarMock } from '../../support/vendor-mocks/polar.ts';
import {
  polarActivityDay,
  polarExercise,
  polarHeartRateDay,
  polarNight,
  polarRecharge,
} from '../../support/vendor-mocks/polar-data.ts';

/**
 * Polar end to end through the real app, on both storage legs: connect through the OAuth redirect flow
 * (Basic token auth, `x_user_id`, registration with the WearLink user id as member-id), the historical
 * sync, the data read back through the read API in its units (RMSSD, kg, cm, Polar's score ranges), the
 * client webhook created by API after Polar's unsigned PING, a signed notification that pulls exactly
 * its exercise (a forged one refused), a 429 that reschedules, malformed JSON that fails the run with a
 * message, a user without Polar's consents refused clearly, and a disconnect that deregisters at Polar.
 */

const CLIENT_ID = 'polar-e2e-client';
const CLIENT_SECRET = 'polar-e2e-secret';
const POLAR_USER = 475;
const DAY = 86_400_000;

const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(`Polar end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let polar: RunningPolarMock;
    let server: TestServer;
    let key = '';
    let userId = '';
    const now = Date.now();
    const d1 = date(now - 3 * DAY);
    const d2 = date(now - 2 * DAY);
    const firstDay = date(now - 5 * DAY);
    const lastDay = date(now + DAY);
    const auth = () => ({ key });
    const runs = async () =>
      (await server.api.request('GET', `/api/v1/users/${userId}/sync/runs?limit=50`, { auth: auth() }))
        .body as {
        run_id: string;
        source: string;
        status: string;
        stage: string;
      }[];

    /** authorize → the mock's consent redirect → WearLink's callback → the developer's redirect_uri. */
    async function connect(user: string, polarUser: number): Promise<URLSearchParams> {
      const redirectUri = 'http://127.0.0.1:9/polar-done';
      const start = await server.api.request(
        'GET',
        `/api/v1/providers/polar/authorize?user_id=${user}&redirect_uri=${encodeURIComponent(redirectUri)}`,
        { auth: auth() },
      );
      expect(start.status, start.text).toBe(200);
      const consent = new URL(start.body.authorization_url);
      expect(`${consent.origin}${consent.pathname}`).toBe(`${polar.url}/oauth2/authorization`);
      expect(consent.searchParams.get('scope')).toBe('accesslink.read_all');
      expect(consent.searchParams.get('code_challenge')).toBeNull();
      polar.mock.oauth.approveNextAs(String(polarUser));
      const toCallback = await fetch(consent, { redirect: 'manual' });
      const done = await fetch(toCallback.headers.get('location') ?? '', { redirect: 'manual' });
      expect(done.status).toBe(302);
      const outcome = new URL(done.headers.get('location') ?? '');
      expect(`${outcome.origin}${outcome.pathname}`).toBe(redirectUri);
      return outcome.searchParams;
    }

    beforeAll(async () => {
      polar = await startPolarMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
      polar.mock.addUser(POLAR_USER, {
        exercises: [
          polarExercise({
            id: 'aQlC83',
            start: `${d1}T07:00:00`,
            offsetMin: 120,
            duration: 'PT1H2M3.5S',
            detailed: 'TRAIL_RUNNING',
            distanceM: 12_345.5,
            kcal: 812,
            hrSamples: [120, 125],
          }),
        ],
        nights: [
          polarNight({
            date: d2,
            start: `${d1}T23:30:00+02:00`,
            end: `${d2}T07:00:00+02:00`,
            score: 82,
            hypnogram: { '23:30': 2, '01:00': 4, '03:00': 1, '06:30': 0 },
            heartRate: { '23:35': 55, '00:05': 50 },
          }),
        ],
        recharges: [
          polarRecharge({ date: d2, status: 4, ansCharge: 2.5, hrv: { '23:40': 40, '00:10': 44 } }),
        ],
        activities: [
          polarActivityDay({
            date: d1,
            steps: 120,
            stepSamples: [
              { time: '10:00', steps: 60 },
              { time: '10:02', steps: 0 },
            ],
          }),
        ],
        heartRateDays: [
          polarHeartRateDay(d1, [
            ['08:00:00', 61],
            ['08:05:00', 63],
          ]),
        ],
        physicalInfo: {
          weight: 72.5,
          height: 180,
          resting_heart_rate: 48,
          vo2_max: 55,
          modified: new Date(now - 4 * DAY).toISOString(),
        },
      });
      const port = await freePort();
      server = await startTestServer({
        database: leg,
        bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
        env: {
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          PROVIDER_URLS: `polar=${polar.url}`,
          PROVIDER_HTTP_ATTEMPTS: '1',
          POLAR_CLIENT_ID: CLIENT_ID,
          POLAR_CLIENT_SECRET: CLIENT_SECRET,
        },
      });
      const developer = await server.api.registerDeveloper('Polar e2e');
      key = developer.key;
      userId = (await server.api.createUser(key)).id;
    });
    afterAll(async () => {
      await server?.close();
      await polar?.close();
    });

    it('connects (Basic token auth, x_user_id, registration) and runs the historical sync', async () => {
      const outcome = await connect(userId, POLAR_USER);
      expect(Object.fromEntries(outcome)).toMatchObject({ status: 'success', provider: 'polar' });
      expect(polar.mock.oauth.counts.code).toBe(1);
      expect(polar.mock.oauth.log[0]?.authorization).toBe(
        `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      );
      expect(polar.mock.oauth.log[0]?.form.client_secret).toBeUndefined();
      expect(polar.mock.registered.get(String(POLAR_USER))).toBe(userId);

      const historical = await eventually(
        async () => (await runs()).find((r) => r.source === 'backfill'),
        'the historical run',
      );
      const run = await waitForRun(server.api, auth(), userId, historical.run_id, 80_000);
      expect(run.status, JSON.stringify(run)).toBe('success');
      expect(polar.mock.counts.badRequest).toBe(0);
      expect(polar.mock.counts.forbidden).toBe(0);
      expect(polar.mock.callCount('GET /v3/exercises/{id}')).toBe(1);
      expect(polar.mock.callCount('GET /v3/users/activities')).toBeGreaterThanOrEqual(14);
    }, 90_000);

    it('serves the data through the read API in Polar’s units and types', async () => {
      const range = `start_time=${new Date(now - 6 * DAY).toISOString()}&end_time=${new Date(now + DAY).toISOString()}`;
      const series = async (type: string) =>
        (
          await server.api.request(
            'GET',
            `/api/v1/users/${userId}/timeseries?types=${type}&${range}&limit=100`,
            { auth: auth() },
          )
        ).body;
      const hr = await series('heart_rate');
      expect(hr.data.map((p: { value: number }) => p.value).sort((a: number, b: number) => a - b)).toEqual([
        50, 55, 61, 63, 120, 125,
      ]);
      expect(hr.data[0]).toMatchObject({ unit: 'bpm', source: { provider: 'polar' } });
      const rmssd = await series('heart_rate_variability_rmssd');
      expect(rmssd.data.map((p: { value: number }) => p.value)).toEqual([40, 44]);
      expect(rmssd.data[0]).toMatchObject({ unit: 'ms' });
      expect((await series('heart_rate_variability_sdnn')).data).toEqual([]);
      expect((await series('weight')).data[0]).toMatchObject({ value: 72.5, unit: 'kg' });
      expect((await series('height')).data[0]).toMatchObject({ value: 180, unit: 'cm' });
      expect((await series('steps')).data.map((p: { value: number }) => p.value)).toEqual([60, 60]);

      const days = `start_date=${firstDay}&end_date=${lastDay}`;
      const workouts = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
        auth: auth(),
      });
      expect(workouts.status, workouts.text).toBe(200);
      expect(workouts.body.data).toHaveLength(1);
      const workout = JSON.stringify(workouts.body.data[0]);
      expect(workout).toContain('trail_running');
      expect(workout).toContain('12345.5');
      expect(workout).toContain('3723.5');

      const sleep = await server.api.request('GET', `/api/v1/users/${userId}/events/sleep?${days}`, {
        auth: auth(),
      });
      expect(sleep.status, sleep.text).toBe(200);
      expect(sleep.body.data).toHaveLength(1);
      expect(JSON.stringify(sleep.body.data[0])).toMatch(/deep/);

      const scores = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/health-scores?provider=polar&${days}`,
        { auth: auth() },
      );
      expect(scores.status, scores.text).toBe(200);
      const byCategory = Object.fromEntries(
        scores.body.data.map((s: { category: string }) => [s.category, s]),
      ) as Record<string, { score: number; range_min: number; range_max: number; components: object }>;
      expect(byCategory.sleep).toMatchObject({ score: 82, range_min: 1, range_max: 100 });
      expect(byCategory.recovery).toMatchObject({ score: 4, range_min: 1, range_max: 6 });
      expect(byCategory.recovery?.components).toMatchObject({ ans_charge: 2.5, hrv_rmssd_avg_ms: 42 });
    });

    it('creates the client webhook after Polar’s unsigned PING; a signed notification pulls exactly its exercise', async () => {
      // The worker's start-up check creates it (calling the keeper here as well raced that check under CI
      // load and created the client webhook twice).
      const webhook = await eventually(async () => polar.mock.webhooks.webhook, 'the Polar webhook');
      expect(webhook.url).toBe(`${server.url}/api/v1/webhooks/polar`);
      expect(polar.mock.webhooks.counts).toMatchObject({ created: 1, pingFailures: 0 });

      const forged = await polar.mock.webhooks.deliver(
        {
          event: 'EXERCISE',
          user_id: POLAR_USER,
          entity_id: 'ex2',
          url: 'https://www.polaraccesslink.com/v3/exercises/ex2',
        },
        { secret: 'not-the-secret' },
      );
      expect(forged).toBe(401);
      const unsigned = await polar.mock.webhooks.deliver(
        { event: 'EXERCISE', user_id: POLAR_USER, entity_id: 'ex2' },
        { signature: null },
      );
      expect(unsigned).toBe(401);

      polar.mock.users.get(String(POLAR_USER))?.exercises.push(
        polarExercise({
          id: 'ex2',
          start: `${d2}T18:00:00`,
          offsetMin: 120,
          duration: 'PT30M',
          sport: 'CYCLING',
        }),
      );
      const before = polar.mock.callCount('GET /v3/exercises/{id}');
      const delivered = await polar.mock.webhooks.deliver({
        event: 'EXERCISE',
        user_id: POLAR_USER,
        entity_id: 'ex2',
        url: 'https://www.polaraccesslink.com/v3/exercises/ex2',
      });
      expect(delivered).toBe(200);
      const webhookRun = await eventually(
        async () => (await runs()).find((r) => r.source === 'webhook' && r.stage === 'completed'),
        'the webhook run',
      );
      expect(webhookRun.status).toBe('success');
      expect(polar.mock.callCount('GET /v3/exercises/{id}')).toBe(before + 1);
      const days = `start_date=${firstDay}&end_date=${lastDay}`;
      const workouts = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
        auth: auth(),
      });
      expect(workouts.body.data).toHaveLength(2);
      expect(JSON.stringify(workouts.body.data)).toContain('cycling');
    });

    it('a 429 reschedules the run instead of failing it; malformed JSON fails it with a message', async () => {
      polar.mock.rateLimitNext(1, 1);
      const limited = await server.api.request('POST', `/api/v1/providers/polar/users/${userId}/sync`, {
        auth: auth(),
      });
      expect([200, 202]).toContain(limited.status);
      const after429 = await waitForRun(server.api, auth(), userId, limited.body.job_id, 60_000);
      expect(after429.status, JSON.stringify(after429)).toBe('success');
      expect(polar.mock.counts.rateLimited).toBe(1);

      polar.mock.answerRaw('/v3/users/sleep', 200, '{"nights": [', 1);
      const broken = await server.api.request('POST', `/api/v1/providers/polar/users/${userId}/sync`, {
        auth: auth(),
      });
      const failed = await waitForRun(server.api, auth(), userId, broken.body.job_id, 60_000);
      expect(failed.status).toBe('failed');
      expect(JSON.stringify(failed.error)).toMatch(/malformed JSON/);
    });

    it('a Polar user without the mandatory consents is refused with a clear error, nothing stored', async () => {
      polar.mock.addUser(999, { consentsMissing: true });
      const other = (await server.api.createUser(key)).id;
      const outcome = await connect(other, 999);
      expect(outcome.get('status')).toBe('error');
      expect(outcome.get('detail')).toMatch(/mandatory consents/);
      const connections = await server.api.request('GET', `/api/v1/users/${other}/connections`, {
        auth: auth(),
      });
      expect(JSON.stringify(connections.body)).not.toContain('polar');
    });

    it('disconnect deregisters the user at Polar (revoking the token) and keeps the data', async () => {
      const res = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/polar`, {
        auth: auth(),
      });
      expect([200, 204]).toContain(res.status);
      expect(polar.mock.counts.deregistered).toBe(1);
      expect(polar.mock.registered.has(String(POLAR_USER))).toBe(false);
      expect(
        polar.mock.oauth.grants.filter((g) => g.userId === String(POLAR_USER)).every((g) => g.revoked),
      ).toBe(true);
      // The client's webhook serves every user: a disconnect leaves it alone.
      expect(polar.mock.webhooks.webhook).toBeDefined();
      const range = `start_time=${new Date(now - 6 * DAY).toISOString()}&end_time=${new Date(now + DAY).toISOString()}`;
      const kept = await server.api.request(
        'GET',
        `/api/v1/users/${userId}/timeseries?types=heart_rate&${range}&limit=100`,
        { auth: auth() },
      );
      // The six of the historical sync and the three of the exercise the webhook pulled.
      expect(kept.body.data.length).toBe(9);
    });
  });
}
