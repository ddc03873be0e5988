import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

interface WearMetricsObject {
  timestamp: string;
  device_id: string;
  source: string;
  metrics: Record<string, number>;
  meta: Record<string, unknown>;
  rr_ms?: number[];
}

async function seed(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const send = async (path: string, json: unknown) => {
    const res = await server.api.request('POST', `/api/v1/${path}`, { auth, json });
    expect(res.status).toBe(202);
    const run = await waitForRun(server.api, auth, user.id, res.body.run_id);
    expect(run.stage).toBe('completed');
  };
  const postWearMetrics = (samples: unknown[]) => send(`users/${user.id}/wearmetrics`, samples);
  const postSdk = (provider: string, records: unknown[]) =>
    send(`sdk/users/${user.id}/sync`, { provider, data: { records } });
  const get = (query: string, key = dev.key) =>
    server.api.request<{
      data: WearMetricsObject[];
      pagination: { next_cursor: string | null; has_more: boolean };
      detail: any;
    }>('GET', `/api/v1/users/${user.id}/wearmetrics?${query}`, { auth: { key } });
  const all = async (query: string, limit: number, between?: () => Promise<void>) => {
    const out: WearMetricsObject[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(limit);
      expect(res.body.pagination.has_more).toBe(res.body.pagination.next_cursor !== null);
      out.push(res.body.data);
      cursor = res.body.pagination.next_cursor;
      if (out.length === 1 && between) await between();
    } while (cursor !== null);
    return out;
  };
  return { postWearMetrics, postSdk, get, all };
}

const OCT_20 = 'start_time=2025-10-20T00:00:00Z&end_time=2025-10-21T00:00:00Z';
const key = (o: WearMetricsObject) => `${o.timestamp} ${o.device_id}`;

const SPEC_SAMPLE = {
  timestamp: '2025-10-20T18:30:00Z',
  device_id: 'applewatch_1234',
  source: 'apple_healthkit',
  metrics: { hr: 72, hrv_rmssd: 45, hrv_sdnn: 62, steps: 1045, calories: 120.4, distance: 2.5, stress: 23 },
  meta: { battery: 0.82, synced: true },
  rr_ms: [800, 850, 820],
};

