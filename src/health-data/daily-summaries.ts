import { sql } from 'kysely';
import { findSeriesTypeByName, type SeriesTypeName } from '../catalog/series-types.ts';
import type { Db } from '../db/database.ts';
import { offsetOfZone } from '../ingest/time.ts';
import { type RankedSource, rankSources, storedRules } from './source-priority.ts';

/**
 * Daily activity, sleep and body summaries per local day. Cumulative metrics come from the hourly
 * rollups with the source-priority rule applied per hour (see source-priority.ts); instantaneous
 * metrics average every source, weighted by sample count.
 */

const ids = (names: SeriesTypeName[]) => names.map((name) => findSeriesTypeByName(name)?.id as number);

/** Cumulative metrics and the series that feed each; one source per hour is taken per metric. */
const cumulativeMetrics = {
  steps: ['steps'],
  distance: [
    'distance_walking_running',
    'distance_cycling',
    'distance_swimming',
    'distance_downhill_snow_sports',
    'distance_other',
  ],
  floors: ['flights_climbed'],
  active_energy: ['energy'],
  basal_energy: ['basal_energy'],
  active_minutes: ['exercise_time'],
} as const satisfies Record<string, SeriesTypeName[]>;
type CumulativeMetric = keyof typeof cumulativeMetrics;
const metricNames = Object.keys(cumulativeMetrics) as CumulativeMetric[];

export interface DataSourceInfo {
  id: number;
  provider: string;
  device: string | null;
}

export interface SourceRanking {
  ranked: RankedSource[];
  sources: Map<number, DataSourceInfo>;
}

export async function loadSourceRanking(db: Db, userId: string): Promise<SourceRanking> {
  const [sources, rules] = await Promise.all([
    db
      .selectFrom('data_sources')
      .select(['id', 'provider', 'device_type', 'device_name', 'device_model', 'app_name'])
      .where('user_id', '=', userId)
      .execute(),
    db
      .selectFrom('users')
      .innerJoin('developers', 'developers.id', 'users.developer_id')
      .select(['users.source_priority as user_rules', 'developers.source_priority as developer_rules'])
      .where('users.id', '=', userId)
      .executeTakeFirst(),
  ]);
  return {
    ranked: rankSources(sources, storedRules(rules?.user_rules), storedRules(rules?.developer_rules)),
    sources: new Map(
      sources.map((s) => [s.id, { id: s.id, provider: s.provider, device: s.device_name ?? s.app_name }]),
    ),
  };
}

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const round = (v: number | null, digits = 1) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

export interface ActivityDay {
  date: string;
  steps: number | null;
  distance_meters: number | null;
  floors_climbed: number | null;
  active_calories_kcal: number | null;
  basal_calories_kcal: number | null;
  total_calories_kcal: number | null;
  active_minutes: number | null;
  heart_rate: {
    avg_bpm: number | null;
    min_bpm: number | null;
    max_bpm: number | null;
    resting_bpm: number | null;
  };
  sources: Record<string, { provider: string; device: string | null }[]>;
}

/** Series type id → index of the cumulative metric it feeds. */
const metricOfType = new Map<number, number>(
  metricNames.flatMap((metric, index) =>
    ids([...cumulativeMetrics[metric]]).map((id) => [id, index] as const),
  ),
);
const cumulativeTypeIds = [...metricOfType.keys()];
const [heartRateId, restingHeartRateId] = ids(['heart_rate', 'resting_heart_rate']) as [number, number];

/**
 * Daily activity. The range's daily rollups give every series per local day and source; that is the
 * whole answer for a day only one source recorded a metric on, which is most days of most users. Only
 * days two sources recorded can hold an hour two sources recorded, and only those (day, metric) pairs
 * are read again hour by hour (the hourly rollups) to apply the source-priority rule.
 */
