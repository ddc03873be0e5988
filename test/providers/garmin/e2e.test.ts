import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { garminProvider } from '../../../src/providers/garmin/index.ts';
import { garminBackfillTypes } from '../../../src/providers/garmin/summary-types.ts';
import { withProviderModules } from '../../../src/providers/registry.ts';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import { type RunningGarminMock, startGarminMock } from '../../support/vendor-mocks/garmin.ts';
import { garminExpectations, pickActivityDay } from './e2e-data.ts';
import {
  allProcessed,
  connectThroughGarmin,
  countInbound,
  countRows,
  settledInbound,
  startForeignHost,
} from './e2e-support.ts';

/**
 * Garmin end to end through the real app on both storage legs: connect (OAuth 2.0 with PKCE, Garmin's
 * user id and permissions), the historical sync as backfill requests per type, the mock delivering by
 * push and by ping, the data read back, backfill status and a retry of the one type that failed, re-sends
 * stored once, unknown users and foreign ping hosts dropped, a wrong client id refused, a permission
 * change, and a disconnect that deletes the registration at Garmin.
 */

const CLIENT_ID = 'garmin-e2e-client';
const CLIENT_SECRET = 'garmin-e2e-secret';
const GARMIN_USER = 'garmin-e2e-user-7f3a';
const DAY = 86_400_000;
/**
 * Delivered by ping (their callback URLs served by the mock); every other type by push. Each pinged day
 * is one callback call against the app's 100 calls/minute budget (manifest), which the whole test must
 * stay under (else the disconnect's DELETE would be refused locally): two types, about 46 calls.
 */
const PINGED = ['stressDetails', 'activityDetails'];
/** Garmin refuses this type's backfill once (the user switched it off: 412), to be retried. */
const FAILING = 'bloodPressures';
const TYPES = garminBackfillTypes().map((t) => t.name);

