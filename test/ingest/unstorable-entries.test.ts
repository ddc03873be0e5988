import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { emptyBatch } from '../../src/health-data/canonical.ts';
import { writeCanonicalBatch } from '../../src/ingest/write-batch.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

/**
 * Issue 15 #2 and #3: entries the database cannot store (NUL and lone surrogates in any string, values
 * that overflow, times outside years 1-9999) used to be answered 202 "0 rejected" and then lost their
 * whole batch at write time, or were stored and broke the user's reads for good. Each must now be
 * rejected on its own, with its index, while the rest of its batch is stored exactly as `accepted` says.
 */

const NUL = '\u0000';
const LONE = '\ud800';
const DAY = '2026-05-04';
const watch = { deviceName: 'Apple Watch', deviceType: 'watch' };
const hr = (time: string, value: number, extra: Record<string, unknown> = {}) => ({
  type: 'HKQuantityTypeIdentifierHeartRate',
  startDate: `${DAY}T${time}Z`,
  value,
  unit: 'count/min',
  source: watch,
  ...extra,
});
const deep = (levels: number): unknown => (levels === 0 ? 'x' : { a: deep(levels - 1) });

async function setup(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  return { auth: { key: dev.key }, user };
}

async function counts(server: TestServer, userId: string) {
  const { rows } = await sql<{ samples: number; workouts: number; sleep: number }>`
    select (select count(*)::int from samples where user_id = ${userId}) as samples,
           (select count(*)::int from workouts where user_id = ${userId}) as workouts,
           (select count(*)::int from sleep_stage_intervals where user_id = ${userId}) as sleep`.execute(
    server.platform.database.db,
  );
  return rows[0];
}

const rejectedIndices = (rejected: { collection: string; index: number }[]) =>
  [...new Set(rejected.map((r) => `${r.collection}.${r.index}`))].sort();

/** Every read of the user answers 200 (the reads a stored bad row used to break for good). */
async function expectReadsAnswer(server: TestServer, auth: { key: string }, userId: string) {
  const base = `/api/v1/users/${userId}`;
  const range = `start_time=${DAY}T00:00:00Z&end_time=${DAY}T23:59:59Z`;
  const paths = [
    `${base}/summaries/data`,
    ...['raw', '1min', '5min', '15min', '1hour'].map((r) => `${base}/timeseries?${range}&resolution=${r}`),
    `${base}/summaries/activity?start_date=${DAY}&end_date=${DAY}`,
    `${base}/summaries/sleep?start_date=${DAY}&end_date=${DAY}`,
    `${base}/summaries/body`,
    `${base}/events/workouts?start_date=${DAY}&end_date=${DAY}`,
    `${base}/events/sleep?start_date=${DAY}&end_date=${DAY}`,
    `${base}/wearmetrics?${range}`,
  ];
  for (const path of paths) {
    const res = await server.api.request('GET', path, { auth });
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  }
}

