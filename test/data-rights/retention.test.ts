import { type RawBuilder, sql } from 'kysely';
import { expect, it } from 'vitest';
import { applyRetentionPolicies } from '../../src/data-rights/retention/job.ts';
import { upsertDataSources } from '../../src/health-data/data-sources.repo.ts';
import { upsertHealthScores } from '../../src/health-data/health-scores.repo.ts';
import { DATA_RIGHTS_QUEUE } from '../../src/sync/job-queue.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

/**
 * Per-developer retention (issue 18): the policy routes, and passes over back-dated data of every kind
 * (sent through the SDK ingest API with old timestamps) that remove exactly what the policy names.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const watch = { deviceName: 'Apple Watch', deviceType: 'watch' };

/** Whole UTC hour `days` days before `now`, at 10:00 UTC. */
function hourDaysAgo(now: Date, days: number): number {
  const d = new Date(now.getTime() - days * DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 10);
}
/** A UTC instant as local time at +01:00 (a whole-hour offset: `1hour` reads can use the rollups). */
const local = (ms: number) => `${new Date(ms + HOUR).toISOString().slice(0, 19)}+01:00`;

/** One SDK batch for the day `days` ago: heart rate and steps over two hours, a workout with a route, sleep. */
function batchAt(now: Date, days: number, extraHeartRates = 0) {
  const t = hourDaysAgo(now, days);
  const records: Record<string, unknown>[] = [];
  // Every 10 s from 10:00:01 (more than one delete batch of the suite's DELETE_BATCH_ROWS).
  for (let i = 0; i < extraHeartRates; i++) {
    records.push({
      type: 'HKQuantityTypeIdentifierHeartRate',
      startDate: local(t + 1000 + i * 10_000),
      value: 50 + (i % 30),
      unit: 'count/min',
      source: watch,
    });
  }
  for (const minute of [5, 20, 40, 70, 95]) {
    const at = t + minute * 60_000;
    records.push({
      type: 'HKQuantityTypeIdentifierHeartRate',
      startDate: local(at),
      value: 60 + minute / 5,
      unit: 'count/min',
      source: watch,
    });
    records.push({
      type: 'HKQuantityTypeIdentifierStepCount',
      startDate: local(at),
      endDate: local(at + 60_000),
      value: 100 + minute,
      unit: 'count',
      source: watch,
    });
  }
  return {
    provider: 'apple',
    data: {
      records,
      workouts: [
        {
          id: `w-${days}`,
          type: 'running',
          startDate: local(t),
          endDate: local(t + 30 * 60_000),
          route: [
            { timestamp: local(t), latitude: 52.52, longitude: 13.405 },
            { timestamp: local(t + 5_000), latitude: 52.5201, longitude: 13.4052 },
          ],
          source: watch,
        },
      ],
      sleep: [
        {
          id: `s-${days}`,
          stage: 'asleep_light',
          startDate: local(t - 8 * HOUR),
          endDate: local(t - 6 * HOUR),
          source: watch,
        },
      ],
    },
  };
}

const AGES = [400, 40, 2] as const;

/** Heart-rate samples the old batch carries besides its ten. */
const EXTRA_OLD = 250;

async function seed(server: TestServer, now: Date) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const runs: string[] = [];
  for (const days of AGES) {
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth,
      json: batchAt(now, days, days === 400 ? EXTRA_OLD : 0),
    });
    expect(res.status).toBe(202);
    expect(res.body.rejected).toEqual([]);
    const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
    expect(run.stage).toBe('completed');
    runs.push(res.body.run_id);
  }
  const db = server.platform.database.db;
  const [sourceId] = await upsertDataSources(db, user.id, [{ provider: 'oura', deviceName: 'Oura Ring' }]);
  await upsertHealthScores(
    db,
    user.id,
    AGES.map((days) => ({
      source: 0,
      provider: 'oura',
      date: new Date(hourDaysAgo(now, days)).toISOString().slice(0, 10),
      category: 'sleep',
      score: 80,
      rangeMin: 1,
      rangeMax: 100,
      components: {},
    })),
    [sourceId as number],
  );
  // What was received (raw payloads) and run (sync runs) is stamped with the time it happened: back-date
  // each batch's to the day its data is from.
  for (const [i, days] of AGES.entries()) {
    const when = new Date(hourDaysAgo(now, days));
    await sql`update sync_runs set created_at = ${when} where id = ${runs[i] as string}`.execute(db);
    await sql`update raw_payloads set received_at = ${when}
              where id = (select raw_payload_id from sync_runs where id = ${runs[i] as string})`.execute(db);
  }
  return { dev, user, auth, runs };
}

