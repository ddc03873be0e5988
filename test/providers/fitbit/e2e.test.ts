import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitbitProvider } from '../../../src/providers/fitbit/index.ts';
import { GOOGLE_HEALTH_SCOPES } from '../../../src/providers/fitbit/manifest.ts';
import { withProviderModules } from '../../../src/providers/registry.ts';
import { ensureAppSubscriptions } from '../../../src/providers/webhooks/subscriptions.ts';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import {
  type RunningGoogleHealthMock,
  startGoogleHealthMock,
} from '../../support/vendor-mocks/google-health.ts';
import { googleHealthDataSet } from './e2e-data.ts';

/**
 * Fitbit through the Google Health API end to end, through the real app on both storage legs: connect
 * through Google's OAuth (PKCE, offline access), the historical sync, the data read back through the
 * read API in canonical units, the subscriber with Google's two-step verification, a notification that
 * pulls its changed interval, Google's per-user 429 that reschedules, a disconnect that revokes.
 */

const CLIENT_ID = '987654321098-e2e.apps.googleusercontent.com';
const CLIENT_SECRET = 'gh-e2e-secret';
const WEBHOOK_SECRET = 'gh-e2e-webhook';
const GOOGLE_USER = 'ghUserE2E';
const SERVICE_ACCOUNT = 'wearlink-e2e@wearlink.iam.gserviceaccount.com';
const DAY = 86_400_000;