describeEachDatabase('WearMetrics out (spec 003)', (ctx) => {
  it('round-trips WearMetrics samples: same metric values, distance back in km, RR intervals in rr_ms', async () => {
    const { postWearMetrics, get } = await seed(ctx());
    const sent = [
      SPEC_SAMPLE,
      {
        timestamp: '2025-10-20T18:31:00Z',
        device_id: 'whoop_7f3a',
        source: 'whoop',
        metrics: { hr: 58, distance: 1.2345, calories: 33.3 },
        meta: { source_type: 'whoop_cloud' },
      },
      {
        timestamp: '2025-10-20T18:31:00Z',
        device_id: 'fenix',
        source: 'garmin_sdk',
        metrics: { stress: 41 },
      },
      // Unknown adapters are tolerated on the way in and keep their id on the way out.
      {
        timestamp: '2025-10-20T18:32:00+02:00',
        device_id: 'strap-01',
        source: 'polar_h10_ble',
        metrics: { hr: 75 },
      },
    ];
    await postWearMetrics(sent);
    const res = await get(OCT_20);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ next_cursor: null, has_more: false });
    const byKey = new Map(res.body.data.map((o) => [key(o), o]));

    expect(byKey.get('2025-10-20T18:30:00.000Z applewatch_1234')).toEqual({
      timestamp: '2025-10-20T18:30:00.000Z',
      device_id: 'applewatch_1234',
      source: 'apple_healthkit',
      metrics: SPEC_SAMPLE.metrics,
      meta: { provider: 'apple' },
      rr_ms: [800],
    });
    expect(byKey.get('2025-10-20T18:31:00.000Z whoop_7f3a')).toEqual({
      timestamp: '2025-10-20T18:31:00.000Z',
      device_id: 'whoop_7f3a',
      source: 'whoop',
      metrics: { hr: 58, distance: 1.2345, calories: 33.3 },
      meta: { provider: 'whoop', device_type: 'whoop_cloud' },
    });
    expect(byKey.get('2025-10-20T18:31:00.000Z fenix')).toMatchObject({
      source: 'garmin_sdk',
      metrics: { stress: 41 },
      meta: { provider: 'garmin' },
    });
    expect(byKey.get('2025-10-20T16:32:00.000Z strap-01')).toMatchObject({
      source: 'polar_h10_ble',
      metrics: { hr: 75 },
    });

    // Beats are stored at their own instants (+0, +0.8 s, +1.65 s), so each is its own object, in order.
    const watch = res.body.data.filter((o) => o.device_id === 'applewatch_1234');
    expect(watch.map((o) => [o.timestamp, o.rr_ms])).toEqual([
      ['2025-10-20T18:30:00.000Z', [800]],
      ['2025-10-20T18:30:00.800Z', [850]],
      ['2025-10-20T18:30:01.650Z', [820]],
    ]);
    expect(watch.flatMap((o) => o.rr_ms ?? [])).toEqual(SPEC_SAMPLE.rr_ms);
    expect(watch.slice(1).map((o) => o.metrics)).toEqual([{}, {}]);

    // Sorted by time, then source: the objects never go backwards in time.
    const times = res.body.data.map((o) => o.timestamp);
    expect(times).toEqual([...times].sort());
    expect(res.body.data).toHaveLength(6);
  });

  it('maps SDK data: platform adapter ids, canonical names for other types, meta without nulls', async () => {
    const { postSdk, get } = await seed(ctx());
    const watch = { name: 'Health', deviceName: 'Apple Watch', deviceModel: 'Watch6,3', deviceType: 'watch' };
    await postSdk('apple', [
      {
        type: 'HKQuantityTypeIdentifierHeartRate',
        startDate: '2025-10-20T08:30:00+02:00',
        value: 61,
        unit: 'count/min',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierBodyTemperature',
        startDate: '2025-10-20T06:00:00Z',
        value: 98.6,
        unit: 'degF',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierDistanceWalkingRunning',
        startDate: '2025-10-20T06:00:00Z',
        endDate: '2025-10-20T06:10:00Z',
        value: 800,
        unit: 'm',
        source: watch,
      },
      // Same start, two durations, one source: amounts add up, levels average.
      {
        type: 'HKQuantityTypeIdentifierStepCount',
        startDate: '2025-10-20T07:00:00Z',
        endDate: '2025-10-20T07:10:00Z',
        value: 100,
        unit: 'count',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierStepCount',
        startDate: '2025-10-20T07:00:00Z',
        endDate: '2025-10-20T07:01:00Z',
        value: 20,
        unit: 'count',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierHeartRate',
        startDate: '2025-10-20T07:00:00Z',
        value: 60,
        unit: 'count/min',
        source: watch,
      },
      {
        type: 'HKQuantityTypeIdentifierHeartRate',
        startDate: '2025-10-20T07:00:00Z',
        endDate: '2025-10-20T07:01:00Z',
        value: 70,
        unit: 'count/min',
        source: watch,
      },
      // No source at all: the device id falls back to the data source's id.
      {
        type: 'HKQuantityTypeIdentifierHeartRate',
        startDate: '2025-10-20T09:00:00Z',
        value: 66,
        unit: 'count/min',
      },
    ]);
    await postSdk('google', [
      {
        type: 'HeartRateRecord',
        startDate: '2025-10-20T10:00:00Z',
        value: 64,
        unit: 'bpm',
        source: { deviceName: 'Pixel Watch 2', deviceType: 'watch' },
      },
    ]);
    await postSdk('samsung', [
      { type: 'HeartRateRecord', startDate: '2025-10-20T11:00:00Z', value: 65, unit: 'bpm', source: {} },
    ]);
    const res = await get(OCT_20);
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.map((o) => [o.timestamp.slice(11, 16), o.source, o.metrics])).toEqual([
      ['06:00', 'apple_healthkit', { body_temperature: 37, distance_walking_running: 800 }],
      ['06:30', 'apple_healthkit', { hr: 61 }],
      ['07:00', 'apple_healthkit', { hr: 65, steps: 120 }],
      ['09:00', 'apple_healthkit', { hr: 66 }],
      ['10:00', 'health_connect', { hr: 64 }],
      ['11:00', 'samsung_health', { hr: 65 }],
    ]);
    expect(data[0]?.meta).toEqual({ provider: 'apple', device_model: 'Watch6,3', device_type: 'watch' });
    expect(data[1]?.meta).toEqual({
      provider: 'apple',
      device_model: 'Watch6,3',
      device_type: 'watch',
      utc_offset_minutes: 120,
    });
    expect(data[0]?.device_id).toBe('Apple Watch');
    expect(data[3]?.device_id).toMatch(/^source-\d+$/);
    expect(data[3]?.meta).toEqual({ provider: 'apple' });
    expect(data[4]).toMatchObject({
      device_id: 'Pixel Watch 2',
      meta: { provider: 'google', device_type: 'watch' },
    });
    // start_time inclusive, end_time exclusive
    const window = await get('start_time=2025-10-20T07:00:00Z&end_time=2025-10-20T10:00:00Z');
    expect(window.body.data.map((o) => o.timestamp)).toEqual([
      '2025-10-20T07:00:00.000Z',
      '2025-10-20T09:00:00.000Z',
    ]);
  });

  it('pages whole objects by (timestamp, source), never splitting one, without skipping or repeating', async () => {
    const { postWearMetrics, all } = await seed(ctx());
    const sample = (time: string, device: string, hr: number) => ({
      timestamp: `2025-10-20T${time}:00Z`,
      device_id: device,
      source: 'garmin',
      metrics: { hr, hrv_rmssd: hr / 2, steps: hr * 10, calories: hr / 4, distance: hr / 100, stress: 30 },
    });
    await postWearMetrics([
      sample('12:00', 'a', 60),
      sample('12:00', 'b', 61),
      sample('12:01', 'a', 62),
      sample('12:02', 'a', 63),
      sample('12:02', 'b', 64),
      sample('12:02', 'c', 65),
      sample('12:05', 'a', 66),
    ]);
    const [onePage = []] = await all(OCT_20, 1000);
    expect(onePage).toHaveLength(7);
    for (const o of onePage) expect(Object.keys(o.metrics)).toHaveLength(6);
    for (const limit of [1, 2, 3]) {
      const pages = await all(OCT_20, limit);
      expect(pages.flat()).toEqual(onePage);
      // Every object arrives whole, with all its metrics, on exactly one page.
      for (const o of pages.flat()) expect(Object.keys(o.metrics)).toHaveLength(6);
    }

    // New objects land between page 1 and 2 (which ended at 12:00 b): one before the cursor (already
    // passed, never shown), one at the same instant from a newer source (after it by source id), one later.
    const pages = await all(OCT_20, 2, () =>
      postWearMetrics([sample('11:59', 'y', 70), sample('12:00', 'z', 71), sample('12:09', 'a', 72)]),
    );
    const keys = pages.flat().map(key);
    expect(new Set(keys).size).toBe(keys.length);
    const before = onePage.map(key);
    expect(keys).toEqual([
      ...before.slice(0, 2),
      '2025-10-20T12:00:00.000Z z',
      ...before.slice(2),
      '2025-10-20T12:09:00.000Z a',
    ]);
  });

  it('rejects bad parameters with 422 and hides other developers’ users', async () => {
    const server = ctx();
    const { postWearMetrics, get } = await seed(server);
    await postWearMetrics([
      { timestamp: '2025-10-20T18:30:00Z', device_id: 'a', source: 'oura', metrics: { hr: 50 } },
      { timestamp: '2025-10-20T18:31:00Z', device_id: 'a', source: 'oura', metrics: { hr: 51 } },
    ]);
    for (const query of [
      'end_time=2025-10-21T00:00:00Z',
      'start_time=2025-10-20T00:00:00Z',
      'start_time=2025-10-20&end_time=2025-10-21',
      'start_time=2025-10-21T00:00:00Z&end_time=2025-10-20T00:00:00Z',
      `${OCT_20}&limit=0`,
      `${OCT_20}&limit=1001`,
      `${OCT_20}&cursor=junk`,
    ]) {
      const res = await get(query);
      expect(res.status, query).toBe(422);
      expect(res.body.detail[0].loc[0]).toBe('query');
    }
    const first = await get(`${OCT_20}&limit=1`);
    const cursor = first.body.pagination.next_cursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await get(`${OCT_20}&limit=1&cursor=${cursor}`)).body.data[0]?.metrics).toEqual({ hr: 51 });
    const otherRange = 'start_time=2025-10-19T00:00:00Z&end_time=2025-10-21T00:00:00Z';
    expect((await get(`${otherRange}&cursor=${cursor}`)).status).toBe(422);

    const other = await server.api.registerDeveloper('B');
    const res = await get(OCT_20, other.key);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'User not found' });
  });
});