export async function activitySummaries(
  db: Db,
  userId: string,
  from: string,
  to: string,
): Promise<ActivityDay[]> {
  // Per local day from the daily rollups (migration 0017): a year is ~365 rows per series, not ~8,760.
  const window = sql`local_day >= ${from}::date and local_day <= ${to}::date`;
  // Three independent reads at once: the ranking, cumulative sums, instantaneous sums and extremes.
  const [ranking, perDay, perDayAveraged] = await Promise.all([
    loadSourceRanking(db, userId),
    sql<{ day: string; series_type: number; source_id: number; sum: number }>`
      select to_char(local_day, 'YYYY-MM-DD') as day, series_type, source_id, sum
      from sample_daily_rollups
      where user_id = ${userId} and series_type = any(${cumulativeTypeIds}::int2[]) and ${window}`.execute(
      db,
    ),
    sql<{
      day: string;
      series_type: number;
      source_id: number;
      sum: number;
      n: number;
      min: number;
      max: number;
    }>`
      select to_char(local_day, 'YYYY-MM-DD') as day, series_type, source_id, sum, n::float8 as n, min, max
      from sample_daily_rollups
      where user_id = ${userId} and series_type in (${heartRateId}, ${restingHeartRateId}) and ${window}`.execute(
      db,
    ),
  ]);
  if (ranking.ranked.length === 0) return [];
  const ranked = new Set(ranking.ranked.map((r) => r.sourceId));

  // Cumulative metrics: per day and metric, the total of each (ranked) source.
  const cumulative = new Map<string, CumulativeDay>();
  for (const row of perDay.rows) {
    if (!ranked.has(row.source_id)) continue;
    const metric = metricOfType.get(row.series_type) as number;
    const id = `${row.day}|${metric}`;
    let entry = cumulative.get(id);
    if (entry === undefined) {
      entry = { day: row.day, metric, bySource: new Map() };
      cumulative.set(id, entry);
    }
    entry.bySource.set(row.source_id, (entry.bySource.get(row.source_id) ?? 0) + Number(row.sum));
  }
  // Instantaneous metrics: per day and type, sums, counts and extremes over every source.
  const averaged = new Map<
    string,
    { day: string; seriesType: number; sum: number; n: number; min: number; max: number; sources: number[] }
  >();
  for (const row of perDayAveraged.rows) {
    const id = `${row.day}|${row.series_type}`;
    const entry = averaged.get(id);
    if (entry === undefined) {
      averaged.set(id, {
        day: row.day,
        seriesType: row.series_type,
        sum: Number(row.sum),
        n: Number(row.n),
        min: Number(row.min),
        max: Number(row.max),
        sources: [row.source_id],
      });
    } else {
      entry.sum += Number(row.sum);
      entry.n += Number(row.n);
      entry.min = Math.min(entry.min, Number(row.min));
      entry.max = Math.max(entry.max, Number(row.max));
      entry.sources.push(row.source_id);
    }
  }

  // A day several sources recorded a metric on: its hours again, each from the best source present.
  const contested = [...cumulative.values()].filter((entry) => entry.bySource.size > 1);
  if (contested.length > 0) await applyPriorityPerHour(db, userId, ranking, contested);

  const days = new Map<string, ActivityDay>();
  const day = (date: string): ActivityDay => {
    let d = days.get(date);
    if (d === undefined) {
      d = {
        date,
        steps: null,
        distance_meters: null,
        floors_climbed: null,
        active_calories_kcal: null,
        basal_calories_kcal: null,
        total_calories_kcal: null,
        active_minutes: null,
        heart_rate: { avg_bpm: null, min_bpm: null, max_bpm: null, resting_bpm: null },
        sources: {},
      };
      days.set(date, d);
    }
    return d;
  };
  // Sources are listed in ascending id, as they always were.
  const describe = (sourceIds: number[]) =>
    [...sourceIds]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const s = ranking.sources.get(id);
        return s ? [{ provider: s.provider, device: s.device }] : [];
      });
  const field: Record<CumulativeMetric, keyof ActivityDay> = {
    steps: 'steps',
    distance: 'distance_meters',
    floors: 'floors_climbed',
    active_energy: 'active_calories_kcal',
    basal_energy: 'basal_calories_kcal',
    active_minutes: 'active_minutes',
  };
  const byDay =
    <T extends { day: string }>(kind: (entry: T) => number) =>
    (a: T, b: T) =>
      a.day < b.day ? -1 : a.day > b.day ? 1 : kind(a) - kind(b);
  for (const entry of [...cumulative.values()].sort(byDay((e) => e.metric))) {
    if (entry.bySource.size === 0) continue;
    const metric = metricNames[entry.metric] as CumulativeMetric;
    const sources = [...entry.bySource.keys()].sort((a, b) => a - b);
    const total = sources.reduce((acc, source) => acc + (entry.bySource.get(source) as number), 0);
    const d = day(entry.day);
    (d[field[metric]] as number | null) = round(total, metric === 'steps' || metric === 'floors' ? 0 : 1);
    d.sources[metric] = describe(sources);
  }
  for (const entry of [...averaged.values()].sort(byDay((e) => e.seriesType))) {
    const d = day(entry.day);
    if (entry.seriesType === heartRateId) {
      d.heart_rate.avg_bpm = round(entry.sum / entry.n);
      d.heart_rate.min_bpm = round(entry.min);
      d.heart_rate.max_bpm = round(entry.max);
      d.sources.heart_rate = describe(entry.sources);
    } else {
      d.heart_rate.resting_bpm = round(entry.sum / entry.n);
      d.sources.resting_heart_rate = describe(entry.sources);
    }
  }
  for (const d of days.values()) {
    if (d.active_calories_kcal !== null || d.basal_calories_kcal !== null) {
      d.total_calories_kcal = round((d.active_calories_kcal ?? 0) + (d.basal_calories_kcal ?? 0));
    }
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
}

