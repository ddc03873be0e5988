import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAppSubscriptions } from '../../../src/providers/webhooks/subscriptions.ts';
import { databaseLegs, startTestServer, type TestServer, waitForRun } from '../../support/harness.ts';
import { eventually, freePort } from '../../support/vendor-e2e.ts';
import {
  ATHLETE_ID,
  BIG_ID,
  type RunningStravaMock,
  startStravaMock,
} from '../../support/vendor-mocks/strava.ts';
import { DAY, dataSet } from './e2e-data.ts';

/**
 * Strava end to end through the real app, on both storage legs: connect through the OAuth redirect
 * flow (comma-separated scopes, the athlete id above 2^53 read exactly), the historical sync, the data
 * read back through the read API in its units (an activity id above 2^53 intact), the push subscription
 * with its hub.challenge, an unsigned event that pulls exactly its activity, a 429 that reschedules, a
 * malformed answer that fails the run, a user who unticked activity access, and a disconnect that
 * deauthorizes at the mock.
 */

const CLIENT_ID = '4242';
const CLIENT_SECRET = 'strava-e2e-secret';
const VERIFY_TOKEN = 'strava-e2e-verify';

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `Strava end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let strava: RunningStravaMock;
      let server: TestServer;
      let key = '';
      let userId = '';
      const data = dataSet(Date.now());
      const auth = () => ({ key });
      const runs = async () =>
        (await server.api.request('GET', `/api/v1/users/${userId}/sync/runs?limit=50`, { auth: auth() }))
          .body as {
          run_id: string;
          source: string;
          status: string;
          stage: string;
          error: unknown;
        }[];
      const range = () =>
        `start_time=${new Date(data.fromMs).toISOString()}&end_time=${new Date(data.toMs).toISOString()}`;
      const days = () =>
        `start_date=${new Date(data.fromMs).toISOString().slice(0, 10)}&end_date=${new Date(data.toMs).toISOString().slice(0, 10)}`;
      const workouts = async () => {
        const res = await server.api.request(
          'GET',
          `/api/v1/users/${userId}/events/workouts?${days()}&limit=100`,
          {
            auth: auth(),
          },
        );
        expect(res.status, res.text).toBe(200);
        return res.body.data as Record<string, unknown>[];
      };

      beforeAll(async () => {
        strava = await startStravaMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
        strava.addAthlete(ATHLETE_ID, [data.ride, data.run, data.manual], 68.5);
        const port = await freePort();
        server = await startTestServer({
          database: leg,
          bus: leg === 'postgres' && process.env.TEST_REDIS_URL ? 'redis' : 'memory',
          env: {
            PORT: String(port),
            PUBLIC_URL: `http://127.0.0.1:${port}`,
            PROVIDER_URLS: `strava=${strava.url}`,
            PROVIDER_HTTP_ATTEMPTS: '1',
            STRAVA_CLIENT_ID: CLIENT_ID,
            STRAVA_CLIENT_SECRET: CLIENT_SECRET,
            STRAVA_WEBHOOK_SECRET: VERIFY_TOKEN,
          },
        });
        const developer = await server.api.registerDeveloper('Strava e2e');
        key = developer.key;
        userId = (await server.api.createUser(key)).id;
      });
      afterAll(async () => {
        await server?.close();
        await strava?.close();
      });

      async function connect(user: string, athlete: string, scope?: string) {
        const redirectUri = 'http://127.0.0.1:9/strava-done';
        const start = await server.api.request(
          'GET',
          `/api/v1/providers/strava/authorize?user_id=${user}&redirect_uri=${encodeURIComponent(redirectUri)}`,
          { auth: auth() },
        );
        expect(start.status, start.text).toBe(200);
        const consent = new URL(start.body.authorization_url);
        strava.oauth.approveNextAs(athlete, scope);
        const toCallback = await fetch(consent, { redirect: 'manual' });
        const callback = toCallback.headers.get('location') ?? '';
        expect(callback.startsWith(`${server.url}/`), callback).toBe(true);
        const done = await fetch(callback, { redirect: 'manual' });
        expect(done.status).toBe(302);
        const outcome = new URL(done.headers.get('location') ?? '');
        expect(`${outcome.origin}${outcome.pathname}`).toBe(redirectUri);
        return { consent, outcome: Object.fromEntries(outcome.searchParams) };
      }

      it('connects through the OAuth redirect flow (exact athlete id) and runs the historical sync', async () => {
        const { consent, outcome } = await connect(userId, ATHLETE_ID);
        expect(consent.origin).toBe(strava.url);
        expect(consent.pathname).toBe('/oauth/authorize');
        expect(consent.searchParams.get('scope')).toBe('read,activity:read_all,profile:read_all');
        expect(consent.searchParams.get('code_challenge')).toBeNull();
        expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'success', provider: 'strava' });
        expect(strava.oauth.log[0]?.form).toMatchObject({
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        });
        // The token response could not carry an athlete id above 2^53: identify read /athlete as text.
        expect(strava.callCount('GET /athlete')).toBeGreaterThan(0);
        const connection = await server.platform.deps.db
          .selectFrom('connections')
          .select(['provider_user_id', 'status'])
          .where('user_id', '=', userId)
          .where('provider', '=', 'strava')
          .executeTakeFirstOrThrow();
        expect(connection).toEqual({ provider_user_id: ATHLETE_ID, status: 'active' });

        const historical = await eventually(
          async () => (await runs()).find((r) => r.source !== 'webhook'),
          'the historical run',
        );
        const run = await waitForRun(server.api, auth(), userId, historical.run_id, 60_000);
        expect(run.status, JSON.stringify(run)).toBe('success');
        // A year of 7-day windows, each listed once; detail for each activity, streams unless manual.
        expect(strava.callCount('GET /athlete/activities')).toBeGreaterThanOrEqual(52);
        expect(strava.callCount('GET /activities/{id}')).toBe(3);
        expect(strava.callCount('GET /activities/{id}/streams')).toBe(2);
        expect(strava.counts.badRequest).toBe(0);
        const listed = strava.requests.find((r) => r.path === '/athlete/activities');
        expect(listed?.query.per_page).toBe('200');
      }, 120_000);

      it('serves the synced data through the read API with Strava’s units, types and exact ids', async () => {
        const list = await workouts();
        expect(list).toHaveLength(3);
        const byType = Object.fromEntries(list.map((w) => [w.type, w]));
        expect(Object.keys(byType).sort()).toEqual(['mountain_biking', 'strength_training', 'trail_running']);
        expect(byType.mountain_biking).toMatchObject({
          source_activity_type: 'MountainBikeRide',
          start_time: new Date(data.ride.start).toISOString(),
          duration_seconds: 3600,
          distance_meters: 25_000.5,
          calories_kcal: 812.4,
          utc_offset_minutes: 120,
          route_points: 6,
          source: { provider: 'strava' },
        });
        expect(byType.trail_running).toMatchObject({
          utc_offset_minutes: -420,
          distance_meters: 5012.5,
          route_points: 6,
        });
        expect(byType.strength_training).toMatchObject({ route_points: 0, avg_heart_rate_bpm: null });
        // The activity id 2^53 + 1 is stored exactly (JSON.parse would have made it …992).
        const stored = await server.platform.deps.db
          .selectFrom('workouts')
          .select(['external_id', 'metadata'])
          .where('user_id', '=', userId)
          .execute();
        expect(stored.map((w) => w.external_id).sort()).toEqual([data.run.id, data.manual.id, BIG_ID].sort());
        expect(JSON.stringify(stored)).toContain('987654321234567891234'); // upload_id beyond int64, exact

        const series = async (type: string) =>
          (
            await server.api.request(
              'GET',
              `/api/v1/users/${userId}/timeseries?types=${type}&${range()}&limit=100`,
              { auth: auth() },
            )
          ).body;
        const hr = await series('heart_rate');
        // Six points per activity stream, one of them 0 (no contact): 5 each for the ride and the run.
        expect(hr.data).toHaveLength(10);
        expect(hr.data[0]).toMatchObject({ unit: 'bpm', source: { provider: 'strava' } });
        expect((await series('distance_cycling')).data.map((p: { value: number }) => p.value)).toEqual([
          25_000.5,
        ]);
        expect(
          (await series('distance_walking_running')).data.map((p: { value: number }) => p.value),
        ).toEqual([5012.5]);
        const energy = (await series('energy')).data.map((p: { value: number }) => p.value);
        expect(energy.sort((a: number, b: number) => a - b)).toEqual([250, 401, 812.4]);
      }, 60_000);

      it('subscribes through Strava’s hub.challenge, and an unsigned event pulls exactly its activity', async () => {
        await ensureAppSubscriptions(server.platform.deps);
        expect(strava.subscriptions).toHaveLength(1);
        expect(strava.subscriptions[0]).toMatchObject({
          callbackUrl: `${server.url}/api/v1/webhooks/strava`,
          verifyToken: VERIFY_TOKEN,
        });
        expect(strava.challenges).toEqual([expect.objectContaining({ ok: true, status: 200 })]);
        // A second round finds it in place and creates nothing (Strava allows one per app).
        await ensureAppSubscriptions(server.platform.deps, Date.now() + 2 * DAY);
        expect(strava.subscriptions).toHaveLength(1);
        // A wrong verify token is refused.
        const wrong = await fetch(
          `${server.url}/api/v1/webhooks/strava?hub.mode=subscribe&hub.challenge=x&hub.verify_token=nope`,
        );
        expect(wrong.status).toBe(403);

        strava.athletes.get(ATHLETE_ID)?.activities.push(data.swim);
        const detailCalls = strava.callCount('GET /activities/{id}');
        const listCalls = strava.callCount('GET /athlete/activities');
        const status = await strava.notify({
          object_type: 'activity',
          object_id: `#${data.swim.id}`,
          aspect_type: 'create',
          owner_id: `#${ATHLETE_ID}`,
        });
        expect(status).toBe(200);
        const webhookRun = await eventually(
          async () => (await runs()).find((r) => r.source === 'webhook' && r.stage === 'completed'),
          'the webhook run',
        );
        expect(webhookRun.status, JSON.stringify(webhookRun)).toBe('success');
        expect(strava.callCount('GET /activities/{id}')).toBe(detailCalls + 1);
        expect(strava.callCount('GET /athlete/activities')).toBe(listCalls);
        const list = await workouts();
        expect(list).toHaveLength(4);
        expect(list.find((w) => w.type === 'swimming')).toMatchObject({
          distance_meters: 1500,
          calories_kcal: 350,
        });
        const swim = await server.platform.deps.db
          .selectFrom('workouts')
          .select('external_id')
          .where('user_id', '=', userId)
          .where('type', '=', 'swimming')
          .executeTakeFirst();
        expect(swim?.external_id).toBe(data.swim.id);
      }, 120_000);

      it('a malformed JSON answer fails the run with a message', async () => {
        strava.answerRaw('/athlete/activities', 200, '[{"id": 12345678987654321, "start_date": ', 1);
        const broken = await server.api.request('POST', `/api/v1/providers/strava/users/${userId}/sync`, {
          auth: auth(),
        });
        expect([200, 202], broken.text).toContain(broken.status);
        const failed = await waitForRun(server.api, auth(), userId, broken.body.job_id, 90_000);
        expect(failed.status).toBe('failed');
        expect(JSON.stringify(failed.error)).toMatch(/malformed JSON/);
      }, 120_000);

      it('a 429 reschedules the run to the next quarter hour (Strava’s window) instead of failing it', async () => {
        strava.rateLimitNext(1);
        const limited = await server.api.request('POST', `/api/v1/providers/strava/users/${userId}/sync`, {
          auth: auth(),
        });
        expect([200, 202], limited.text).toContain(limited.status);
        let last: unknown;
        const run = await eventually(async () => {
          const r = await server.api.request(
            'GET',
            `/api/v1/users/${userId}/sync/runs/${limited.body.job_id}`,
            { auth: auth() },
          );
          last = r.body;
          return /Rate limited/.test(r.body.message ?? '') ? r.body : undefined;
        }, 'the rate-limited run').catch((error: Error) => {
          throw new Error(`${error.message}: ${JSON.stringify(last)}`);
        });
        expect(strava.counts.rateLimited).toBe(1);
        expect(run.stage).not.toMatch(/failed|completed/);
        const retryAfter = Number(/resuming in (\d+) s/.exec(run.message)?.[1]);
        const toQuarter = (15 * 60_000 - (Date.now() % (15 * 60_000))) / 1000;
        expect(Math.abs(retryAfter - toQuarter)).toBeLessThan(10);
      }, 60_000);

      it('a user who unticked activity access is told so, and nothing is connected', async () => {
        const other = (await server.api.createUser(key)).id;
        const { outcome } = await connect(other, '5550001', 'read');
        expect(outcome).toMatchObject({ status: 'error' });
        expect(outcome.detail).toMatch(/activit/);
      });

      it('an athlete who deauthorizes on strava.com is disconnected by the athlete event', async () => {
        const other = (await server.api.createUser(key)).id;
        strava.addAthlete('5550002', []);
        const { outcome } = await connect(other, '5550002');
        expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: 'success' });
        strava.oauth.revokeUser('5550002');
        const status = await strava.notify({
          object_type: 'athlete',
          object_id: '#5550002',
          aspect_type: 'update',
          updates: { authorized: 'false' },
          owner_id: '#5550002',
        });
        expect(status).toBe(200);
        await eventually(async () => {
          const row = await server.platform.deps.db
            .selectFrom('connections')
            .select('status')
            .where('user_id', '=', other)
            .where('provider', '=', 'strava')
            .executeTakeFirst();
          return row?.status === 'revoked' ? true : undefined;
        }, 'the connection revoked by the deauthorization event');
      }, 60_000);

      it('a forged deauthorization (the grant still works at Strava) disconnects nobody', async () => {
        const status = await strava.notify({
          object_type: 'athlete',
          object_id: `#${ATHLETE_ID}`,
          aspect_type: 'update',
          updates: { authorized: 'false' },
          owner_id: `#${ATHLETE_ID}`,
        });
        expect(status).toBe(200);
        const row = await eventually(async () => {
          const inbound = await server.platform.deps.db
            .selectFrom('inbound_webhooks')
            .select(['status', 'detail'])
            .where('provider', '=', 'strava')
            .orderBy('received_at', 'desc')
            .executeTakeFirst();
          return inbound?.status === 'received' ? undefined : inbound;
        }, 'the forged event processed');
        expect(row?.detail).toMatch(/token still works/);
        const connection = await server.platform.deps.db
          .selectFrom('connections')
          .select('status')
          .where('user_id', '=', userId)
          .where('provider', '=', 'strava')
          .executeTakeFirst();
        expect(connection?.status).toBe('active');
      });

      it('disconnect deauthorizes at Strava, whose athlete event finds the connection already revoked', async () => {
        const revokes = strava.oauth.counts.revoke;
        const res = await server.api.request('DELETE', `/api/v1/users/${userId}/connections/strava`, {
          auth: auth(),
        });
        expect([200, 204], res.text).toContain(res.status);
        expect(strava.oauth.counts.revoke).toBe(revokes + 1);
        expect(strava.oauth.log.at(-1)?.form).toHaveProperty('access_token');
        expect(strava.oauth.grants.filter((g) => g.userId === ATHLETE_ID).every((g) => g.revoked)).toBe(true);
        await eventually(
          async () =>
            strava.deliveries.some((d) => d.body.includes('"authorized":"false"')) ? true : undefined,
          'the deauthorization event',
        );
        expect(strava.deliveries.filter((d) => d.body.includes('authorized')).at(-1)?.status).toBe(200);
        // Data is kept.
        expect(await workouts()).toHaveLength(4);
      });
    },
  );
}
