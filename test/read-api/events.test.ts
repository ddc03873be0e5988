import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

const watch = { name: 'Workout', deviceName: 'Apple Watch', deviceModel: 'Watch6,3', deviceType: 'watch' };
const phone = { name: 'Health', deviceName: 'iPhone', deviceType: 'phone' };
const appOnly = { name: 'Strava' };

const workout = (
  id: string,
  type: string,
  start: string,
  end: string,
  extra: Record<string, unknown> = {},
) => ({
  id,
  type,
  startDate: start,
  endDate: end,
  source: watch,
  ...extra,
});
const stage = (stage: string, start: string, end: string, source: object = watch) => ({
  stage,
  startDate: start,
  endDate: end,
  source,
});
const quantity =
  (type: string, unit: string) =>
  (at: string, value: number, source: object = watch) => ({
    type,
    startDate: at,
    value,
    unit,
    source,
  });
const hr = quantity('HKQuantityTypeIdentifierHeartRate', 'count/min');
const hrv = quantity('HKQuantityTypeIdentifierHeartRateVariabilitySDNN', 'ms');
const spo2 = quantity('HKQuantityTypeIdentifierOxygenSaturation', '%');

async function seed(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const post = async (data: { records?: unknown[]; workouts?: unknown[]; sleep?: unknown[] }) => {
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth,
      json: { provider: 'apple', data },
    });
    expect(res.status).toBe(202);
    const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
    expect(run.status).toBe('success');
  };
  const get = (kind: 'workouts' | 'sleep', query: string, key = dev.key) =>
    server.api.request('GET', `/api/v1/users/${user.id}/events/${kind}?${query}`, { auth: { key } });
  return { dev, user, post, get };
}

/** Follows next_cursor to the end; `between` runs once, after the first page. */
async function collect(
  get: (cursor: string | null) => Promise<{ status: number; body: any }>,
  between?: () => Promise<void>,
) {
  const ids: string[] = [];
  const totals: number[] = [];
  let cursor: string | null = null;
  let first = true;
  do {
    const res = await get(cursor);
    expect(res.status).toBe(200);
    ids.push(...res.body.data.map((item: { id: string; start_time: string }) => item.start_time));
    totals.push(res.body.pagination.total_count);
    expect(res.body.pagination.has_more).toBe(res.body.pagination.next_cursor !== null);
    cursor = res.body.pagination.next_cursor;
    if (first && between) await between();
    first = false;
  } while (cursor !== null);
  return { starts: ids, totals };
}