/** One cumulative metric on one local day: the total taken from each source. */
interface CumulativeDay {
  day: string;
  metric: number;
  bySource: Map<number, number>;
}

/**
 * Replaces the per-source totals of days several sources recorded a metric on with the source-priority
 * rule's: each hour from the best-ranked source that recorded it. One aggregation per (local hour,
 * metric) keeps one sum per source seen on those days (a handful) and the best one present wins, so no
 * sort of the hours. The scan covers the span of those days; other days in it come back too (with the
 * same totals they already have) and are left alone.
 */
async function applyPriorityPerHour(
  db: Db,
  userId: string,
  ranking: SourceRanking,
  contested: CumulativeDay[],
): Promise<void> {
  const rank = new Map(ranking.ranked.map((r) => [r.sourceId, r.rank]));
  const metrics = new Set(contested.map((entry) => entry.metric));
  const days = contested.map((entry) => entry.day).sort();
  const types = [...metricOfType].filter(([, metric]) => metrics.has(metric));
  const sources = [...new Set(contested.flatMap((entry) => [...entry.bySource.keys()]))].sort(
    (a, b) => (rank.get(a) as number) - (rank.get(b) as number),
  );
  // Series type, metric and data source ids are integers of ours: literals keep the CASE types plain.
  const int = (n: number) => sql.raw(String(Math.trunc(n)));
  const metric = sql`case x.series_type ${sql.join(
    types.map(([type, m]) => sql`when ${int(type)} then ${int(m)}`),
    sql` `,
  )} end`;
  const perSource = sql.join(
    sources.map(
      (source, i) => sql`sum(x.sum) filter (where x.source_id = ${int(source)}) as ${sql.ref(`t${i}`)}`,
    ),
  );
  const best = sql`case ${sql.join(
    sources.map((source, i) => sql`when ${sql.ref(`t${i}`)} is not null then ${int(source)}`),
    sql` `,
  )} end`;
  const total = sql`coalesce(${sql.join(sources.map((_, i) => sql.ref(`t${i}`)))})`;
  const { rows } = await sql<{ day: string; metric: number; source_id: number; total: number }>`
    select to_char(day, 'YYYY-MM-DD') as day, metric, source_id, total from (
      select local_hour::date as day, metric, best as source_id, sum(total) as total from (
        select local_hour, metric, ${best} as best, ${total} as total from (
          select x.local_hour, ${metric} as metric, ${perSource}
          from sample_rollups x
          where x.user_id = ${userId} and x.series_type = any(${types.map(([type]) => type)}::int2[])
            and x.source_id = any(${sources}::int4[])
            and x.local_hour >= ${`${days[0]} 00:00:00`}::timestamp
            and x.local_hour < ${`${nextDay(days.at(-1) as string)} 00:00:00`}::timestamp
          group by 1, 2
        ) h
      ) b
      group by 1, 2, 3
    ) d`.execute(db);
  const byId = new Map(contested.map((entry) => [`${entry.day}|${entry.metric}`, entry]));
  for (const entry of contested) entry.bySource = new Map();
  for (const row of rows)
    byId.get(`${row.day}|${row.metric}`)?.bySource.set(row.source_id, Number(row.total));
}