const restore = withProviderModules([garminProvider]);
afterAll(restore);

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `Garmin end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let garmin: RunningGarminMock;
      let server: TestServer;
      let key = '';
      let userId = '';
      const now = Date.now();
      const day = pickActivityDay(now);
      const expected = garminExpectations(GARMIN_USER, day);
      const auth = () => ({ key });
      const db = () => server.platform.deps.db;
      const connection = () =>
        db().selectFrom('connections').selectAll().where('user_id', '=', userId).executeTakeFirstOrThrow();
      const backfillStatus = async () => {
        const res = await server.api.request(
          'GET',
          `/api/v1/providers/garmin/users/${userId}/backfill/status`,
          { auth: auth() },
        );
        expect(res.status, res.text).toBe(200);
        const types = res.body.types as { type: string }[];
        return {
          lastRunId: res.body.last_run_id as string | null,
          types: Object.fromEntries(types.map((t) => [t.type, t])) as Record<string, Record<string, unknown>>,
        };
      };
      const series = async (type: string, from: string, to: string) =>
        (
          await server.api.request(
            'GET',
            `/api/v1/users/${userId}/timeseries?types=${type}&start_time=${from}&end_time=${to}&limit=100`,
            { auth: auth() },
          )
        ).body as { data: { timestamp: string; value: number; unit: string }[] };
      const webhook = (body: unknown, clientId = CLIENT_ID) =>
        server.api.request('POST', '/api/v1/webhooks/garmin', {
          json: body,
          headers: { 'garmin-client-id': clientId, 'user-agent': 'Garmin Health API' },
        });
      const inbound = (id: string) => settledInbound(db(), id);
      const quiet = () => allProcessed(db(), garmin, userId);

      beforeAll(async () => {
        garmin = await startGarminMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
        garmin.addUser(GARMIN_USER);
        for (const key of PINGED) garmin.deliverAs(key, 'ping');
        garmin.failBackfill(FAILING, 412);
        const port = await freePort();
        server = await startTestServer({
          database: leg,
          bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
          env: {
            PORT: String(port),
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            PROVIDER_URLS: `garmin=${garmin.url}`,
            PROVIDER_HTTP_ATTEMPTS: '1',
            GARMIN_CLIENT_ID: CLIENT_ID,
            GARMIN_CLIENT_SECRET: CLIENT_SECRET,
            BACKFILL_POLL_SECONDS: '1',
            // Only a lost delivery waits this long; every delivery here comes within seconds.
            BACKFILL_WAIT_MINUTES: '2',
          },
        });
        garmin.notifier.webhookUrl = `${server.url}/api/v1/webhooks/garmin`;
        key = (await server.api.registerDeveloper('Garmin e2e')).key;
        userId = (await server.api.createUser(key)).id;
      });
      afterAll(async () => {
        await server?.close();
        await garmin?.close();
      });

      it('connects with PKCE, records Garmin’s user id and permissions, and backfills every type', async () => {
        const { consent, outcome, outcomeStatus } = await connectThroughGarmin(
          server,
          garmin,
          key,
          userId,
          GARMIN_USER,
        );
        expect(`${consent.origin}${consent.pathname}`).toBe(`${garmin.url}/oauth2Confirm`);
        expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
        expect(consent.searchParams.get('code_challenge')).toBeTruthy();
        expect(outcomeStatus).toBe(302);
        expect(Object.fromEntries(outcome.searchParams)).toMatchObject({
          status: 'success',
          provider: 'garmin',
        });
        expect(garmin.oauth.log[0]?.form).toMatchObject({
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        });
        expect(garmin.oauth.log[0]?.form.code_verifier).toBeTruthy();
        const conn = await connection();
        expect(conn).toMatchObject({ provider: 'garmin', provider_user_id: GARMIN_USER, status: 'active' });
        expect([...conn.scopes].sort()).toEqual(['ACTIVITY_EXPORT', 'HEALTH_EXPORT']);

        const historical = await eventually(
          async () => (await backfillStatus()).lastRunId ?? undefined,
          'the historical run',
        );
        const run = await waitForRun(server.api, auth(), userId, historical, 150_000);
        // Partial: the failing type was refused; every other window was received.
        expect(run.status, JSON.stringify(run)).toBe('partial');

        // One request per type over the 30-day history, each within Garmin's 90/30-day limit.
        const asked = garmin.backfillRequests;
        expect(asked.map((r) => r.type).sort()).toEqual([...TYPES].sort());
        for (const r of asked) {
          const maxDays = ['activities', 'activityDetails', 'moveiq'].includes(r.type) ? 30 : 90;
          expect(r.end - r.start).toBeLessThanOrEqual(maxDays * 86_400);
          expect(r.start * 1000).toBeGreaterThanOrEqual(now - 30 * DAY - 60_000);
          expect(r.status).toBe(r.type === FAILING ? 412 : 202);
        }
        // Both delivery modes were used; pinged callbacks were fetched from the mock with their tokens.
        await garmin.notifier.idle();
        const kinds = new Set(garmin.notifier.deliveries.map((d) => d.kind));
        expect(kinds).toEqual(new Set(['push', 'ping']));
        expect(garmin.notifier.deliveries.every((d) => d.delivered)).toBe(true);
        for (const key of PINGED)
          expect(garmin.requests.some((r) => r.path === `/wellness-api/rest/${key}` && r.query.token)).toBe(
            true,
          );
      }, 180_000);

      it('serves the pushed and pinged data through the read API', async () => {
        // A window counts as received at its first delivery; a ping's other days may still be on their way.
        await quiet();
        const around = `start_date=${new Date(Date.parse(day) - DAY).toISOString().slice(0, 10)}&end_date=${day}`;
        const workouts = await server.api.request(
          'GET',
          `/api/v1/users/${userId}/events/workouts?${around}`,
          {
            auth: auth(),
          },
        );
        expect(workouts.status, workouts.text).toBe(200);
        const workout = workouts.body.data.find(
          (w: { start_time: string }) => w.start_time === expected.workout.start_time,
        );
        // One workout from the pushed summary and the pinged details (same activityId), with the route.
        expect(
          workouts.body.data.filter(
            (w: { start_time: string }) => w.start_time === expected.workout.start_time,
          ),
        ).toHaveLength(1);
        expect(workout).toMatchObject({
          ...expected.workout,
          type: 'running',
          source_activity_type: 'RUNNING',
          source: { provider: 'garmin' },
        });

        const sleeps = await server.api.request('GET', `/api/v1/users/${userId}/events/sleep?${around}`, {
          auth: auth(),
        });
        expect(sleeps.status, sleeps.text).toBe(200);
        const night = sleeps.body.data.find(
          (s: { start_time: string }) => s.start_time === expected.sleep.start_time,
        );
        expect(night, JSON.stringify(sleeps.body.data)).toMatchObject({
          start_time: expected.sleep.start_time,
          // The session ends with the final wake period, not at start + Garmin's durationInSeconds.
          end_time: expected.sleep.end_time,
          duration_seconds: expected.sleep.duration_seconds,
          stages: expected.sleep.stages,
          utc_offset_minutes: 60,
        });
        expect(expected.sleep.lastStage).toBe('awake');
        expect(night.timeline.at(-1)).toMatchObject({ stage: 'awake', end: expected.sleep.end_time });

        const stress = await series('stress_level', expected.stressWindow.from, expected.stressWindow.to);
        expect(stress.data.map((p) => [p.timestamp, p.value])).toEqual(
          expected.stressLevels.map((p) => [p.at, p.v]),
        );
        const battery = await series('body_battery', expected.stressWindow.from, expected.stressWindow.to);
        expect(battery.data.map((p) => [p.timestamp, p.value])).toEqual(
          expected.bodyBattery.map((p) => [p.at, p.v]),
        );
        const steps = await series('steps', expected.epochWindow.from, expected.epochWindow.to);
        expect(steps.data.map((p) => [p.timestamp, p.value])).toEqual(
          expected.epochSteps.map((p) => [p.at, p.v]),
        );

        const scores = await server.api.request(
          'GET',
          `/api/v1/users/${userId}/health-scores?provider=garmin&start_date=${day}&end_date=${day}`,
          { auth: auth() },
        );
        expect(scores.status, scores.text).toBe(200);
        const byCategory = Object.fromEntries(
          scores.body.data.map((s: { category: string }) => [s.category, s]),
        );
        expect(byCategory.stress).toMatchObject({
          score: expected.stressScore,
          range_min: 0,
          range_max: 100,
        });
        expect(byCategory.sleep).toMatchObject({ score: expected.sleep.score });
      });

      it('backfill status shows every type; a retry asks only the failed type’s windows again', async () => {
        const before = (await backfillStatus()).types;
        for (const type of TYPES)
          expect(before[type], type).toMatchObject(
            type === FAILING
              ? { requested_windows: 1, failed: 1, complete: false }
              : { requested_windows: 1, received: 1, pending: 0, failed: 0, complete: true },
          );
        const failed = garmin.backfillRequests.filter((r) => r.type === FAILING);
        const asked = garmin.backfillRequests.length;
        const retry = await server.api.request(
          'POST',
          `/api/v1/providers/garmin/users/${userId}/backfill/${FAILING}/retry`,
          {
            auth: auth(),
          },
        );
        expect(retry.status, retry.text).toBe(202);
        const run = await waitForRun(server.api, auth(), userId, retry.body.run_id, 60_000);
        expect(run.status, JSON.stringify(run)).toBe('success');
        expect(
          garmin.backfillRequests
            .slice(asked)
            .map(({ type, start, end, status }) => ({ type, start, end, status })),
        ).toEqual(failed.map(({ type, start, end }) => ({ type, start, end, status: 202 })));
        const after = (await backfillStatus()).types;
        for (const type of TYPES)
          expect(after[type], type).toMatchObject({ pending: 0, failed: 0, complete: true });
      }, 90_000);

      it('a re-sent summary stores nothing twice', async () => {
        await quiet();
        const counts = await countRows(db(), userId);
        const stored = await countInbound(db());
        // A live re-send of one day (a different body from the backfill's) and the exact same push twice.
        garmin.sendDay(GARMIN_USER, 'activities', day, 'push');
        garmin.sendDay(GARMIN_USER, 'dailies', day, 'push');
        garmin.sendDay(GARMIN_USER, 'dailies', day, 'push');
        garmin.sendDay(GARMIN_USER, 'sleeps', day, 'ping');
        garmin.sendDay(GARMIN_USER, 'activityDetails', day, 'ping');
        await quiet();
        expect(garmin.notifier.deliveries.slice(-5).every((d) => d.delivered)).toBe(true);
        expect(await countRows(db(), userId)).toEqual(counts);
        // The identical push was acknowledged twice but kept once (pings carry fresh tokens: distinct).
        expect(await countInbound(db())).toBe(stored + 4);
      }, 60_000);

      it('drops a push for an unknown user, refuses a foreign ping host, and a wrong client id', async () => {
        const unknown = await webhook({
          dailies: [{ userId: 'not-connected', summaryId: 'x', calendarDate: day }],
        });
        expect(unknown.status, unknown.text).toBe(200);
        expect(await inbound(unknown.body.id)).toMatchObject({ status: 'ignored' });
        expect((await inbound(unknown.body.id)).detail).toMatch(
          /no active connection for Garmin user not-connected/,
        );

        const foreign = await startForeignHost();
        try {
          const ping = await webhook({
            sleeps: [{ userId: GARMIN_USER, callbackURL: `${foreign.url}/wellness-api/rest/sleeps?token=t` }],
          });
          expect(ping.status, ping.text).toBe(200);
          const row = await inbound(ping.body.id);
          expect(row.status).toBe('ignored');
          expect(row.detail).toMatch(/refused: callback host/);
          expect(foreign.hits).toBe(0);
        } finally {
          await foreign.close();
        }

        const wrong = await webhook({ dailies: [{ userId: GARMIN_USER, summaryId: 'y' }] }, 'someone-else');
        expect(wrong.status).toBe(401);
      });

      it('a permission change updates the connection’s scopes', async () => {
        garmin.changePermissions(GARMIN_USER, ['HEALTH_EXPORT']);
        await eventually(
          async () => ((await connection()).scopes.join() === 'HEALTH_EXPORT' ? true : undefined),
          'the scopes updated',
        );
      });

      it('a deregistration is believed only once Garmin refuses the token (the user removed the app)', async () => {
        // A second user, without historical consent: every backfill request is refused (403), nothing waits.
        const other = 'garmin-e2e-user-2';
        const account = garmin.addUser(other, { historicalConsent: false });
        const secondUser = (await server.api.createUser(key)).id;
        const { outcome } = await connectThroughGarmin(server, garmin, key, secondUser, other);
        expect(outcome.searchParams.get('status')).toBe('success');
        const connectionOf = () =>
          db()
            .selectFrom('connections')
            .selectAll()
            .where('user_id', '=', secondUser)
            .executeTakeFirstOrThrow();
        // Garmin signs nothing: a deregistration while the token still works is a forgery, not obeyed.
        const forged = await webhook({ deregistrations: [{ userId: other }] });
        expect(forged.status, forged.text).toBe(200);
        expect((await inbound(forged.body.id)).detail).toMatch(/token still works/);
        expect((await connectionOf()).status).toBe('active');
        // The user removes WearLink in Garmin Connect: the grant dies, then Garmin notifies.
        account.deregistered = true;
        garmin.oauth.revokeUser(other);
        garmin.notifier.send('lifecycle', { deregistrations: [{ userId: other, summaryId: 'dereg-1' }] });
        await eventually(
          async () => ((await connectionOf()).status === 'revoked' ? true : undefined),
          'revoked',
        );
        expect((await connection()).status).toBe('active');
      });

      it('disconnect deletes the registration at Garmin; its deregistration push leaves it revoked', async () => {
        const res = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/garmin`, {
          auth: auth(),
        });
        expect([200, 204]).toContain(res.status);
        expect(garmin.registrationsDeleted).toEqual([GARMIN_USER]);
        await quiet();
        const deregistration = garmin.notifier.deliveries.find((d) => 'deregistrations' in d.body);
        expect(deregistration?.delivered).toBe(true);
        expect((await connection()).status).toBe('revoked');
        // What Garmin still sends for the revoked user is acknowledged and dropped.
        const late = await webhook({
          dailies: [{ userId: GARMIN_USER, summaryId: 'late', calendarDate: day }],
        });
        expect(late.status).toBe(200);
        expect(await inbound(late.body.id)).toMatchObject({ status: 'ignored' });
        const kept = await series('body_battery', expected.stressWindow.from, expected.stressWindow.to);
        expect(kept.data).toHaveLength(expected.bodyBattery.length);
      });
    },
  );
}
