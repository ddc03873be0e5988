import { expect, it } from 'vitest';
import { hourlyRollupPlan, resolveTypes } from '../../src/health-data/timeseries.ts';
import { type ApiResponse, describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

/**
 * `resolution=1hour` over whole UTC hours is served from the hourly rollups when that is provably the
 * same answer. Every case here asks the same range twice: from a whole hour (rollups when eligible) and
 * from one millisecond before it (never eligible, so the samples path; no sample lies in that
 * millisecond), and the two must agree point for point, page for page.
 */

const watch = { deviceName: 'Apple Watch', deviceType: 'watch' };
const phone = { deviceName: 'iPhone', deviceType: 'phone' };
const ring = { deviceName: 'Oura Ring', deviceType: 'ring' };
type Source = typeof watch;

/** `at` is local wall-clock time written with its offset, e.g. `2026-04-15T08:10:00` and `+02:00`. */
const hr = (at: string, offset: string, value: number, source: Source = watch) => ({
  type: 'HKQuantityTypeIdentifierHeartRate',
  startDate: `${at}${offset}`,
  value,
  unit: 'count/min',
  source,
});
const steps = (at: string, offset: string, value: number, source: Source = watch) => ({
  type: 'HKQuantityTypeIdentifierStepCount',
  startDate: `${at}${offset}`,
  endDate: `${at.slice(0, 14)}${String(Number(at.slice(14, 16)) + 1).padStart(2, '0')}${at.slice(16)}${offset}`,
  value,
  unit: 'count',
  source,
});

/** A few samples in each of several local hours of some days, for one source and offset. */
function day(offset: string, source: Source, seed: number, dates = ['2026-04-15', '2026-04-16']) {
  const out: Record<string, unknown>[] = [];
  for (const date of dates) {
    for (const hour of [0, 1, 7, 8, 13, 22, 23]) {
      for (const minute of [5, 20, 47]) {
        const at = `${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
        out.push(hr(at, offset, 60 + ((hour * 7 + minute + seed) % 40) + 0.5, source));
        out.push(steps(at, offset, (hour * 13 + minute * 3 + seed) % 90, source));
      }
    }
  }
  return out;
}

type Point = Record<string, unknown>;

async function seed(server: TestServer, records: Record<string, unknown>[]) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const post = async (recs: Record<string, unknown>[]) => {
    const res = await server.api.request('POST', `/api/v1/sdk/users/${user.id}/sync`, {
      auth: { key: dev.key },
      json: { provider: 'apple', data: { records: recs } },
    });
    expect(res.status).toBe(202);
    expect(res.body.rejected).toEqual([]);
    await waitForRun(server.api, { key: dev.key }, user.id, res.body.run_id);
  };
  await post(records);
  /** Every page of the range, walking the cursor; with the first page's total_count. */
  const pages = async (from: string, to: string, limit: number, types = 'heart_rate,steps') => {
    const points: Point[] = [];
    let cursor: string | null = null;
    let total: number | undefined;
    do {
      const res: ApiResponse = await server.api.request(
        'GET',
        `/api/v1/users/${user.id}/timeseries?resolution=1hour&types=${types}&limit=${limit}` +
          `&start_time=${from}&end_time=${to}${cursor ? `&cursor=${cursor}` : ''}`,
        { auth: { key: dev.key } },
      );
      expect(res.status).toBe(200);
      points.push(...res.body.data);
      total ??= res.body.pagination.total_count;
      cursor = res.body.pagination.next_cursor;
    } while (cursor !== null);
    return { points, total };
  };
  /** The series the rollups would serve, with their shifts; undefined when the samples answer. */
  const plan = async (from: string, to: string, types = 'heart_rate,steps') =>
    (
      await hourlyRollupPlan(server.platform.database.db, {
        userId: user.id,
        typeIds: resolveTypes(types).ids,
        fromMs: Date.parse(from),
        toMs: Date.parse(to),
      })
    )?.series;
  const setTimezone = async (timezone: string | null) => {
    const res = await server.api.request('PATCH', `/api/v1/users/${user.id}`, {
      auth: { key: dev.key },
      json: { timezone },
    });
    expect(res.status).toBe(200);
  };
  return { pages, plan, post, setTimezone };
}

const FROM = '2026-04-14T12:00:00.000Z';
const TO = '2026-04-17T06:00:00.000Z';
const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

/** The rollup answer equals the samples answer, in one page and in pages of 7. */
async function expectSameAsSamples(pages: Awaited<ReturnType<typeof seed>>['pages'], from = FROM, to = TO) {
  const samples = await pages(justBefore(from), to, 100);
  expect(samples.points.length).toBeGreaterThan(0);
  const rollups = await pages(from, to, 100);
  expect(rollups).toEqual(samples);
  const paged = await pages(from, to, 7);
  expect(paged.points).toEqual(samples.points);
  expect(paged.total).toBe(samples.total);
  return samples;
}

describeEachDatabase('timeseries 1hour from hourly rollups', (ctx) => {
  it('serves sources in different whole-hour offsets from the rollups, with the numbers of the samples', async () => {
    const { pages, plan } = await seed(ctx(), [
      ...day('+02:00', watch, 1),
      ...day('-05:00', phone, 2),
      // No offset and no user time zone: rolled up in UTC.
      ...day('Z', ring, 3),
    ]);
    const series = await plan(FROM, TO);
    expect(series?.map((s) => s.shift).sort((a, b) => a - b)).toEqual([-300, -300, 0, 0, 120, 120]);
    const { points, total } = await expectSameAsSamples(pages);
    // Buckets of the three sources interleave in time, type and source order, as the samples path has them.
    expect(new Set(points.map((p) => (p.source as { device: string }).device))).toEqual(
      new Set(['Apple Watch', 'iPhone', 'Oura Ring']),
    );
    expect(total).toBe(points.length);
    const first = points.find((p) => p.series_type === 'heart_rate') as Point;
    expect(first).toMatchObject({ aggregation: 'avg', unit: 'bpm', count: 3 });
    // A range that starts or ends inside an hour is not a rollup question.
    expect(await plan(justBefore(FROM), TO)).toBeUndefined();
    expect(await plan(FROM, '2026-04-17T05:30:00.000Z')).toBeUndefined();
  });

  it('falls back to the samples when an offset changes in the range (DST), and agrees either way', async () => {
    const { pages, plan } = await seed(ctx(), [
      // Local 04-15 and 04-16 at +02:00, then 04-18 and 04-19 at +01:00.
      ...day('+02:00', watch, 1),
      ...day('+01:00', watch, 4, ['2026-04-18', '2026-04-19']),
    ]);
    const to = '2026-04-20T06:00:00.000Z';
    expect(await plan(FROM, to)).toBeUndefined();
    await expectSameAsSamples(pages, FROM, to);
    // Far enough from the change (samples of 04-17T00:00Z at +01:00 could reach local 04-17T01:00,
    // so up to 23:00Z): rollups again, with the numbers of the samples.
    const before = '2026-04-16T23:00:00.000Z';
    expect((await plan(FROM, before))?.map((s) => s.shift)).toEqual([120, 120]);
    await expectSameAsSamples(pages, FROM, before);
    const after = '2026-04-18T00:00:00.000Z';
    expect((await plan(after, to))?.map((s) => s.shift)).toEqual([60, 60]);
    await expectSameAsSamples(pages, after, to);
  });

  it('falls back for offsets that are not whole hours, and for samples outside the range that reach it', async () => {
    const india = await seed(ctx(), day('+05:30', watch, 5));
    expect(await india.plan(FROM, TO)).toBeUndefined();
    await expectSameAsSamples(india.pages);

    // In range at +01:00; the evening before, the same series at +14:00, whose local hours land in
    // the range's local hours: a rollup row there holds a sample the range does not.
    const reach = await seed(ctx(), [
      ...day('+01:00', watch, 6).filter((r) => String(r.startDate).startsWith('2026-04-16')),
      hr('2026-04-16T13:30:00', '+14:00', 99),
      steps('2026-04-16T13:30:00', '+14:00', 500),
    ]);
    const from = '2026-04-16T00:00:00.000Z';
    const to = '2026-04-17T00:00:00.000Z';
    expect(await reach.plan(from, to)).toBeUndefined();
    await expectSameAsSamples(reach.pages, from, to);
    // From 14:00Z the range's local hours (15:00 on) are beyond what the +14:00 day can reach.
    const later = '2026-04-16T14:00:00.000Z';
    expect((await reach.plan(later, to))?.map((s) => s.shift)).toEqual([60, 60]);
    await expectSameAsSamples(reach.pages, later, to);
  });

  it("uses the user's time zone for samples without an offset, only while it is whole hours and constant", async () => {
    const { pages, plan, setTimezone } = await seed(ctx(), [...day('Z', watch, 7), ...day('Z', phone, 8)]);
    expect(await plan(FROM, TO)).toBeDefined();
    await expectSameAsSamples(pages);

    await setTimezone('Asia/Kolkata');
    expect(await plan(FROM, TO)).toBeUndefined();
    await expectSameAsSamples(pages);

    await setTimezone('Europe/Berlin'); // +02:00 all of April
    expect((await plan(FROM, TO))?.map((s) => s.shift)).toEqual([120, 120, 120, 120]);
    await expectSameAsSamples(pages);

    await setTimezone(null);
    expect((await plan(FROM, TO))?.map((s) => s.shift)).toEqual([0, 0, 0, 0]);
    await expectSameAsSamples(pages);
  });

  it('sees new samples and their offsets as soon as they are stored', async () => {
    const { pages, plan, post } = await seed(ctx(), day('+02:00', watch, 9));
    expect(await plan(FROM, TO)).toHaveLength(2);
    const before = await expectSameAsSamples(pages);
    await post(day('+02:00', phone, 10));
    expect(await plan(FROM, TO)).toHaveLength(4);
    const after = await expectSameAsSamples(pages);
    expect(after.points).toEqual(expect.arrayContaining(before.points));
    // A late upload of the same watch at +05:30: recorded with the samples, so the range falls back.
    await post([hr('2026-04-15T10:10:00', '+05:30', 111)]);
    expect(await plan(FROM, TO)).toBeUndefined();
    await expectSameAsSamples(pages);
  });
});
