import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { appleBatch, healthConnectBatch } from '../fixtures/sdk-batches.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';
import { eventually } from '../support/vendor-e2e.ts';

async function setup(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const token = (
    await server.api.request('POST', `/api/v1/users/${user.id}/token`, { auth: { key: dev.key } })
  ).body.access_token as string;
  return { dev, user, token };
}

async function samplesOf(server: TestServer, userId: string) {
  const { rows } = await sql<{
    type: string;
    start: Date;
    duration_ms: number;
    value: number;
    utc_offset_min: number | null;
    device_name: string | null;
    provider: string;
  }>`
    select st.name as type, s.start_time as start, s.duration_ms, s.value, s.utc_offset_min, d.device_name, d.provider
    from samples s join data_sources d on d.id = s.source_id
    join (values ${sql.raw(seriesValues())}) as st(id, name) on st.id = s.series_type
    where s.user_id = ${userId} order by s.start_time, st.name`.execute(server.platform.database.db);
  return rows;
}

// Series ids → names for readable assertions, from the catalog itself.
import { SERIES_TYPES } from '../../src/catalog/series-types.ts';

function seriesValues(): string {
  return SERIES_TYPES.map((t) => `(${t.id}, '${t.name}')`).join(', ');
}

describeEachDatabase('SDK sync (POST /sdk/users/{id}/sync)', (ctx) => {
  it('stores an Apple batch in canonical units with offsets, provenance, workouts and sleep', async () => {
    const server = ctx();
    const { dev, user, token } = await setup(server);
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { bearer: token },
      json: appleBatch(),
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status_code: 202,
      response: 'Import task queued successfully',
      user_id: user.id,
      accepted: { samples: 8, workouts: 1, sleep_intervals: 6 },
      kept_raw: { HKCategoryTypeIdentifierSexualActivity: 1 },
      rejected_count: 3,
    });
    expect(res.body.rejected.map((r: { loc: unknown[] }) => r.loc.slice(2, 5))).toEqual([
      ['records', 10, 'startDate'],
      ['records', 11, 'unit'],
      ['workouts', 1, 'endDate'],
    ]);

    const run = await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
    expect(run).toMatchObject({ source: 'sdk', provider: 'apple', stage: 'completed', status: 'partial' });
    expect(run.result.samples).toEqual({ received: 8, inserted: 8, duplicates: 0 });
    expect(run.result.rejected_count).toBe(3);

    const rows = await samplesOf(server, user.id);
    const by = (type: string) => rows.filter((r) => r.type === type);
    expect(by('heart_rate')).toEqual([
      expect.objectContaining({ value: 72, duration_ms: 0, utc_offset_min: 120, device_name: 'Apple Watch' }),
    ]);
    // HKTimeZone gave Berlin: +02:00 in April.
    expect(by('steps')[0]).toMatchObject({
      value: 1200,
      duration_ms: 600_000,
      utc_offset_min: 120,
      device_name: 'iPhone',
    });
    expect(by('steps')[0]?.start.toISOString()).toBe('2026-04-23T06:00:00.000Z');
    expect(by('oxygen_saturation')[0]).toMatchObject({ value: 97, utc_offset_min: 120 });
    expect(by('body_temperature')[0]?.value).toBe(37);
    expect(by('weight')[0]?.value).toBeCloseTo(68.0388555, 6);
    expect(by('blood_glucose')[0]?.value).toBeCloseTo(99.085734, 5);
    expect(by('energy')[0]).toMatchObject({ value: 100, duration_ms: 1_800_000 });
    expect(by('mindful_minutes')[0]?.value).toBe(15);
    // Plain Z timestamps carry no local offset.
    expect(by('body_temperature')[0]?.utc_offset_min).toBeNull();

    const db = server.platform.database.db;
    const workout = await db
      .selectFrom('workouts')
      .selectAll()
      .where('user_id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(workout).toMatchObject({
      type: 'running',
      external_id: 'hk-workout-1',
      duration_s: 2100,
      distance_m: 5200,
      energy_kcal: 342,
      avg_heart_rate_bpm: 145,
      max_heart_rate_bpm: 165,
      elevation_gain_m: 85,
      avg_pace_sec_per_km: 403.8,
    });
    expect(workout.statistics).toMatchObject({ average_running_power: { value: 250, unit: 'W' } });
    expect((workout.segments as unknown[]).length).toBe(3);
    const route = await db
      .selectFrom('workout_route_points')
      .selectAll()
      .where('workout_id', '=', workout.id)
      .execute();
    expect(route.map((p) => [p.latitude, p.longitude])).toEqual([
      [52.52, 13.405],
      [52.5201, 13.4052],
    ]);

    // One night from six intervals (five sleep entries plus the AsleepCore record), worked out by hand:
    // 22:30–23:00 in bed, 23:00–02:00 light, 02:00–03:00 deep, 03:00–03:15 awake, 03:15–05:15 REM, 05:15–06:30 in bed.
    const sessions = await db
      .selectFrom('sleep_sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({
      in_bed_s: 28_800,
      asleep_s: 21_600,
      light_s: 10_800,
      deep_s: 3600,
      rem_s: 7200,
      awake_s: 900,
      efficiency_percent: 75,
      interruptions: 1,
      is_nap: false,
    });
    expect(sessions[0]?.start_time.toISOString()).toBe('2026-04-22T22:30:00.000Z');

    const sources = await db
      .selectFrom('data_sources')
      .selectAll()
      .where('user_id', '=', user.id)
      .orderBy('device_name')
      .execute();
    expect(sources.map((s) => [s.provider, s.device_name, s.device_model, s.device_type])).toEqual([
      ['apple', 'Apple Watch', 'Watch6,3', 'watch'],
      ['apple', 'iPhone', 'iPhone15,2', 'phone'],
    ]);
    expect(sources[0]?.software_version).toBe('10.3.1');

    // The raw payload is archived, compressed.
    const raw = await db
      .selectFrom('raw_payloads')
      .select(['kind', 'size_bytes'])
      .where('user_id', '=', user.id)
      .execute();
    expect(raw).toEqual([{ kind: 'sdk_sync', size_bytes: expect.any(Number) }]);
  });

  for (const provider of ['google', 'samsung'] as const) {
    it(`maps a ${provider} batch of Health Connect records`, async () => {
      const server = ctx();
      const { dev, user } = await setup(server);
      const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        auth: { key: dev.key },
        json: healthConnectBatch(provider),
      });
      expect(res.status).toBe(202);
      expect(res.body.rejected_count).toBe(0);
      const run = await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
      expect(run.status).toBe('success');
      const rows = await samplesOf(server, user.id);
      const value = (type: string) => rows.find((r) => r.type === type);
      expect(value('heart_rate')).toMatchObject({ value: 64, utc_offset_min: 60, provider });
      expect(value('steps')).toMatchObject({ value: 4321, duration_ms: 3_600_000 });
      expect(value('weight')?.value).toBe(70.5);
      expect(value('oxygen_saturation')?.value).toBe(96);
      expect(value('distance_other')?.value).toBe(3100);
      const db = server.platform.database.db;
      const workout = await db
        .selectFrom('workouts')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(workout).toMatchObject({
        type: 'cycling',
        distance_m: 20000,
        source_activity_type: 'EXERCISE_TYPE_BIKING',
      });
      const session = await db
        .selectFrom('sleep_sessions')
        .selectAll()
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      expect(session).toMatchObject({ light_s: 14_400, deep_s: 3600, asleep_s: 18_000 });
    });
  }

  it('rejects a malformed envelope, or a batch with nothing valid, with 422 naming the index', async () => {
    const server = ctx();
    const { dev, user } = await setup(server);
    const post = (json: unknown) =>
      server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, { auth: { key: dev.key }, json });
    const noProvider = await post({ data: { records: [] } });
    expect(noProvider.status).toBe(422);
    expect(noProvider.body.detail[0].loc).toEqual(['body', 'provider']);
    const badProvider = await post({ provider: 'fitbit', data: {} });
    expect(badProvider.status).toBe(422);
    const recordsNotArray = await post({ provider: 'apple', data: { records: { a: 1 } } });
    expect(recordsNotArray.body.detail[0].loc).toEqual(['body', 'data', 'records']);
    const allBad = await post({
      provider: 'apple',
      data: { records: [{ type: 'HKQuantityTypeIdentifierHeartRate', startDate: 'noon', value: 70 }] },
    });
    expect(allBad.status).toBe(422);
    expect(allBad.body.detail[0]).toMatchObject({ loc: ['body', 'data', 'records', 0, 'startDate'] });
    const empty = await post({ provider: 'apple', data: {} });
    expect(empty.status).toBe(202);
  });

  it('scopes SDK tokens to their user and keys to their developer', async () => {
    const server = ctx();
    const a = await setup(server);
    const other = await server.api.createUser(a.dev.key);
    const b = await setup(server);
    const forOther = await server.api.request('POST', `/api/v1/sdk/users/${other.id}/sync`, {
      auth: { bearer: a.token },
      json: appleBatch(),
    });
    expect(forOther.status).toBe(403);
    const crossTenant = await server.api.request('POST', `/api/v1/sdk/users/${a.user.id}/sync`, {
      auth: { key: b.dev.key },
      json: appleBatch(),
    });
    expect(crossTenant.status).toBe(404);
  });

  it('summarises stored data per series type and provider', async () => {
    const server = ctx();
    const { dev, user } = await setup(server);
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { key: dev.key },
      json: appleBatch(),
    });
    await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
    const google = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { key: dev.key },
      json: healthConnectBatch('google'),
    });
    await waitForRun(server.api, { key: dev.key }, user.id, google.body.run_id);
    const summary = await server.api.request('GET', `/api/v1/users/${user.id}/summaries/data`, {
      auth: { key: dev.key },
    });
    expect(summary.status).toBe(200);
    expect(summary.body.total_samples).toBe(13);
    expect(summary.body.series).toContainEqual(
      expect.objectContaining({ series_type: 'heart_rate', unit: 'bpm', provider: 'apple', count: 1 }),
    );
    expect(summary.body.series).toContainEqual(
      expect.objectContaining({ series_type: 'heart_rate', provider: 'google', count: 1 }),
    );
    expect(summary.body.workouts).toEqual([
      { provider: 'apple', count: 1 },
      { provider: 'google', count: 1 },
    ]);
    expect(summary.body.sleep_sessions).toEqual([
      { provider: 'apple', count: 1 },
      { provider: 'google', count: 1 },
    ]);

    // Deleting the user removes every sample too (samples carry no foreign key), by the deletion job.
    expect(
      (await server.api.request('DELETE', `/api/v1/users/${user.id}`, { auth: { key: dev.key } })).status,
    ).toBe(204);
    await eventually(async () => {
      const left = await server.platform.database.db
        .selectFrom('samples')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      return Number(left.n) === 0 ? true : undefined;
    }, "the deleted user's samples to go");
  });
});
