import { expect, it } from 'vitest';
import type { CanonicalHealthScore } from '../../src/health-data/canonical.ts';
import { upsertDataSources } from '../../src/health-data/data-sources.repo.ts';
import { upsertHealthScores } from '../../src/health-data/health-scores.repo.ts';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';

const PROVIDERS = ['oura', 'whoop', 'garmin'] as const;

const score = (
  provider: (typeof PROVIDERS)[number],
  date: string,
  category: string,
  value: number,
  range: [number, number],
  components: Record<string, unknown> = {},
): CanonicalHealthScore => ({
  source: PROVIDERS.indexOf(provider),
  provider,
  date,
  category,
  score: value,
  rangeMin: range[0],
  rangeMax: range[1],
  components,
});

const SCORES = [
  score('oura', '2026-04-13', 'sleep', 80, [1, 100]),
  score('oura', '2026-04-14', 'sleep', 83, [1, 100]),
  score('oura', '2026-04-15', 'sleep', 85, [1, 100], { deep_sleep: 90, efficiency: 88 }),
  score('oura', '2026-04-15', 'readiness', 70, [1, 100]),
  score('whoop', '2026-04-15', 'recovery', 66, [0, 100]),
  score('whoop', '2026-04-15', 'sleep', 91, [0, 100]),
  score('whoop', '2026-04-14', 'strain', 12.3, [0, 21]),
  score('garmin', '2026-04-16', 'stress', 25, [0, 100]),
  // Another year, so the date order is not an accident of insertion.
  score('garmin', '2025-12-31', 'body_battery', 55, [0, 100]),
];

async function seed(server: TestServer) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const db = server.platform.database.db;
  const sourceIds = await upsertDataSources(db, user.id, [
    { provider: 'oura', deviceName: 'Oura Ring Gen3' },
    { provider: 'whoop', deviceName: 'WHOOP 4.0' },
    { provider: 'garmin', deviceName: 'Fenix 7' },
  ]);
  await upsertHealthScores(db, user.id, SCORES, sourceIds);
  const get = (query = '', key = dev.key) =>
    server.api.request('GET', `/api/v1/users/${user.id}/health-scores${query ? `?${query}` : ''}`, {
      auth: { key },
    });
  return { get };
}

type Score = { id: string; date: string; category: string; provider: string; score: number };
const brief = (data: Score[]) => data.map((s) => `${s.date} ${s.category} ${s.provider} ${s.score}`);

describeEachDatabase('health scores', (ctx) => {
  it('lists scores newest day first, then by category, with dates as YYYY-MM-DD', async () => {
    const { get } = await seed(ctx());
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ total_count: 9, has_more: false });
    const lines = brief(res.body.data);
    expect(lines.slice(0, 3)).toEqual([
      '2026-04-16 stress garmin 25',
      '2026-04-15 readiness oura 70',
      '2026-04-15 recovery whoop 66',
    ]);
    // Same day and category from two providers: the order is stable (by id).
    const sameCategory = (res.body.data as Score[]).slice(3, 5);
    expect(sameCategory.map((s) => s.category)).toEqual(['sleep', 'sleep']);
    expect(sameCategory.map((s) => s.id)).toEqual(sameCategory.map((s) => s.id).sort());
    expect(new Set(sameCategory.map((s) => s.provider))).toEqual(new Set(['oura', 'whoop']));
    expect(lines.slice(5)).toEqual([
      '2026-04-14 sleep oura 83',
      '2026-04-14 strain whoop 12.3',
      '2026-04-13 sleep oura 80',
      '2025-12-31 body_battery garmin 55',
    ]);
    const ouraSleep = (res.body.data as Score[]).find(
      (s) => s.provider === 'oura' && s.date === '2026-04-15' && s.category === 'sleep',
    );
    expect(ouraSleep).toEqual({
      id: expect.any(String),
      date: '2026-04-15',
      category: 'sleep',
      score: 85,
      range_min: 1,
      range_max: 100,
      provider: 'oura',
      components: { deep_sleep: 90, efficiency: 88 },
    });
    const strain = (res.body.data as Score[]).find((s) => s.category === 'strain');
    expect(strain).toMatchObject({ range_min: 0, range_max: 21, components: {} });
  });

  it('filters by inclusive date range, category and provider', async () => {
    const { get } = await seed(ctx());
    const lines = async (query: string) => {
      const res = await get(query);
      expect(res.status).toBe(200);
      expect(res.body.pagination.total_count).toBe(res.body.data.length);
      return brief(res.body.data).sort();
    };
    expect(await lines('start_date=2026-04-14&end_date=2026-04-14')).toEqual([
      '2026-04-14 sleep oura 83',
      '2026-04-14 strain whoop 12.3',
    ]);
    expect(await lines('start_date=2026-04-15')).toEqual(
      [
        '2026-04-15 readiness oura 70',
        '2026-04-15 recovery whoop 66',
        '2026-04-15 sleep oura 85',
        '2026-04-15 sleep whoop 91',
        '2026-04-16 stress garmin 25',
      ].sort(),
    );
    expect(await lines('end_date=2026-04-13')).toEqual([
      '2025-12-31 body_battery garmin 55',
      '2026-04-13 sleep oura 80',
    ]);
    expect(await lines('category=sleep&start_date=2026-04-01&end_date=2026-04-23&provider=oura')).toEqual([
      '2026-04-13 sleep oura 80',
      '2026-04-14 sleep oura 83',
      '2026-04-15 sleep oura 85',
    ]);
    expect(await lines('provider=whoop')).toEqual([
      '2026-04-14 strain whoop 12.3',
      '2026-04-15 recovery whoop 66',
      '2026-04-15 sleep whoop 91',
    ]);
    expect(await lines('category=vo2max')).toEqual([]);
    expect(await lines('provider=polar')).toEqual([]);
  });

  it('pages by offset with total_count and has_more', async () => {
    const { get } = await seed(ctx());
    const all = (await get('limit=1000')).body.data as Score[];
    const pages: Score[] = [];
    for (let offset = 0; offset < 9; offset += 4) {
      const res = await get(`limit=4&offset=${offset}`);
      expect(res.status).toBe(200);
      expect(res.body.pagination).toEqual({ total_count: 9, has_more: offset + 4 < 9 });
      pages.push(...res.body.data);
    }
    expect(pages.map((s) => s.id)).toEqual(all.map((s) => s.id));
    const beyond = await get('offset=50');
    expect(beyond.body).toEqual({ data: [], pagination: { total_count: 9, has_more: false } });
  });

  it('rejects bad parameters with 422 and hides other developers’ users', async () => {
    const server = ctx();
    const { get } = await seed(server);
    for (const query of [
      'category=unicorns',
      'start_date=2026-13-01',
      'end_date=yesterday',
      'start_date=2026-04-16&end_date=2026-04-15',
      'limit=0',
      'limit=1001',
      'offset=-1',
      'offset=abc',
    ]) {
      const res = await get(query);
      expect(res.status, query).toBe(422);
      expect(res.body.detail[0].loc[0]).toBe('query');
    }
    expect((await get('category=unicorns')).body.detail[0].loc).toEqual(['query', 'category']);
    const other = await server.api.registerDeveloper('B');
    const res = await get('', other.key);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: 'User not found' });
  });
});
