import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import { type RunningWithingsMock, startWithingsMock } from '../../support/vendor-mocks/withings.ts';

/**
 * Withings end to end through the real app, on both storage legs: connect through the OAuth redirect
 * flow (`authorize2` with comma scopes, `action=requesttoken` with the wrapped answer and `userid`), the
 * per-user per-appli notification subscriptions made through Withings' HEAD probe, the historical sync
 * (getmeas paged by `more`/`offset`, daily and intraday activity, workouts, sleep), the data read back
 * in catalog units (65.75-style exact kg, mmHg, RMSSD, Withings' 0–100 sleep score), an unsigned
 * form-encoded notification that pulls exactly its span, an in-body 601 that reschedules, malformed
 * JSON that fails the run with a message, and a disconnect whose signed revoke reaches Withings.
 */

const CLIENT_ID = 'withings-e2e-client';
const CLIENT_SECRET = 'withings-e2e-secret';
const WITHINGS_USER = 12345;
const DAY = 86_400_000;
const s = (ms: number) => Math.floor(ms / 1000);
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `Withings end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let withings: RunningWithingsMock;
      let server: TestServer;
      let key = '';
      let userId = '';
      const now = Date.now();
      const weighIn = now - 3 * DAY;
      const pressure = now - 2 * DAY;
      const nightStart = now - 2 * DAY - 8 * 3_600_000;
      const runStart = now - 4 * DAY;
      const firstDay = date(now - 6 * DAY);
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
      const series = async (type: string) =>
        (
          await server.api.request(
            'GET',
            `/api/v1/users/${userId}/timeseries?types=${type}&start_time=${new Date(now - 6 * DAY).toISOString()}&end_time=${new Date(now + DAY).toISOString()}&limit=100`,
            { auth: auth() },
          )
        ).body as { data: { value: number; unit: string; timestamp?: string }[] };

      beforeAll(async () => {
        withings = await startWithingsMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
        const data = withings.mock.user(WITHINGS_USER);
        const group = (grpid: number, at: number, measures: [number, number, number][]) => ({
          grpid,
          attrib: 0,
          date: s(at),
          modified: s(at),
          category: 1,
          model: 'Body+',
          measures: measures.map(([type, value, unit]) => ({ type, value, unit })),
        });
        // Three groups and pages of two: the pull must follow `more`/`offset`.
        data.measuregrps.push(
          group(1, weighIn, [
            [1, 65750, -3],
            [6, 2345, -2],
          ]),
          group(2, pressure, [
            [10, 128, 0],
            [9, 82, 0],
            [11, 64, 0],
          ]),
          group(3, now - 4 * DAY, [[4, 1825, -3]]),
          // A goal, not a measurement.
          { ...group(4, now - 4 * DAY, [[1, 60, 0]]), category: 2 },
        );
        data.activities.push({
          date: date(now - 3 * DAY),
          timezone: 'Europe/Paris',
          steps: 9000,
          distance: 6500,
          calories: 420.5,
          totalcalories: 2400.5,
          modified: s(now - 2 * DAY),
        });
        data.intraday[String(s(now - 2 * DAY))] = { heart_rate: 71, rmssd: 41, duration: 60, steps: 30 };
        data.workouts.push({
          id: 77,
          category: 2,
          timezone: 'Europe/Paris',
          startdate: s(runStart),
          enddate: s(runStart) + 3600,
          date: date(runStart),
          modified: s(runStart + 3_600_000),
          data: { calories: 612.5, distance: 10_000, hr_average: 150, hr_max: 178 },
        });
        data.nights.push({
          summary: {
            id: 9,
            timezone: 'Europe/Paris',
            model: 32,
            startdate: s(nightStart),
            enddate: s(nightStart) + 8 * 3600,
            date: date(nightStart + 8 * 3_600_000),
            modified: s(now - 2 * DAY),
            data: { sleep_score: 81, hr_average: 55 },
          },
          segments: [
            {
              startdate: s(nightStart),
              enddate: s(nightStart) + 3600,
              state: 1,
              hr: { [String(s(nightStart) + 60)]: 54 },
            },
            {
              startdate: s(nightStart) + 3600,
              enddate: s(nightStart) + 7200,
              state: 2,
              rr: { [String(s(nightStart) + 3700)]: 13 },
            },
            { startdate: s(nightStart) + 7200, enddate: s(nightStart) + 8 * 3600, state: 3 },
          ],
        });
        const port = await freePort();
        server = await startTestServer({
          database: leg,
          bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
          env: {
            PORT: String(port),
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            PROVIDER_URLS: `withings=${withings.url}`,
            PROVIDER_HTTP_ATTEMPTS: '1',
            WITHINGS_CLIENT_ID: CLIENT_ID,
            WITHINGS_CLIENT_SECRET: CLIENT_SECRET,
          },
        });
        key = (await server.api.registerDeveloper('Withings e2e')).key;
        userId = (await server.api.createUser(key)).id;
      });
      afterAll(async () => {
        await server?.close();
        await withings?.close();
      });

      it('connects (authorize2, comma scopes, wrapped requesttoken), subscribes per appli after the HEAD probe, and syncs history', async () => {
        const redirectUri = 'http://127.0.0.1:9/withings-done';
        const start = await server.api.request(
          'GET',
          `/api/v1/providers/withings/authorize?user_id=${userId}&redirect_uri=${encodeURIComponent(redirectUri)}`,
          { auth: auth() },
        );
        expect(start.status, start.text).toBe(200);
        const consent = new URL(start.body.authorization_url);
        expect(`${consent.origin}${consent.pathname}`).toBe(`${withings.url}/oauth2_user/authorize2`);
        expect(consent.searchParams.get('scope')).toBe(
          'user.info,user.metrics,user.activity,user.sleepevents',
        );
        withings.mock.oauth.approveNextAs(String(WITHINGS_USER));
        const toCallback = await fetch(consent, { redirect: 'manual' });
        const done = await fetch(toCallback.headers.get('location') ?? '', { redirect: 'manual' });
        expect(done.status).toBe(302);
        const outcome = new URL(done.headers.get('location') ?? '');
        expect(Object.fromEntries(outcome.searchParams)).toMatchObject({
          status: 'success',
          provider: 'withings',
        });
        const exchange = withings.mock.oauth.log[0]?.form;
        expect(exchange).toMatchObject({
          action: 'requesttoken',
          grant_type: 'authorization_code',
          client_id: CLIENT_ID,
        });

        // One subscription per appli, each after a HEAD that WearLink answered 2xx.
        await eventually(
          async () => (withings.mock.subscriptions.size === 5 ? true : undefined),
          'subscriptions',
        );
        expect(withings.mock.counts.headProbes).toBe(5);
        expect(withings.mock.subscriptions.get(`${WITHINGS_USER}:44`)).toBe(
          `${server.url}/api/v1/webhooks/withings`,
        );

        const historical = await eventually(
          async () => (await runs()).find((r) => r.source === 'backfill'),
          'the historical run',
        );
        const run = await waitForRun(server.api, auth(), userId, historical.run_id, 80_000);
        expect(run.status, JSON.stringify(run)).toBe('success');
        expect(withings.mock.counts.unauthorized).toBe(0);
        expect(withings.mock.counts.rateLimited).toBe(0);
        // Paging: the window with three groups asked twice.
        expect(withings.mock.requests.some((r) => r.form.action === 'getmeas' && r.form.offset === '2')).toBe(
          true,
        );
        // Intraday a day per call, never beyond its 30 days.
        const intraday = withings.mock.requests.filter((r) => r.form.action === 'getintradayactivity');
        expect(intraday.length).toBeGreaterThanOrEqual(30);
        expect(intraday.length).toBeLessThanOrEqual(32);
        expect(withings.mock.callCount('/v2/sleep get')).toBe(1);
      }, 90_000);

      it('serves the data through the read API in catalog units and types', async () => {
        expect((await series('weight')).data).toEqual([
          expect.objectContaining({ value: 65.75, unit: 'kg' }),
        ]);
        expect((await series('body_fat_percentage')).data[0]).toMatchObject({
          value: 23.45,
          unit: 'percent',
        });
        expect((await series('height')).data[0]).toMatchObject({ value: 182.5, unit: 'cm' });
        expect((await series('blood_pressure_systolic')).data[0]).toMatchObject({ value: 128, unit: 'mmHg' });
        expect((await series('blood_pressure_diastolic')).data[0]).toMatchObject({ value: 82, unit: 'mmHg' });
        expect((await series('heart_rate')).data.map((p) => p.value).sort()).toEqual([54, 64, 71]);
        expect((await series('heart_rate_variability_rmssd')).data).toEqual([
          expect.objectContaining({ value: 41, unit: 'ms' }),
        ]);
        expect((await series('respiratory_rate')).data[0]).toMatchObject({ value: 13 });
        expect((await series('energy')).data.map((p) => p.value)).toContain(420.5);
        expect((await series('basal_energy')).data[0]).toMatchObject({ value: 1980, unit: 'kcal' });

        const days = `start_date=${firstDay}&end_date=${lastDay}`;
        const workouts = await server.api.request('GET', `/api/v1/users/${userId}/events/workouts?${days}`, {
          auth: auth(),
        });
        expect(workouts.status, workouts.text).toBe(200);
        expect(workouts.body.data).toHaveLength(1);
        const workout = JSON.stringify(workouts.body.data[0]);
        expect(workout).toContain('running');
        expect(workout).toContain('612.5');
        expect(workout).toContain('10000');

        const sleep = await server.api.request('GET', `/api/v1/users/${userId}/events/sleep?${days}`, {
          auth: auth(),
        });
        expect(sleep.status, sleep.text).toBe(200);
        expect(sleep.body.data).toHaveLength(1);
        expect(JSON.stringify(sleep.body.data[0])).toMatch(/deep/);
        expect(JSON.stringify(sleep.body.data[0])).toMatch(/rem/);

        const scores = await server.api.request(
          'GET',
          `/api/v1/users/${userId}/health-scores?provider=withings&${days}`,
          {
            auth: auth(),
          },
        );
        expect(scores.status, scores.text).toBe(200);
        expect(scores.body.data).toEqual([
          expect.objectContaining({ category: 'sleep', score: 81, range_min: 0, range_max: 100 }),
        ]);
      });

      it('an unsigned form notification pulls exactly its span; the HEAD probe is answered', async () => {
        const head = await fetch(`${server.url}/api/v1/webhooks/withings`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        const at = now - DAY;
        withings.mock.user(WITHINGS_USER).measuregrps.push({
          grpid: 5,
          date: s(at),
          modified: s(now),
          category: 1,
          measures: [{ type: 1, value: 65500, unit: -3 }],
        });
        const before = withings.mock.callCount('/measure getmeas');
        expect(await withings.mock.notify(WITHINGS_USER, 1, s(at) - 60, s(at) + 60)).toBe(200);
        const webhookRun = await eventually(
          async () => (await runs()).find((r) => r.source === 'webhook' && r.stage === 'completed'),
          'the webhook run',
        );
        expect(webhookRun.status).toBe('success');
        expect(withings.mock.callCount('/measure getmeas')).toBe(before + 1);
        const last = withings.mock.requests.filter((r) => r.form.action === 'getmeas').at(-1)?.form;
        expect([last?.startdate, last?.enddate]).toEqual([String(s(at) - 60), String(s(at) + 61)]);
        expect((await series('weight')).data.map((p) => p.value).sort()).toEqual([65.5, 65.75]);
      });

      it('an in-body 601 reschedules the run instead of failing it; malformed JSON fails it with a message', async () => {
        withings.mock.rateLimitNext(1);
        const limited = await server.api.request('POST', `/api/v1/providers/withings/users/${userId}/sync`, {
          auth: auth(),
        });
        expect([200, 202]).toContain(limited.status);
        const after601 = await waitForRun(server.api, auth(), userId, limited.body.job_id, 100_000);
        expect(after601.status, JSON.stringify(after601)).toBe('success');
        expect(withings.mock.counts.rateLimited).toBe(1);
        // The incremental run asks what changed since the cursor (less the 48 h lookback), not dates.
        const incremental = withings.mock.requests.filter((r) => r.form.action === 'getmeas').at(-1)?.form;
        expect(incremental?.lastupdate).toMatch(/^\d+$/);
        expect(incremental?.startdate).toBeUndefined();

        withings.mock.answerRaw('getworkouts', '{"status":0,"body":{"series":[', 1);
        const broken = await server.api.request('POST', `/api/v1/providers/withings/users/${userId}/sync`, {
          auth: auth(),
        });
        const failed = await waitForRun(server.api, auth(), userId, broken.body.job_id, 60_000);
        expect(failed.status).toBe('failed');
        expect(JSON.stringify(failed.error)).toMatch(/malformed JSON/);
      }, 130_000);

      it('disconnect revokes at Withings with a signed nonce request and keeps the data', async () => {
        const res = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/withings`, {
          auth: auth(),
        });
        expect([200, 204]).toContain(res.status);
        expect(withings.mock.callCount('/v2/signature getnonce')).toBe(1);
        expect(withings.mock.counts.revoked).toBe(1);
        expect(withings.mock.counts.revokeRefused).toBe(0);
        expect(
          withings.mock.oauth.grants
            .filter((g) => g.userId === String(WITHINGS_USER))
            .every((g) => g.revoked),
        ).toBe(true);
        expect(withings.mock.subscriptions.size).toBe(0);
        expect((await series('weight')).data).toHaveLength(2);
      });
    },
  );
}