describeEachDatabase('events: workouts and sleep', (ctx) => {
  it('serves workouts in the spec shape with source, route size and nulls kept', async () => {
    const { post, get } = await seed(ctx());
    await post({
      workouts: [
        workout('run-1', 'running', '2026-04-15T06:00:00Z', '2026-04-15T06:35:00Z', {
          zoneOffset: '+02:00',
          values: [
            { type: 'distance', value: 5.2, unit: 'km' },
            { type: 'activeEnergyBurned', value: 342, unit: 'kcal' },
            { type: 'averageHeartRate', value: 145, unit: 'count/min' },
            { type: 'maxHeartRate', value: 165, unit: 'count/min' },
            { type: 'elevationAscended', value: 85, unit: 'm' },
            { type: 'stepCount', value: 5400, unit: 'count' },
            { type: 'averageRunningPower', value: 250, unit: 'W' },
          ],
          events: [{ type: 'lap', startDate: '2026-04-15T06:00:00Z', endDate: '2026-04-15T06:17:00Z' }],
          route: [
            { timestamp: '2026-04-15T06:00:00Z', latitude: 52.52, longitude: 13.405 },
            { timestamp: '2026-04-15T06:00:05Z', latitude: 52.5201, longitude: 13.4052 },
            { timestamp: '2026-04-15T06:00:10Z', latitude: 52.5202, longitude: 13.4054 },
          ],
        }),
        { ...workout('yoga-1', 'yoga', '2026-04-16T18:00:00Z', '2026-04-16T18:45:00Z'), source: appOnly },
      ],
    });
    const res = await get('workouts', 'start_date=2026-04-15&end_date=2026-04-16');
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ next_cursor: null, has_more: false, total_count: 2 });
    const [run, yoga] = res.body.data;
    expect(run).toEqual({
      id: expect.any(String),
      type: 'running',
      start_time: '2026-04-15T06:00:00.000Z',
      end_time: '2026-04-15T06:35:00.000Z',
      duration_seconds: 2100,
      distance_meters: 5200,
      calories_kcal: 342,
      avg_heart_rate_bpm: 145,
      max_heart_rate_bpm: 165,
      // 2100 s over 5.2 km
      avg_pace_sec_per_km: 403.8,
      elevation_gain_meters: 85,
      steps: 5400,
      source: { provider: 'apple', device: 'Apple Watch' },
      source_activity_type: 'running',
      utc_offset_minutes: 120,
      statistics: expect.objectContaining({ average_running_power: { value: 250, unit: 'W' } }),
      segments: [expect.objectContaining({ kind: expect.any(String) })],
      route_points: 3,
    });
    expect(yoga).toMatchObject({
      type: 'yoga',
      duration_seconds: 2700,
      distance_meters: null,
      calories_kcal: null,
      avg_heart_rate_bpm: null,
      max_heart_rate_bpm: null,
      avg_pace_sec_per_km: null,
      elevation_gain_meters: null,
      steps: null,
      // No device: the app names the source.
      source: { provider: 'apple', device: 'Strava' },
      utc_offset_minutes: null,
      route_points: 0,
    });
  });

  it('filters by UTC calendar day of the start time, end_date inclusive', async () => {
    const { post, get } = await seed(ctx());
    await post({
      workouts: [
        workout('a', 'walking', '2026-04-14T23:59:59Z', '2026-04-15T00:30:00Z'),
        workout('b', 'walking', '2026-04-15T00:00:00Z', '2026-04-15T00:30:00Z'),
        workout('c', 'walking', '2026-04-16T23:59:59Z', '2026-04-17T00:30:00Z'),
        workout('d', 'walking', '2026-04-17T00:00:00Z', '2026-04-17T00:30:00Z'),
      ],
    });
    const starts = async (query: string) =>
      (await get('workouts', query)).body.data.map((w: { start_time: string }) => w.start_time);
    expect(await starts('start_date=2026-04-15&end_date=2026-04-16')).toEqual([
      '2026-04-15T00:00:00.000Z',
      '2026-04-16T23:59:59.000Z',
    ]);
    expect(await starts('start_date=2026-04-17&end_date=2026-04-17')).toEqual(['2026-04-17T00:00:00.000Z']);
    expect(await starts('start_date=2026-04-10&end_date=2026-04-14')).toEqual(['2026-04-14T23:59:59.000Z']);
    expect(await starts('start_date=2026-04-18&end_date=2026-05-18')).toEqual([]);
  });

  it('pages workouts by (start_time, id) without skipping or repeating while new ones arrive', async () => {
    const { post, get } = await seed(ctx());
    await post({
      workouts: [
        workout('w1', 'running', '2026-04-15T06:00:00Z', '2026-04-15T07:00:00Z'),
        workout('w2', 'cycling', '2026-04-15T09:00:00Z', '2026-04-15T10:00:00Z'),
        // Two workouts starting at the same instant (two devices): the id breaks the tie.
        workout('w3', 'walking', '2026-04-15T12:00:00Z', '2026-04-15T12:30:00Z'),
        { ...workout('w3', 'walking', '2026-04-15T12:00:00Z', '2026-04-15T12:30:00Z'), source: phone },
        workout('w4', 'yoga', '2026-04-16T08:00:00Z', '2026-04-16T09:00:00Z'),
        workout('w5', 'hiking', '2026-04-16T10:00:00Z', '2026-04-16T14:00:00Z'),
      ],
    });
    const query = 'start_date=2026-04-15&end_date=2026-04-16';
    const all = await get('workouts', `${query}&limit=100`);
    expect(all.body.pagination.total_count).toBe(6);
    const allIds = all.body.data.map((w: { id: string }) => w.id);
    const byPage = async (limit: number, between?: () => Promise<void>) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      let first = true;
      let total = 0;
      do {
        const res = await get('workouts', `${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.data.length).toBeLessThanOrEqual(limit);
        ids.push(...res.body.data.map((w: { id: string }) => w.id));
        cursor = res.body.pagination.next_cursor;
        total = res.body.pagination.total_count;
        if (first && between) await between();
        first = false;
      } while (cursor !== null);
      return { ids, total };
    };
    for (const limit of [1, 2, 4]) expect((await byPage(limit)).ids).toEqual(allIds);

    // Between page 1 and 2: one workout before the cursor (already passed) and one after it.
    const paged = await byPage(3, () =>
      post({
        workouts: [
          workout('late-early', 'rowing', '2026-04-15T05:00:00Z', '2026-04-15T05:30:00Z'),
          workout('late-later', 'rowing', '2026-04-16T20:00:00Z', '2026-04-16T20:30:00Z'),
        ],
      }),
    );
    const after = (await get('workouts', `${query}&limit=100`)).body.data as {
      id: string;
      start_time: string;
    }[];
    const later = after.find((w) => w.start_time === '2026-04-16T20:00:00.000Z');
    expect(new Set(paged.ids).size).toBe(paged.ids.length);
    expect(paged.ids).toEqual([...allIds, later?.id]);
    expect(paged.total).toBe(8);
  });

  it('serves sleep with minutes, efficiency, timeline and vitals averaged over samples inside the session', async () => {
    const { post, get } = await seed(ctx());
    await post({
      sleep: [
        // 22:00–00:00 light, 00:00–01:00 deep, 01:00–01:10:20 awake, 01:10:20–03:00 REM, 03:00–06:00 light
        stage('asleep_light', '2026-04-15T22:00:00Z', '2026-04-16T00:00:00Z'),
        stage('asleep_deep', '2026-04-16T00:00:00Z', '2026-04-16T01:00:00Z'),
        stage('awake', '2026-04-16T01:00:00Z', '2026-04-16T01:10:20Z'),
        stage('asleep_rem', '2026-04-16T01:10:20Z', '2026-04-16T03:00:00Z'),
        stage('asleep_light', '2026-04-16T03:00:00Z', '2026-04-16T06:00:00Z'),
        // A daytime nap from the phone.
        stage('sleeping', '2026-04-16T13:00:00Z', '2026-04-16T13:30:00Z', phone),
      ],
      records: [
        // Heart rate: 50, 60 (another source), 70 inside the night; 80 before, 90 at and after its end.
        hr('2026-04-15T21:59:59Z', 80),
        hr('2026-04-15T22:00:00Z', 50),
        hr('2026-04-16T01:00:00Z', 60, phone),
        hr('2026-04-16T05:59:59Z', 70),
        hr('2026-04-16T06:00:00Z', 90),
        hr('2026-04-16T07:00:00Z', 90),
        // HRV 40, 45, 46 → 43.666… → 43.7
        hrv('2026-04-15T23:00:00Z', 40),
        hrv('2026-04-16T02:00:00Z', 45),
        hrv('2026-04-16T04:00:00Z', 46),
        // SpO2 as HealthKit fractions → 96, 97, 98 percent
        spo2('2026-04-15T23:30:00Z', 0.96),
        spo2('2026-04-16T02:30:00Z', 0.97),
        spo2('2026-04-16T04:30:00Z', 0.98),
        // Inside the nap
        hr('2026-04-16T13:10:00Z', 64, phone),
      ],
    });
    const res = await get('sleep', 'start_date=2026-04-15&end_date=2026-04-16');
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ next_cursor: null, has_more: false, total_count: 2 });
    const [night, nap] = res.body.data;
    expect(night).toEqual({
      id: expect.any(String),
      start_time: '2026-04-15T22:00:00.000Z',
      end_time: '2026-04-16T06:00:00.000Z',
      duration_seconds: 28_800,
      // 300 light + 60 deep + 109 min 40 s REM
      sleep_duration_seconds: 28_180,
      // 28180 / 28800
      efficiency_percent: 97.8,
      is_nap: false,
      stages: {
        awake_minutes: 10.3,
        light_minutes: 300,
        deep_minutes: 60,
        rem_minutes: 109.7,
        unknown_minutes: 0,
      },
      interruptions: 1,
      avg_heart_rate_bpm: 60,
      avg_hrv_sdnn_ms: 43.7,
      avg_respiratory_rate: null,
      avg_spo2_percent: 97,
      source: { provider: 'apple', device: 'Apple Watch' },
      utc_offset_minutes: null,
      timeline: [
        { stage: 'light', start: '2026-04-15T22:00:00.000Z', end: '2026-04-16T00:00:00.000Z' },
        { stage: 'deep', start: '2026-04-16T00:00:00.000Z', end: '2026-04-16T01:00:00.000Z' },
        { stage: 'awake', start: '2026-04-16T01:00:00.000Z', end: '2026-04-16T01:10:20.000Z' },
        { stage: 'rem', start: '2026-04-16T01:10:20.000Z', end: '2026-04-16T03:00:00.000Z' },
        { stage: 'light', start: '2026-04-16T03:00:00.000Z', end: '2026-04-16T06:00:00.000Z' },
      ],
    });
    expect(nap).toMatchObject({
      is_nap: true,
      duration_seconds: 1800,
      sleep_duration_seconds: 1800,
      avg_heart_rate_bpm: 64,
      avg_hrv_sdnn_ms: null,
      avg_spo2_percent: null,
      source: { provider: 'apple', device: 'iPhone' },
    });
  });

  it('pages sleep sessions without skipping or repeating while a new night arrives', async () => {
    const { post, get } = await seed(ctx());
    const night = (day: number) =>
      stage(
        'asleep_light',
        `2026-04-${String(day).padStart(2, '0')}T23:00:00Z`,
        `2026-04-${String(day + 1).padStart(2, '0')}T06:00:00Z`,
      );
    await post({ sleep: [night(10), night(12), night(14)] });
    const query = 'start_date=2026-04-01&end_date=2026-04-30';
    const whole = await collect((cursor) =>
      get('sleep', `${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`),
    );
    const paged = await collect(
      (cursor) => get('sleep', `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      () => post({ sleep: [night(5), night(20)] }),
    );
    expect(paged.starts).toEqual([...whole.starts, '2026-04-20T23:00:00.000Z']);
    expect(paged.totals).toEqual([3, 5]);
  });

  it('rejects bad parameters with 422 and hides other developers’ users', async () => {
    const server = ctx();
    const { post, get } = await seed(server);
    await post({
      workouts: [
        workout('x', 'running', '2026-04-15T06:00:00Z', '2026-04-15T07:00:00Z'),
        workout('y', 'running', '2026-04-15T08:00:00Z', '2026-04-15T09:00:00Z'),
      ],
    });
    const range = 'start_date=2026-04-15&end_date=2026-04-16';
    for (const kind of ['workouts', 'sleep'] as const) {
      for (const query of [
        'end_date=2026-04-16',
        'start_date=2026-04-15',
        'start_date=2026-4-15&end_date=2026-04-16',
        'start_date=2026-04-15&end_date=2026-02-30',
        'start_date=2026-04-16&end_date=2026-04-15',
        `${range}&limit=0`,
        `${range}&limit=101`,
        `${range}&cursor=junk`,
      ]) {
        const res = await get(kind, query);
        expect(res.status, `${kind}?${query}`).toBe(422);
        expect(res.body.detail[0].loc[0]).toBe('query');
      }
    }
    const reversed = await get('workouts', 'start_date=2026-04-16&end_date=2026-04-15');
    expect(reversed.body.detail[0]).toMatchObject({ loc: ['query', 'end_date'] });

    // A cursor is tied to its list and range.
    const first = await get('workouts', `${range}&limit=1`);
    const cursor = first.body.pagination.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await get('workouts', `${range}&limit=1&cursor=${cursor}`)).status).toBe(200);
    expect((await get('sleep', `${range}&cursor=${cursor}`)).status).toBe(422);
    expect((await get('workouts', `start_date=2026-04-14&end_date=2026-04-16&cursor=${cursor}`)).status).toBe(
      422,
    );

    const other = await server.api.registerDeveloper('B');
    for (const kind of ['workouts', 'sleep'] as const) {
      const res = await get(kind, range, other.key);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ detail: 'User not found' });
    }
  });
});
