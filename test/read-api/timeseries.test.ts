import { expect, it } from 'vitest';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

const watch = { deviceName: 'Apple Watch', deviceType: 'watch' };
const phone = { deviceName: 'iPhone', deviceType: 'phone' };
const hr = (at: string, value: number) => ({
  type: 'HKQuantityTypeIdentifierHeartRate',
  startDate: `2026-04-15T${at}Z`,
  value,
  unit: 'count/min',
  source: watch,
});
const steps = (from: string, to: string, value: number, source = watch) => ({
  type: 'HKQuantityTypeIdentifierStepCount',
  startDate: `2026-04-15T${from}Z`,
  endDate: `2026-04-15T${to}Z`,
  value,
  unit: 'count',
  source,
});

const records = [
  hr('06:00:10', 60),
  hr('06:00:40', 80),
  hr('06:01:20', 100),
  hr('06:07:00', 70),
  hr('07:10:00', 90),
  steps('06:00:00', '06:00:30', 10),
  steps('06:00:30', '06:01:00', 20),
  steps('06:01:00', '06:02:00', 30),
  steps('06:14:00', '06:15:00', 40),
  steps('06:20:00', '06:21:00', 50),
  steps('06:00:05', '06:00:50', 5, phone),
];

async function seed(server: TestServer, body: unknown[] = records) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const post = async (recs: unknown[]) => {
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { key: dev.key },
      json: { provider: 'apple', data: { records: recs } },
    });
    await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
  };
  await post(body);
  const get = (query: string) =>
    server.api.request(
      'GET',
      `/api/v1/users/${user.id}/timeseries?start_time=2026-04-15T00:00:00Z&end_time=2026-04-16T00:00:00Z&${query}`,
      {
        auth: { key: dev.key },
      },
    );
  return { get, post };
}

type Point = {
  timestamp: string;
  series_type: string;
  value: number;
  min?: number;
  max?: number;
  count?: number;
  source: { device: string };
};
const brief = (points: Point[]) =>
  points.map((p) => [
    p.timestamp.slice(11, 16),
    p.series_type,
    p.source.device,
    p.value,
    p.min,
    p.max,
    p.count,
  ]);

describeEachDatabase('timeseries', (ctx) => {
  it('aggregates every resolution in SQL: sums for steps, averages with min/max for heart rate', async () => {
    const { get } = await seed(ctx());
    const all = async (resolution: string) =>
      (await get(`resolution=${resolution}&limit=100`)).body.data as Point[];
    expect(brief(await all('1min'))).toEqual([
      ['06:00', 'heart_rate', 'Apple Watch', 70, 60, 80, 2],
      ['06:00', 'steps', 'Apple Watch', 30, 10, 20, 2],
      ['06:00', 'steps', 'iPhone', 5, 5, 5, 1],
      ['06:01', 'heart_rate', 'Apple Watch', 100, 100, 100, 1],
      ['06:01', 'steps', 'Apple Watch', 30, 30, 30, 1],
      ['06:07', 'heart_rate', 'Apple Watch', 70, 70, 70, 1],
      ['06:14', 'steps', 'Apple Watch', 40, 40, 40, 1],
      ['06:20', 'steps', 'Apple Watch', 50, 50, 50, 1],
      ['07:10', 'heart_rate', 'Apple Watch', 90, 90, 90, 1],
    ]);
    expect(brief(await all('5min'))).toEqual([
      ['06:00', 'heart_rate', 'Apple Watch', 80, 60, 100, 3],
      ['06:00', 'steps', 'Apple Watch', 60, 10, 30, 3],
      ['06:00', 'steps', 'iPhone', 5, 5, 5, 1],
      ['06:05', 'heart_rate', 'Apple Watch', 70, 70, 70, 1],
      ['06:10', 'steps', 'Apple Watch', 40, 40, 40, 1],
      ['06:20', 'steps', 'Apple Watch', 50, 50, 50, 1],
      ['07:10', 'heart_rate', 'Apple Watch', 90, 90, 90, 1],
    ]);
    expect(brief(await all('15min'))).toEqual([
      ['06:00', 'heart_rate', 'Apple Watch', 77.5, 60, 100, 4],
      ['06:00', 'steps', 'Apple Watch', 100, 10, 40, 4],
      ['06:00', 'steps', 'iPhone', 5, 5, 5, 1],
      ['06:15', 'steps', 'Apple Watch', 50, 50, 50, 1],
      ['07:00', 'heart_rate', 'Apple Watch', 90, 90, 90, 1],
    ]);
    const hourly = await get('resolution=1hour&types=heart_rate,steps');
    expect(brief(hourly.body.data)).toEqual([
      ['06:00', 'heart_rate', 'Apple Watch', 77.5, 60, 100, 4],
      ['06:00', 'steps', 'Apple Watch', 150, 10, 50, 5],
      ['06:00', 'steps', 'iPhone', 5, 5, 5, 1],
      ['07:00', 'heart_rate', 'Apple Watch', 90, 90, 90, 1],
    ]);
    expect(hourly.body.data[0]).toMatchObject({ unit: 'bpm', aggregation: 'avg' });
    expect(hourly.body.data[1]).toMatchObject({ unit: 'count', aggregation: 'sum' });
    expect(hourly.body.pagination).toEqual({ next_cursor: null, has_more: false, total_count: 4 });

    const raw = await get('types=heart_rate&limit=100');
    expect(raw.body.data.map((p: Point) => p.value)).toEqual([60, 80, 100, 70, 90]);
    expect(raw.body.pagination.total_count).toBe(5);
    const spo2 = await get('types=spo2');
    expect(spo2.body.data).toEqual([]);
  });

  it('pages raw and aggregated points without skipping or repeating, even while new data arrives', async () => {
    const { get, post } = await seed(ctx());
    const collect = async (query: string, between?: () => Promise<void>) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let first = true;
      do {
        const res = await get(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.data.map((p: Point) => `${p.timestamp}|${p.series_type}|${p.source.device}`));
        cursor = res.body.pagination.next_cursor;
        if (first && between) await between();
        first = false;
      } while (cursor !== null);
      return seen;
    };
    const rawOnePage = await collect('limit=100');
    // New samples land between pages: one before the cursor (never shown: already passed), one after it.
    const rawPaged = await collect('limit=3', () => post([hr('06:00:00', 61), hr('23:00:00', 62)]));
    expect(new Set(rawPaged).size).toBe(rawPaged.length);
    expect(rawPaged).toEqual([...rawOnePage, '2026-04-15T23:00:00.000Z|heart_rate|Apple Watch']);

    const aggregatedOnePage = await collect('resolution=1min&limit=100');
    const aggregatedPaged = await collect('resolution=1min&limit=2');
    expect(aggregatedPaged).toEqual(aggregatedOnePage);

    const tampered = await get('limit=3');
    const otherQuery = await get(`resolution=5min&cursor=${tampered.body.pagination.next_cursor}`);
    expect(otherQuery.status).toBe(422);
  });

  it('validates its parameters', async () => {
    const { get } = await seed(ctx(), [hr('06:00:10', 60)]);
    expect((await get('types=heart_rate,unicorns')).body.detail[0].msg).toMatch(/unicorns/);
    expect((await get('resolution=2min')).status).toBe(422);
    expect((await get('limit=101')).status).toBe(422);
    expect((await get('cursor=junk')).status).toBe(422);
  });
});