export interface SleepDay {
  date: string;
  total_sleep_minutes: number;
  time_in_bed_minutes: number;
  awake_minutes: number;
  light_minutes: number;
  deep_minutes: number;
  rem_minutes: number;
  unknown_minutes: number;
  efficiency_percent: number | null;
  interruptions: number;
  sessions: number;
  bedtime_start: string;
  bedtime_end: string;
  naps: { count: number; minutes: number };
  source: { provider: string; device: string | null };
}

/**
 * A night belongs to the local day it ends on (you wake on Tuesday: Tuesday's sleep). When several
 * sources recorded the same day, the best-ranked one is used whole, never mixed.
 */
export async function sleepSummaries(db: Db, userId: string, from: string, to: string): Promise<SleepDay[]> {
  const [ranking, user, sessions] = await Promise.all([
    loadSourceRanking(db, userId),
    db.selectFrom('users').select('timezone').where('id', '=', userId).executeTakeFirst(),
    db
      .selectFrom('sleep_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      // Wide enough in UTC for any offset; the local day is decided below.
      .where('end_time', '>=', new Date(Date.parse(`${from}T00:00:00Z`) - 86_400_000))
      .where('end_time', '<', new Date(Date.parse(`${nextDay(to)}T00:00:00Z`) + 86_400_000))
      .orderBy('start_time')
      .execute(),
  ]);
  const rank = new Map(ranking.ranked.map((r) => [r.sourceId, r.rank]));
  const byDay = new Map<string, typeof sessions>();
  for (const s of sessions) {
    const offset =
      s.utc_offset_min ?? (user?.timezone ? offsetOfZone(user.timezone, s.end_time.getTime()) : 0) ?? 0;
    const date = new Date(s.end_time.getTime() + offset * 60_000).toISOString().slice(0, 10);
    if (date < from || date > to) continue;
    byDay.set(date, [...(byDay.get(date) ?? []), s]);
  }
  const out: SleepDay[] = [];
  for (const [date, daySessions] of [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const main = daySessions.filter((s) => !s.is_nap);
    const pool = main.length > 0 ? main : daySessions;
    const best = [...pool].sort((a, b) => (rank.get(a.source_id) ?? 1e9) - (rank.get(b.source_id) ?? 1e9))[0];
    if (best === undefined) continue;
    const chosen = pool.filter((s) => s.source_id === best.source_id);
    const naps = daySessions.filter((s) => s.is_nap && s.source_id === best.source_id);
    const sum = (f: (s: (typeof chosen)[number]) => number) => chosen.reduce((acc, s) => acc + f(s), 0);
    const minutes = (seconds: number) => Math.round((seconds / 60) * 10) / 10;
    const inBed = sum((s) => s.in_bed_s);
    const asleep = sum((s) => s.asleep_s);
    const source = ranking.sources.get(best.source_id);
    out.push({
      date,
      total_sleep_minutes: minutes(asleep),
      time_in_bed_minutes: minutes(inBed),
      awake_minutes: minutes(sum((s) => s.awake_s)),
      light_minutes: minutes(sum((s) => s.light_s)),
      deep_minutes: minutes(sum((s) => s.deep_s)),
      rem_minutes: minutes(sum((s) => s.rem_s)),
      unknown_minutes: minutes(sum((s) => s.unknown_s)),
      efficiency_percent: inBed > 0 ? Math.round((asleep / inBed) * 1000) / 10 : null,
      interruptions: sum((s) => s.interruptions),
      sessions: chosen.length,
      bedtime_start: (chosen[0] as (typeof chosen)[number]).start_time.toISOString(),
      bedtime_end: (chosen.at(-1) as (typeof chosen)[number]).end_time.toISOString(),
      naps: { count: naps.length, minutes: minutes(naps.reduce((acc, s) => acc + s.asleep_s, 0)) },
      source: { provider: source?.provider ?? 'unknown', device: source?.device ?? null },
    });
  }
  return out;
}

/** Body metrics: the API field, its series and the precision it is reported with. */
const bodyMetrics = [
  ['weight_kg', 'weight', 2],
  ['bmi', 'body_mass_index', 1],
  ['body_fat_percent', 'body_fat_percentage', 1],
  ['lean_body_mass_kg', 'lean_body_mass', 2],
  ['height_cm', 'height', 1],
  ['resting_heart_rate_bpm', 'resting_heart_rate', 1],
  ['hrv_sdnn_ms', 'heart_rate_variability_sdnn', 1],
  ['hrv_rmssd_ms', 'heart_rate_variability_rmssd', 1],
  ['body_temperature_celsius', 'body_temperature', 2],
  ['skin_temperature_deviation_celsius', 'skin_temperature_deviation', 2],
  ['blood_pressure_systolic_mmhg', 'blood_pressure_systolic', 0],
  ['blood_pressure_diastolic_mmhg', 'blood_pressure_diastolic', 0],
  ['vo2_max_ml_kg_min', 'vo2_max', 1],
] as const satisfies readonly (readonly [string, SeriesTypeName, number])[];
type BodyField = (typeof bodyMetrics)[number][0];

export interface BodySummary {
  as_of: string;
  latest: Record<BodyField, number | null>;
  latest_measured_at: Record<BodyField, string | null>;
  averaged: Record<BodyField, number | null>;
  averaged_period: { from: string; to: string };
}

/** Latest value of each body metric up to `asOf`, and its average over the 7 days before. */
export async function bodySummary(db: Db, userId: string, asOf: Date): Promise<BodySummary> {
  const typeIds = bodyMetrics.map(([, series]) => findSeriesTypeByName(series)?.id as number);
  const weekAgo = new Date(asOf.getTime() - 7 * 86_400_000);
  const [latest, averaged] = await Promise.all([
    // One index probe per type (user, type, time desc), not a scan of every HRV sample ever.
    sql<{ series_type: number; value: number; start_time: Date }>`
      select t.id as series_type, s.value, s.start_time
      from unnest(${typeIds}::int2[]) as t(id)
      cross join lateral (
        select value, start_time from samples
        where user_id = ${userId} and series_type = t.id and start_time <= ${asOf}
        order by start_time desc limit 1
      ) s`.execute(db),
    sql<{ series_type: number; avg: number }>`
      select series_type, avg(value) as avg from samples
      where user_id = ${userId} and series_type = any(${typeIds}::int2[])
        and start_time > ${weekAgo} and start_time <= ${asOf}
      group by series_type`.execute(db),
  ]);
  const empty = () =>
    Object.fromEntries(bodyMetrics.map(([field]) => [field, null])) as Record<BodyField, null>;
  const summary: BodySummary = {
    as_of: asOf.toISOString(),
    latest: empty(),
    latest_measured_at: empty(),
    averaged: empty(),
    averaged_period: { from: weekAgo.toISOString(), to: asOf.toISOString() },
  };
  bodyMetrics.forEach(([field, , digits], index) => {
    const id = typeIds[index];
    const last = latest.rows.find((r) => r.series_type === id);
    const avg = averaged.rows.find((r) => r.series_type === id);
    if (last) {
      summary.latest[field] = round(Number(last.value), digits);
      summary.latest_measured_at[field] = new Date(last.start_time).toISOString();
    }
    if (avg) summary.averaged[field] = round(Number(avg.avg), digits);
  });
  return summary;
}