/** Rows per table of the user, by age bucket (the day each row's time falls on, in days before now). */
async function census(server: TestServer, userId: string, now: Date) {
  const db = server.platform.database.db;
  const age = (time: RawBuilder<unknown>) =>
    sql<number>`floor(extract(epoch from (${now}::timestamptz - ${time})) / 86400)::int`;
  const count = async (table: string, time: RawBuilder<unknown>) => {
    const { rows } = await sql<{ age: number; n: number }>`
      select ${age(time)} as age, count(*)::int as n from ${sql.table(table)}
      where user_id = ${userId} group by 1 order by 1`.execute(db);
    return byBucket(rows);
  };
  const { rows: routes } = await sql<{ age: number; n: number }>`
    select ${age(sql.ref('w.start_time'))} as age, count(*)::int as n from workout_route_points p
    join workouts w on w.id = p.workout_id where w.user_id = ${userId} group by 1`.execute(db);
  return {
    samples: await count('samples', sql.ref('start_time')),
    rollups: await count('sample_rollups', sql`(local_hour at time zone 'UTC')`),
    workouts: await count('workouts', sql.ref('start_time')),
    route_points: byBucket(routes),
    sleep_intervals: await count('sleep_stage_intervals', sql.ref('start_time')),
    sleep_sessions: await count('sleep_sessions', sql.ref('start_time')),
    scores: await count('health_scores', sql`(date::timestamp at time zone 'UTC')`),
    raw_payloads: await count('raw_payloads', sql.ref('received_at')),
    sync_runs: await count('sync_runs', sql.ref('created_at')),
  };
}
/** 400 → 'old', 40 → 'mid', 2 → 'recent' (a row can sit a day either side of its batch's day). */
const bucket = (days: number) => (days > 300 ? 'old' : days > 20 ? 'mid' : 'recent');
/**
 * Counts per age summed into buckets. Summed, not assigned: a batch's rows straddle two ages when the test runs
 * between 10:05 and 11:35 UTC (CI failed at 10:04 with a bucket holding only its last age's count).
 */
function byBucket(rows: { age: number; n: number }[]) {
  const out: Record<string, number> = {};
  for (const r of rows) out[bucket(Number(r.age))] = (out[bucket(Number(r.age))] ?? 0) + Number(r.n);
  return out;
}

async function hourly(
  server: TestServer,
  auth: { key: string },
  userId: string,
  fromMs: number,
  resolution = '1hour',
) {
  const res = await server.api.request(
    'GET',
    `/api/v1/users/${userId}/timeseries?resolution=${resolution}&types=heart_rate,steps&limit=100` +
      `&start_time=${new Date(fromMs).toISOString()}&end_time=${new Date(fromMs + 3 * HOUR).toISOString()}`,
    { auth },
  );
  expect(res.status).toBe(200);
  return res.body.data as { timestamp: string; series_type: string; value: number; count: number }[];
}

async function activity(server: TestServer, auth: { key: string }, userId: string, ms: number) {
  const day = new Date(ms).toISOString().slice(0, 10);
  const res = await server.api.request(
    'GET',
    `/api/v1/users/${userId}/summaries/activity?start_date=${day}&end_date=${day}`,
    { auth },
  );
  expect(res.status).toBe(200);
  return res.body.data;
}