describeEachDatabase('Entries the database cannot store (issue 15 #2, #3)', (ctx) => {
  it('rejects each bad SDK entry (Apple) with its index and stores the rest exactly', async () => {
    const server = ctx();
    const { auth, user } = await setup(server);
    const records = [
      hr('06:00:00', 72),
      hr('06:00:10', 70, { source: { ...watch, deviceName: `Watch${NUL}` } }),
      { ...hr('06:00:20', 70), type: `HKQuantityTypeIdentifierHeartRate${NUL}` },
      { ...hr('06:00:30', 70), unit: `count/min${NUL}` },
      hr('06:00:40', 70, { id: `id${NUL}` }),
      hr('06:00:50', 70, { metadata: { [`key${NUL}`]: 'v' } }),
      hr('06:01:00', 70, { metadata: { HKDeviceName: `v${NUL}` } }),
      hr('06:01:10', 70, { source: { ...watch, deviceName: `Watch${LONE}` } }),
      // Finite as sent, infinite once converted to per minute.
      hr('06:01:20', 1e308, { unit: 'count/s' }),
      hr('06:01:30', 1e308),
      hr('06:01:40', 70, { startDate: '0000-06-01T00:00:00Z' }),
      // Year 10000 in UTC once the offset is applied.
      hr('06:01:50', 70, { startDate: '9999-12-31T23:00:00-05:00' }),
      {
        type: 'HKQuantityTypeIdentifierStepCount',
        startDate: `${DAY}T06:00:00Z`,
        endDate: `${DAY}T06:01:00Z`,
        value: 120,
        unit: 'count',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierStepCount',
        startDate: `${DAY}T06:01:00Z`,
        endDate: `${DAY}T06:02:00Z`,
        value: 1e308,
        unit: 'count',
        source: watch,
      },
      hr('06:02:00', 80),
      hr('06:02:10', 70, { metadata: { nested: deep(40) } }),
      // °F sent as °C: outside the body temperature range.
      {
        type: 'HKQuantityTypeIdentifierBodyTemperature',
        startDate: `${DAY}T07:00:00Z`,
        value: 98.6,
        unit: 'degC',
      },
    ];
    const workout = (id: string, extra: Record<string, unknown> = {}) => ({
      id,
      type: 'HKWorkoutActivityTypeRunning',
      startDate: `${DAY}T17:00:00Z`,
      endDate: `${DAY}T17:30:00Z`,
      values: [{ type: 'distance', value: 5, unit: 'km' }],
      source: watch,
      ...extra,
    });
    const workouts = [
      workout('w-ok'),
      workout('w-nul', { metadata: { note: `a${NUL}b` } }),
      workout('w-route', {
        route: [{ timestamp: '0000-01-01T00:00:00Z', latitude: 52.5, longitude: 13.4 }],
      }),
      workout('w-hr', { values: [{ type: 'averageHeartRate', value: 1e308, unit: 'count/min' }] }),
      workout(`w${LONE}`),
    ];
    const interval = (id: string, start: string, end: string) => ({
      id,
      stage: 'deep',
      startDate: start,
      endDate: end,
      source: watch,
    });
    const sleep = [
      interval('s-ok', `${DAY}T01:00:00Z`, `${DAY}T02:00:00Z`),
      interval(`s${NUL}`, `${DAY}T02:00:00Z`, `${DAY}T03:00:00Z`),
      interval('s-0000', '0000-01-01T01:00:00Z', '0000-01-01T02:00:00Z'),
    ];

    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth,
      json: { provider: 'apple', data: { records, workouts, sleep } },
    });
    expect(res.status, res.text).toBe(202);
    expect(res.body.accepted).toEqual({ samples: 3, workouts: 1, sleep_intervals: 1 });
    expect(rejectedIndices(res.body.rejected)).toEqual(
      [
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16].map((i) => `records.${i}`),
        ...[1, 2, 3, 4].map((i) => `workouts.${i}`),
        ...[1, 2].map((i) => `sleep.${i}`),
      ].sort(),
    );
    expect(res.body.rejected_count).toBe(res.body.rejected.length);
    for (const r of res.body.rejected) expect(r.msg.length).toBeGreaterThan(0);
    // The bad key is named, printably, so the reason itself can be stored with the run.
    expect(res.body.rejected.find((r: { index: number }) => r.index === 5)).toMatchObject({
      loc: ['body', 'data', 'records', 5, 'metadata'],
      msg: expect.stringContaining("key 'key\\u0000'"),
    });

    const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
    expect(run).toMatchObject({ stage: 'completed', status: 'partial' });
    expect(run.result.samples).toEqual({ received: 3, inserted: 3, duplicates: 0 });
    expect(run.result.workouts).toMatchObject({ received: 1, inserted: 1 });
    expect(run.result.sleep).toMatchObject({ intervals_received: 1, intervals_inserted: 1 });
    expect(run.result.write_rejected).toBeUndefined();
    expect(await counts(server, user.id)).toEqual({ samples: 3, workouts: 1, sleep: 1 });

    await expectReadsAnswer(server, auth, user.id);
    // The 1e308 heart rate next to 72 and 80 did not reach the 5-minute bucket.
    const fiveMin = await server.api.request(
      'GET',
      `/api/v1/users/${user.id}/timeseries?start_time=${DAY}T06:00:00Z&end_time=${DAY}T06:05:00Z&resolution=5min&types=heart_rate`,
      { auth },
    );
    expect(fiveMin.body.data.map((p: { value: number; count: number }) => [p.value, p.count])).toEqual([
      [76, 2],
    ]);
  });

  it('rejects bad Health Connect and Samsung entries by index', async () => {
    const server = ctx();
    const { auth, user } = await setup(server);
    for (const provider of ['google', 'samsung'] as const) {
      const record = (i: number, extra: Record<string, unknown> = {}) => ({
        id: `${provider}-${i}`,
        type: 'HeartRateRecord',
        startDate: `${DAY}T08:0${i}:00Z`,
        value: 60 + i,
        unit: 'bpm',
        source: { deviceName: `${provider} watch`, deviceType: 'watch' },
        ...extra,
      });
      const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth,
        json: {
          provider,
          data: {
            records: [
              record(0),
              record(1, { unit: `bpm${NUL}` }),
              record(2, { value: 1e308, unit: 'count/s' }),
              record(3, { startDate: '0000-01-01T08:00:00Z' }),
              record(4, { metadata: { [LONE]: 1 } }),
              record(5),
            ],
          },
        },
      });
      expect(res.status, res.text).toBe(202);
      expect(res.body.accepted.samples).toBe(2);
      expect(rejectedIndices(res.body.rejected)).toEqual([
        'records.1',
        'records.2',
        'records.3',
        'records.4',
      ]);
      const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
      expect(run.result.samples).toEqual({ received: 2, inserted: 2, duplicates: 0 });
    }
    expect((await counts(server, user.id))?.samples).toBe(4);
    await expectReadsAnswer(server, auth, user.id);
  });

  it('rejects bad WearMetrics samples by index and stores the rest exactly', async () => {
    const server = ctx();
    const { auth, user } = await setup(server);
    const sample = (minute: number, extra: Record<string, unknown> = {}) => ({
      timestamp: `${DAY}T09:${String(minute).padStart(2, '0')}:00Z`,
      device_id: 'strap-1',
      source: 'ble_hrm',
      metrics: { hr: 60 + minute },
      ...extra,
    });
    const samples = [
      sample(0, { metrics: { hr: 70, steps: 100 } }),
      sample(1, { device_id: `strap${NUL}` }),
      sample(2, { source: `ble${NUL}` }),
      sample(3, { metrics: { [`hr${NUL}`]: 70 } }),
      sample(4, { meta: { note: `x${NUL}` } }),
      sample(5, { metrics: { hr: 1e308 } }),
      sample(6, { timestamp: '0000-01-01T00:00:00Z' }),
      // The second interval would place the third beat beyond any storable time.
      sample(7, { rr_ms: [800, 1e300, 800] }),
      sample(8, { rr_ms: [800, 810] }),
      sample(9, { meta: { [`k${LONE}`]: 1 } }),
      sample(10, { metrics: { steps: 1e308 } }),
    ];
    const res = await server.api.request('POST', `/api/v1/users/${user.id}/wearmetrics`, {
      auth,
      json: samples,
    });
    expect(res.status, res.text).toBe(202);
    // Sample 0: hr and steps; sample 8: hr and two beats.
    expect(res.body.accepted.samples).toBe(5);
    expect(rejectedIndices(res.body.rejected)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 9, 10].map((i) => `samples.${i}`).sort(),
    );
    const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
    expect(run).toMatchObject({ stage: 'completed' });
    expect(run.result.samples).toEqual({ received: 5, inserted: 5, duplicates: 0 });
    expect((await counts(server, user.id))?.samples).toBe(5);
    await expectReadsAnswer(server, auth, user.id);
  });

  it('keeps the rest of a batch when the database refuses one record at write time', async () => {
    const server = ctx();
    const { user } = await setup(server);
    const db = server.platform.database.db;
    // Written below the mappers, as a path without their checks would: the database refuses a NUL in a
    // source's name and in a workout's jsonb metadata, and the bounds refuse a year-0 sample.
    const batch = emptyBatch();
    batch.sources.push({ provider: 'apple', deviceName: 'Good Watch' });
    batch.sources.push({ provider: 'apple', deviceName: `Bad${NUL}Watch` });
    const at = Date.parse(`${DAY}T10:00:00Z`);
    for (let i = 0; i < 40; i++) {
      batch.samples.push({
        source: i === 7 ? 1 : 0,
        seriesTypeId: 1,
        startMs: at + i * 1000,
        durationMs: 0,
        value: 60 + i,
        utcOffsetMin: null,
      });
    }
    batch.samples.push({
      source: 0,
      seriesTypeId: 1,
      startMs: Date.parse('0000-01-01T00:00:00Z'),
      durationMs: 0,
      value: 60,
      utcOffsetMin: null,
    });
    const workout = (i: number, metadata: Record<string, unknown>) => ({
      source: 0,
      externalId: `w-${i}`,
      type: 'running',
      sourceActivityType: 'running',
      startMs: at + i * 3_600_000,
      endMs: at + i * 3_600_000 + 600_000,
      durationS: 600,
      distanceM: 1000,
      energyKcal: null,
      avgHeartRateBpm: null,
      maxHeartRateBpm: null,
      elevationGainM: null,
      steps: null,
      utcOffsetMin: null,
      statistics: {},
      segments: [],
      metadata,
      route: [],
    });
    batch.workouts.push(workout(1, {}), workout(2, { note: `a${NUL}b` }), workout(3, {}), workout(4, {}));

    const written = await writeCanonicalBatch(db, user.id, batch);
    expect(written.samples).toEqual({ received: 41, inserted: 39, duplicates: 0 });
    expect(written.workouts).toEqual({ received: 4, inserted: 3, updated: 0 });
    expect(written.write_rejected?.count).toBe(4);
    expect(written.write_rejected?.records.map((r) => r.kind).sort()).toEqual([
      'sample',
      'sample',
      'source',
      'workout',
    ]);
    expect(written.write_rejected?.records.find((r) => r.kind === 'workout')).toMatchObject({ what: 'w-2' });
    // Printable: the reasons can be stored as JSON with the run.
    for (const r of written.write_rejected?.records ?? []) {
      expect(`${r.what}${r.reason}`).not.toMatch(/\0|[\uD800-\uDFFF]/);
    }
    expect(await counts(server, user.id)).toEqual({ samples: 39, workouts: 3, sleep: 0 });

    // Written again: nothing new, nothing lost.
    const again = await writeCanonicalBatch(db, user.id, batch);
    expect(again.samples).toEqual({ received: 41, inserted: 0, duplicates: 39 });
    expect(await counts(server, user.id)).toEqual({ samples: 39, workouts: 3, sleep: 0 });
  });

  it('refuses a time zone the database does not know with 422 and stores nothing', async () => {
    const server = ctx();
    const { auth, user } = await setup(server);
    // ICU (Node) knows this zone; PostgreSQL does not.
    expect(() => new Intl.DateTimeFormat('en-US', { timeZone: 'US/Pacific-New' })).not.toThrow();
    const patch = await server.api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth,
      json: { timezone: 'US/Pacific-New', first_name: 'Changed' },
    });
    expect(patch.status).toBe(422);
    expect(patch.body.detail[0].loc).toEqual(['body', 'timezone']);
    const after = await server.api.request('GET', `/api/v1/users/${user.id}`, { auth });
    expect(after.body).toMatchObject({ timezone: null, first_name: null });

    const before = await server.api.request('GET', '/api/v1/users', { auth });
    const create = await server.api.request('POST', '/api/v1/users', {
      auth,
      json: { email: 'pacific-new@example.com', timezone: 'US/Pacific-New' },
    });
    expect(create.status).toBe(422);
    const list = await server.api.request('GET', '/api/v1/users', { auth });
    expect(list.body.pagination.total_count).toBe(before.body.pagination.total_count);

    // A known zone, in any case, is stored in the database's spelling; hourly reads follow it.
    const ok = await server.api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth,
      json: { timezone: 'europe/berlin' },
    });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.timezone).toBe('Europe/Berlin');
    await expectReadsAnswer(server, auth, user.id);
  });

  it('commits a time zone change together with its rollup rebuild, or not at all', async () => {
    const server = ctx();
    const { auth, user } = await setup(server);
    const db = server.platform.database.db;
    // Rows no ingest path can write any more (they overflow a sum), planted to make the rebuild fail.
    await sql`
      insert into samples (user_id, series_type, start_time, source_id, duration_ms, value)
      values (${user.id}, 34, ${new Date(`${DAY}T10:00:00Z`)}, 1, 0, 1e308),
             (${user.id}, 34, ${new Date(`${DAY}T10:00:01Z`)}, 1, 0, 1e308)`.execute(db);
    const patch = await server.api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth,
      json: { timezone: 'Europe/Berlin' },
    });
    expect(patch.status).not.toBe(200);
    const after = await server.api.request('GET', `/api/v1/users/${user.id}`, { auth });
    expect(after.body.timezone).toBeNull();
    await sql`delete from samples where user_id = ${user.id}`.execute(db);
  });
});
