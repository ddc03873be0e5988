import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { deleteHealthRowsBefore } from '../../src/data-rights/retention/retention.repo.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

/**
 * `sample_daily_rollups` (migration 0017) is kept by triggers on `sample_rollups`: after every kind of
 * write to the hourly rollups it must hold exactly their sums per local day. Each step below writes
 * the hours another way and compares the two tables row by row (an independent aggregation of the
 * hourly rows is the oracle), then checks the activity summary the daily rows now serve.
 */

const watch = { deviceName: 'Apple Watch', deviceType: 'watch' };
const ring = { deviceName: 'Oura Ring', deviceType: 'ring' };

function records(dates: string[], offset: string, source: typeof watch, seed: number, minutes = [5, 35]) {
  const out: Record<string, unknown>[] = [];
  for (const date of dates) {
    for (const hour of [0, 6, 12, 23]) {
      for (const minute of minutes) {
        const at = `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00${offset}`;
        out.push({
          type: 'HKQuantityTypeIdentifierHeartRate',
          startDate: at,
          value: 55 + ((hour * 7 + minute + seed) % 50),
          unit: 'count/min',
          source,
        });
        out.push({
          type: 'HKQuantityTypeIdentifierStepCount',
          startDate: at,
          endDate: at.replace(/:(\d\d):00/, (_, m) => `:${String(Number(m) + 1).padStart(2, '0')}:00`),
          value: (hour * 13 + minute * 3 + seed) % 90,
          unit: 'count',
          source,
        });
      }
    }
  }
  return out;
}

type DayRow = { key: string; n: number; sum: number; min: number; max: number };

async function expectDaysMatchHours(server: TestServer, userId: string): Promise<number> {
  const db = server.platform.database.db;
  const { rows: hourly } = await sql<DayRow>`
    select concat_ws('|', series_type, local_hour::date, source_id) as key,
           sum(n)::int as n, sum(sum) as sum, min(min) as min, max(max) as max
    from sample_rollups where user_id = ${userId} group by series_type, local_hour::date, source_id`.execute(
    db,
  );
  const { rows: daily } = await sql<DayRow>`
    select concat_ws('|', series_type, local_day, source_id) as key, n, sum, min, max
    from sample_daily_rollups where user_id = ${userId}`.execute(db);
  const byKey = new Map(daily.map((r) => [r.key, r]));
  expect(daily.length).toBe(hourly.length);
  for (const h of hourly) {
    const d = byKey.get(h.key);
    expect(d, h.key).toBeDefined();
    expect(Number(d?.n)).toBe(Number(h.n));
    expect(Number(d?.sum)).toBeCloseTo(Number(h.sum), 6);
    expect(Number(d?.min)).toBe(Number(h.min));
    expect(Number(d?.max)).toBe(Number(h.max));
  }
  return daily.length;
}

describeEachDatabase('daily rollups follow the hourly rollups', (ctx) => {
  it('through new data, re-sent and overlapping batches, a time zone change, retention and deletion', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const user = await server.api.createUser(dev.key);
    const auth = { auth: { key: dev.key } };
    const post = async (recs: Record<string, unknown>[]) => {
      const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
        ...auth,
        json: { provider: 'apple', data: { records: recs } },
      });
      expect(res.status).toBe(202);
      await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
    };
    const dates = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04'];
    // New hours (the insert trigger), two sources, an offset that moves samples across local days.
    await post(records(dates, '+05:30', watch, 1));
    await post(records(dates.slice(1), '-08:00', ring, 2));
    expect(await expectDaysMatchHours(server, user.id)).toBeGreaterThan(8);
    // The same batch again (nothing new), then new samples in hours that exist (the update trigger).
    await post(records(dates, '+05:30', watch, 1));
    await post(records(dates, '+05:30', watch, 3, [10, 50]));
    await expectDaysMatchHours(server, user.id);

    const summary = await server.api.request(
      'GET',
      `/api/v1/users/${user.id}/summaries/activity?start_date=2026-02-28&end_date=2026-03-05`,
      auth,
    );
    expect(summary.status).toBe(200);
    const { rows: stepsPerDay } = await sql<{ day: string; steps: number }>`
      select to_char(local_hour::date, 'YYYY-MM-DD') as day, sum(sum)::float8 as steps
      from sample_rollups r join data_sources s on s.id = r.source_id
      where r.user_id = ${user.id} and r.series_type = 34 and s.device_name = 'Apple Watch'
      group by 1`.execute(server.platform.database.db);
    // Days the watch alone recorded (the ring starts on the second date, in its own local days).
    const day = summary.body.data.find((d: { date: string }) => d.date === '2026-03-01');
    expect(day?.sources.steps).toEqual([{ provider: 'apple', device: 'Apple Watch' }]);
    expect(day?.steps).toBe(stepsPerDay.find((r) => r.day === '2026-03-01')?.steps);

    // A time zone change rebuilds the rollups (deletes and inserts hours in one transaction).
    const patch = await server.api.request('PATCH', `/api/v1/users/${user.id}`, {
      ...auth,
      json: { timezone: 'America/New_York' },
    });
    expect(patch.status).toBe(200);
    await expectDaysMatchHours(server, user.id);

    // Retention drops the hours before a cutoff in batches: a boundary day keeps exactly its later hours.
    await deleteHealthRowsBefore(server.platform.database.db, user.id, new Date('2026-03-04T06:00:00Z'), 7);
    const left = await expectDaysMatchHours(server, user.id);
    expect(left).toBeGreaterThan(0);

    // Deleting the user sweeps them all.
    const del = await server.api.request('DELETE', `/api/v1/users/${user.id}`, auth);
    expect(del.status).toBeLessThan(300);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from sample_daily_rollups where user_id = ${user.id}`.execute(
        server.platform.database.db,
      );
      if (rows[0]?.n === 0) break;
      if (Date.now() > deadline) throw new Error(`${rows[0]?.n} daily rollup rows left after deletion`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