describeEachDatabase(
  'data retention',
  (ctx) => {
    it('GET answers the default (keep everything); PUT validates, saves and is audited', async () => {
      const server = ctx();
      const dev = await server.api.registerDeveloper();
      const auth = { key: dev.key };
      const path = '/api/v1/developer/data-retention';

      expect((await server.api.request('GET', path)).status).toBe(401);
      expect(await server.api.request('GET', path, { auth }).then((r) => [r.status, r.body])).toEqual([
        200,
        { raw_payload_days: null, sample_days: null, delete_after_days: null, updated_at: null },
      ]);
      // An end user's SDK token is not a developer credential.
      const user = await server.api.createUser(dev.key);
      const token = (await server.api.request('POST', `/api/v1/users/${user.id}/token`, { auth })).body
        .access_token as string;
      expect((await server.api.request('GET', path, { auth: { bearer: token } })).status).toBe(403);
      expect(
        (await server.api.request('PUT', path, { auth: { bearer: token }, json: { sample_days: 5 } })).status,
      ).toBe(403);

      for (const [body, loc] of [
        [{ sample_days: 0 }, 'sample_days'],
        [{ sample_days: 1.5 }, 'sample_days'],
        [{ raw_payload_days: 36_501 }, 'raw_payload_days'],
        [{ delete_after_days: '30' }, 'delete_after_days'],
        [{ sample_days: 31, delete_after_days: 30 }, 'sample_days'],
        [{ raw_payload_days: 60, delete_after_days: 30 }, 'raw_payload_days'],
        [{ keep: true }, undefined],
      ] as const) {
        const res = await server.api.request('PUT', path, { auth, json: body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(Array.isArray(res.body.detail)).toBe(true);
        if (loc) expect(res.body.detail[0].loc).toEqual(['body', loc]);
      }
      expect((await server.api.request('PUT', path, { auth, body: 'nope' })).status).toBeGreaterThanOrEqual(
        400,
      );

      const put = await server.api.request('PUT', path, {
        auth,
        json: { raw_payload_days: 30, sample_days: 90, delete_after_days: 365 },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ raw_payload_days: 30, sample_days: 90, delete_after_days: 365 });
      expect(Date.parse(put.body.updated_at)).toBeGreaterThan(Date.now() - 60_000);
      expect((await server.api.request('GET', path, { auth })).body).toEqual(put.body);
      // PUT replaces the whole policy: an omitted field is back to "keep".
      const second = await server.api.request('PUT', path, { auth, json: { sample_days: 7 } });
      expect(second.body).toMatchObject({ raw_payload_days: null, sample_days: 7, delete_after_days: null });

      // Each change is one audit row with the old and new values, in the developer's trail.
      const audit = await server.platform.database.db
        .selectFrom('audit_logs')
        .selectAll()
        .where('developer_id', '=', dev.id)
        .where('action', '=', 'retention.updated')
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => [a.actor_type, a.target_type, a.target_id, a.detail])).toEqual([
        [
          'api_key',
          'developer',
          dev.id,
          {
            before: { raw_payload_days: null, sample_days: null, delete_after_days: null },
            after: { raw_payload_days: 30, sample_days: 90, delete_after_days: 365 },
          },
        ],
        [
          'api_key',
          'developer',
          dev.id,
          {
            before: { raw_payload_days: 30, sample_days: 90, delete_after_days: 365 },
            after: { raw_payload_days: null, sample_days: 7, delete_after_days: null },
          },
        ],
      ]);
      // Another developer's policy is their own.
      const other = await server.api.registerDeveloper();
      expect(
        (await server.api.request('GET', path, { auth: { key: other.key } })).body.sample_days,
      ).toBeNull();
    });

    it('sample_days drops old raw samples; hourly reads and daily summaries of that period are unchanged', async () => {
      const server = ctx();
      const now = new Date();
      const { user, auth } = await seed(server, now);
      const before = await census(server, user.id, now);
      expect(before.samples).toEqual({ old: 10 + EXTRA_OLD, mid: 10, recent: 10 });
      const old = hourDaysAgo(now, 400);
      const mid = hourDaysAgo(now, 40);
      const hourlyBefore = [
        await hourly(server, auth, user.id, old),
        await hourly(server, auth, user.id, mid),
      ];
      expect(hourlyBefore[0]?.length).toBe(4); // two hours × two series
      expect(hourlyBefore[0]?.find((p) => p.series_type === 'heart_rate')?.count).toBe(3 + 250);
      expect(hourlyBefore[0]?.find((p) => p.series_type === 'steps')).toMatchObject({
        value: 100 * 3 + 65,
        count: 3,
      });
      const activityBefore = await activity(server, auth, user.id, old);
      expect(activityBefore.length).toBe(1);

      expect(
        (
          await server.api.request('PUT', '/api/v1/developer/data-retention', {
            auth,
            json: { sample_days: 30 },
          })
        ).status,
      ).toBe(200);
      const report = await applyRetentionPolicies(server.platform, now);
      expect(report.samples_rolled_up).toBe(20 + EXTRA_OLD);

      const after = await census(server, user.id, now);
      // Only the raw samples of the old and mid batches went; everything else is as it was.
      expect(after).toEqual({ ...before, samples: { recent: 10 } });
      expect([await hourly(server, auth, user.id, old), await hourly(server, auth, user.id, mid)]).toEqual(
        hourlyBefore,
      );
      expect(await activity(server, auth, user.id, old)).toEqual(activityBefore);
      // Raw resolution has nothing left there (documented); the recent day still has its raw samples.
      expect(await hourly(server, auth, user.id, old, 'raw')).toEqual([]);
      expect((await hourly(server, auth, user.id, hourDaysAgo(now, 2), 'raw')).length).toBe(10);

      // Idempotent: a second pass finds nothing to do.
      const again = await applyRetentionPolicies(server.platform, now);
      expect(again.samples_rolled_up).toBe(0);
      expect(await census(server, user.id, now)).toEqual(after);

      // A time-zone change rebuilds the rollups from the stored samples and keeps those of the hours
      // whose samples retention dropped (before the fix it wiped them: only 'recent' was left).
      const patched = await server.api.request('PATCH', `/api/v1/users/${user.id}`, {
        auth,
        json: { timezone: 'Asia/Tokyo' },
      });
      expect(patched.status).toBe(200);
      expect((await census(server, user.id, now)).rollups).toEqual(after.rollups);
    });

    it('delete_after_days removes every kind of health row older than the limit and keeps the rest', async () => {
      const server = ctx();
      const now = new Date();
      const { dev, user, auth } = await seed(server, now);
      const before = await census(server, user.id, now);
      for (const counts of Object.values(before))
        expect(Object.keys(counts).sort()).toEqual(['mid', 'old', 'recent']);

      // Outgoing webhook messages carry data too: an old one and a recent one, as the outbox stores them.
      const db = server.platform.database.db;
      for (const [id, days] of [
        [`msg_old_${user.id}`, 400],
        [`msg_new_${user.id}`, 2],
      ] as const) {
        await sql`insert into webhook_messages (id, developer_id, event_type, payload, created_at)
                values (${id}, ${dev.id}, 'workout.created', '{}', ${new Date(hourDaysAgo(now, days))})`.execute(
          db,
        );
      }

      await server.api.request('PUT', '/api/v1/developer/data-retention', {
        auth,
        json: { delete_after_days: 100 },
      });
      const report = await applyRetentionPolicies(server.platform, now);
      expect(report.webhook_messages).toBe(1);
      const messages = await db
        .selectFrom('webhook_messages')
        .select('id')
        .where('developer_id', '=', dev.id)
        .execute();
      expect(messages.map((m) => m.id)).toEqual([`msg_new_${user.id}`]);
      const after = await census(server, user.id, now);
      const { old: _old, ...kept } = before.samples;
      expect(after.samples).toEqual(kept);
      for (const [table, counts] of Object.entries(after)) {
        const { old, ...rest } = before[table as keyof typeof before];
        expect(old, table).toBeGreaterThan(0);
        expect(counts, table).toEqual(rest);
      }
      // Reads of the deleted period come back empty at every resolution.
      expect(await hourly(server, auth, user.id, hourDaysAgo(now, 400))).toEqual([]);
      expect(await activity(server, auth, user.id, hourDaysAgo(now, 400))).toEqual([]);
      const again = await applyRetentionPolicies(server.platform, now);
      expect(Object.values(again.deleted).reduce((a, b) => a + b, 0)).toBe(0);
    });

    it('raw_payload_days removes old payloads, except one an unfinished run replays from', async () => {
      const server = ctx();
      const now = new Date();
      const { user, auth, runs } = await seed(server, now);
      const db = server.platform.database.db;
      // The mid batch's run as if its worker died mid-way: its job would replay the archived payload.
      await db
        .updateTable('sync_runs')
        .set({ ended_at: null })
        .where('id', '=', runs[1] as string)
        .execute();
      const before = await census(server, user.id, now);

      await server.api.request('PUT', '/api/v1/developer/data-retention', {
        auth,
        json: { raw_payload_days: 10 },
      });
      const report = await applyRetentionPolicies(server.platform, now);
      expect(report.raw_payloads).toBe(1);
      const after = await census(server, user.id, now);
      expect(after).toEqual({ ...before, raw_payloads: { mid: 1, recent: 1 } });
      // The finished run whose payload went keeps its history, without the payload.
      const oldRun = await db
        .selectFrom('sync_runs')
        .select(['raw_payload_id', 'stage'])
        .where('id', '=', runs[0] as string)
        .executeTakeFirstOrThrow();
      expect(oldRun).toEqual({ raw_payload_id: null, stage: 'completed' });

      // Once the run has ended, the next pass removes its payload too.
      await db
        .updateTable('sync_runs')
        .set({ ended_at: now })
        .where('id', '=', runs[1] as string)
        .execute();
      expect((await applyRetentionPolicies(server.platform, now)).raw_payloads).toBe(1);
      expect((await census(server, user.id, now)).raw_payloads).toEqual({ recent: 1 });
    });

    it('the data-rights worker runs a queued retention pass', async () => {
      const server = ctx();
      const now = new Date();
      const { user, auth } = await seed(server, now);
      await server.api.request('PUT', '/api/v1/developer/data-retention', {
        auth,
        json: { sample_days: 100 },
      });
      await server.platform.queue.enqueueDataRights({ task: 'retention' });
      server.platform.queue.wake(DATA_RIGHTS_QUEUE);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { samples } = await census(server, user.id, now);
        if (samples.old === undefined) {
          expect(samples).toEqual({ mid: 10, recent: 10 });
          break;
        }
        if (Date.now() > deadline) throw new Error('retention job did not run');
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  },
  { env: { DELETE_BATCH_ROWS: '100' } },
);