const restore = withProviderModules([fitbitProvider]);
afterAll(restore);

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `Fitbit (Google Health) end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let google: RunningGoogleHealthMock;
      let server: TestServer;
      let key = '';
      let userId = '';
      const data = googleHealthDataSet(Date.now());
      const auth = () => ({ key });
      const runs = async () =>
        (await server.api.request('GET', `/api/v1/users/${userId}/sync/runs?limit=50`, { auth: auth() }))
          .body as {
          run_id: string;
          source: string;
          status: string;
          stage: string;
        }[];
      const range = `start_time=${new Date(data.fromMs).toISOString()}&end_time=${new Date(data.toMs).toISOString()}`;
      const series = async (type: string) =>
        (
          await server.api.request(
            'GET',
            `/api/v1/users/${userId}/timeseries?types=${type}&${range}&limit=100`,
            { auth: auth() },
          )
        ).body as { data: { value: number; unit: string; source: { provider: string } }[] };
      const days = () => `start_date=${data.firstDay}&end_date=${data.lastDay}`;

      beforeAll(async () => {
        google = await startGoogleHealthMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
        google.addUser(GOOGLE_USER, data.points);
        // The instance app's service account authorizes the subscriber calls (project-level).
        const serviceKey = google.serviceAccounts.createKey(SERVICE_ACCOUNT, `${google.url}/token`);
        const port = await freePort();
        server = await startTestServer({
          database: leg,
          bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
          env: {
            PORT: String(port),
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            PROVIDER_URLS: `fitbit=${google.url}`,
            PROVIDER_HTTP_ATTEMPTS: '1',
            FITBIT_CLIENT_ID: CLIENT_ID,
            FITBIT_CLIENT_SECRET: CLIENT_SECRET,
            FITBIT_WEBHOOK_SECRET: WEBHOOK_SECRET,
            FITBIT_SERVICE_ACCOUNT_KEY_FILE: serviceKey.path,
          },
        });
        const developer = await server.api.registerDeveloper('Fitbit e2e');
        key = developer.key;
        userId = (await server.api.createUser(key)).id;
      });
      afterAll(async () => {
        await server?.close();
        await google?.close();
      });

      it('connects through Google’s OAuth (PKCE, offline, consent) and runs the historical sync', async () => {
        const redirectUri = 'http://127.0.0.1:9/fitbit-done';
        const start = await server.api.request(
          'GET',
          `/api/v1/providers/fitbit/authorize?user_id=${userId}&redirect_uri=${encodeURIComponent(redirectUri)}`,
          { auth: auth() },
        );
        expect(start.status, start.text).toBe(200);
        const consent = new URL(start.body.authorization_url);
        expect(`${consent.origin}${consent.pathname}`).toBe(`${google.url}/o/oauth2/v2/auth`);
        expect(consent.searchParams.get('scope')).toBe(GOOGLE_HEALTH_SCOPES.join(' '));
        expect(consent.searchParams.get('access_type')).toBe('offline');
        expect(consent.searchParams.get('prompt')).toBe('consent');
        expect(consent.searchParams.get('code_challenge_method')).toBe('S256');

        google.oauth.approveNextAs(GOOGLE_USER);
        const toCallback = await fetch(consent, { redirect: 'manual' });
        const done = await fetch(toCallback.headers.get('location') ?? '', { redirect: 'manual' });
        expect(done.status).toBe(302);
        const outcome = new URL(done.headers.get('location') ?? '');
        expect(Object.fromEntries(outcome.searchParams)).toMatchObject({
          status: 'success',
          provider: 'fitbit',
        });
        // Body client auth with the PKCE verifier, as Google's token endpoint takes it.
        expect(google.oauth.log[0]?.form).toMatchObject({
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        });
        expect(google.oauth.log[0]?.form.code_verifier).toBeTruthy();
        expect(google.requests.some((r) => r.path === '/v4/users/me/identity')).toBe(true);

        const historical = await eventually(
          async () => (await runs()).find((r) => r.source === 'backfill'),
          'the historical run',
        );
        const run = await waitForRun(server.api, auth(), userId, historical.run_id, 80_000);
        expect(run.status, JSON.stringify(run)).toBe('success');
        expect(google.dataCalls('heart-rate').length).toBeGreaterThan(0);
        expect(google.dataCalls('sleep').length).toBeGreaterThan(0);
        expect(google.counts.badRequest).toBe(0);
      }, 90_000);

      it('serves the synced data through the read API in canonical units', async () => {
        const hr = await series('heart_rate');
        expect(hr.data.map((p) => p.value).sort()).toEqual([58, 61, 64]);
        expect(hr.data[0]).toMatchObject({ unit: 'bpm', source: { provider: 'fitbit' } });
        expect((await series('resting_heart_rate')).data.map((p) => p.value)).toEqual([52]);
        expect((await series('heart_rate_variability_rmssd')).data[0]).toMatchObject({
          value: 44,
          unit: 'ms',
        });
        expect((await series('oxygen_saturation')).data[0]).toMatchObject({ value: 96.5, unit: 'percent' });
        expect((await series('weight')).data[0]).toMatchObject({ value: 64.3, unit: 'kg' });
        expect((await series('body_fat_percentage')).data[0]).toMatchObject({ value: 21.5, unit: 'percent' });
        expect((await series('steps')).data.map((p) => p.value)).toEqual([8123]);

        const workouts = await server.api.request(
          'GET',
          `/api/v1/users/${userId}/events/workouts?${days()}`,
          { auth: auth() },
        );
        expect(workouts.status, workouts.text).toBe(200);
        expect(workouts.body.data).toHaveLength(1);
        expect(workouts.body.data[0]).toMatchObject({
          type: 'running',
          source_activity_type: 'RUNNING',
          duration_seconds: 2400,
          distance_meters: 5012.5,
          calories_kcal: 390,
          utc_offset_minutes: 60,
          source: { provider: 'fitbit' },
        });

        const sleep = await server.api.request('GET', `/api/v1/users/${userId}/events/sleep?${days()}`, {
          auth: auth(),
        });
        expect(sleep.status, sleep.text).toBe(200);
        expect(sleep.body.data).toHaveLength(1);
        expect(sleep.body.data[0]).toMatchObject({
          start_time: new Date(data.fromMs + 2 * DAY - 2 * 3_600_000).toISOString(),
          duration_seconds: 27_000,
          stages: {
            awake_minutes: 40,
            light_minutes: 235,
            deep_minutes: 100,
            rem_minutes: 75,
            unknown_minutes: 0,
          },
          utc_offset_minutes: 60,
          source: { provider: 'fitbit' },
        });
      });

      it('subscribes through Google’s verification; a notification pulls exactly its changed interval', async () => {
        await ensureAppSubscriptions(server.platform.deps);
        await eventually(
          async () => (google.subscribers.subscribers.size >= 1 ? true : undefined),
          'the subscriber',
        );
        expect(google.subscribers.verifications.map((v) => [v.withSecret, v.status])).toEqual([
          [true, 201],
          [false, 401],
        ]);
        // Listed and created with the service account's token, none refused.
        expect(google.serviceAccounts.calls.map((c) => [c.clientEmail, c.method])).toEqual([
          [SERVICE_ACCOUNT, 'GET'],
          [SERVICE_ACCOUNT, 'POST'],
        ]);
        expect(google.serviceAccounts.counts.unauthorized).toBe(0);

        const callback = `${server.url}/api/v1/webhooks/fitbit`;
        const forged = await google.subscribers.deliver(
          callback,
          { data: { healthUserId: GOOGLE_USER, dataType: 'exercise' } },
          'Bearer guess',
        );
        expect(forged.status).toBe(401);

        google.addPoints(GOOGLE_USER, 'exercise', data.newExercise);
        const before = google.dataCalls('exercise').length;
        const delivered = await google.subscribers.notify(GOOGLE_USER, 'exercise', [
          data.newExerciseInterval,
        ]);
        expect(Object.values(delivered)).toEqual([200]);
        const webhookRun = await eventually(
          async () => (await runs()).find((r) => r.source === 'webhook' && r.stage === 'completed'),
          'the webhook run',
        );
        expect(webhookRun.status).toBe('success');
        const targeted = google.dataCalls('exercise').slice(before);
        expect(targeted).toHaveLength(1);
        // Only the exercise type, over the changed hour padded by a day (sessions are filtered by one end).
        const { startTime, endTime } = data.newExerciseInterval;
        const pad = (iso: string, by: number) => new Date(Date.parse(iso) + by).toISOString();
        expect(targeted[0]?.query.filter).toBe(
          `exercise.interval.start_time >= "${pad(startTime, -DAY)}" AND exercise.interval.start_time < "${pad(endTime, DAY)}"`,
        );
        const workouts = await server.api.request(
          'GET',
          `/api/v1/users/${userId}/events/workouts?${days()}`,
          { auth: auth() },
        );
        expect(workouts.body.data).toHaveLength(2);
      });

      it('Google’s per-user 429 reschedules the run instead of failing it (after a refresh that keeps the token)', async () => {
        google.oauth.expireAccessTokens(GOOGLE_USER);
        const refreshes = google.oauth.counts.refresh;
        google.rateLimitNext(1, 1);
        const limited = await server.api.request('POST', `/api/v1/providers/fitbit/users/${userId}/sync`, {
          auth: auth(),
        });
        expect([200, 202]).toContain(limited.status);
        const after = await waitForRun(server.api, auth(), userId, limited.body.job_id, 60_000);
        expect(after.status, JSON.stringify(after)).toBe('success');
        expect(google.counts.rateLimited).toBe(1);
        expect(google.oauth.counts.refresh).toBe(refreshes + 1);
      }, 70_000);

      it('disconnect revokes the grant at Google and keeps the data', async () => {
        const revokes = google.oauth.counts.revoke;
        const res = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/fitbit`, {
          auth: auth(),
        });
        expect([200, 204]).toContain(res.status);
        expect(google.oauth.counts.revoke).toBe(revokes + 1);
        expect(google.oauth.grants.filter((g) => g.userId === GOOGLE_USER).every((g) => g.revoked)).toBe(
          true,
        );
        expect((await series('heart_rate')).data).toHaveLength(3);
      });
    },
  );
}
