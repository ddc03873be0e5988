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

export async function activitySummaries(
  db: Db,
  userId: string,
  from: string,
  to: string,
): Promise<ActivityDay[]> {
  const ranking = await loadSourceRanking(db, userId);
  if (ranking.ranked.length === 0) return [];
  const typeIds: number[] = [];
  const typeMetric: number[] = [];
  metricNames.forEach((metric, index) => {
    for (const id of ids([...cumulativeMetrics[metric]])) {
      typeIds.push(id);
      typeMetric.push(index);
    }
  });
  const [hr, resting] = ids(['heart_rate', 'resting_heart_rate']) as [number, number];
  const window = { from: `${from} 00:00:00`, to: `${nextDay(to)} 00:00:00` };

  const [cumulative, averaged] = await Promise.all([
    sql<{ day: string; metric: number; total: number; sources: number[] }>`
      with ranks as (
        select * from unnest(${ranking.ranked.map((r) => r.sourceId)}::int4[], ${ranking.ranked.map((r) => r.rank)}::int4[])
          as t(source_id, rank)
      ),
      metrics as (select * from unnest(${typeIds}::int2[], ${typeMetric}::int2[]) as m(series_type, metric)),
      hourly as (
        select m.metric, r.local_hour, r.source_id, sum(r.sum) as total, min(ranks.rank) as rank
        from sample_rollups r
        join metrics m on m.series_type = r.series_type
        join ranks on ranks.source_id = r.source_id
        where r.user_id = ${userId} and r.series_type = any(${typeIds}::int2[])
          and r.local_hour >= ${window.from}::timestamp and r.local_hour < ${window.to}::timestamp
        group by m.metric, r.local_hour, r.source_id
      ),
      best as (
        select distinct on (metric, local_hour) metric, local_hour, source_id, total
        from hourly order by metric, local_hour, rank, source_id
      )
      select to_char(local_hour, 'YYYY-MM-DD') as day, metric, sum(total) as total,
             array_agg(distinct source_id) as sources
      from best group by 1, 2 order by 1, 2`.execute(db),
    sql<{ day: string; series_type: number; avg: number; min: number; max: number; sources: number[] }>`
      select to_char(local_hour, 'YYYY-MM-DD') as day, series_type, sum(sum) / sum(n) as avg, min(min) as min,
             max(max) as max, array_agg(distinct source_id) as sources
      from sample_rollups
      where user_id = ${userId} and series_type in (${hr}, ${resting})
        and local_hour >= ${window.from}::timestamp and local_hour < ${window.to}::timestamp
      group by 1, 2 order by 1, 2`.execute(db),
  ]);

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
  const describe = (sourceIds: number[]) =>
    sourceIds.flatMap((id) => {
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
  for (const row of cumulative.rows) {
    const metric = metricNames[row.metric] as CumulativeMetric;
    const d = day(row.day);
    (d[field[metric]] as number | null) = round(
      Number(row.total),
      metric === 'steps' || metric === 'floors' ? 0 : 1,
    );
    d.sources[metric] = describe(row.sources);
  }
  for (const row of averaged.rows) {
    const d = day(row.day);
    if (row.series_type === hr) {
      d.heart_rate.avg_bpm = round(Number(row.avg));
      d.heart_rate.min_bpm = round(Number(row.min));
      d.heart_rate.max_bpm = round(Number(row.max));
      d.sources.heart_rate = describe(row.sources);
    } else {
      d.heart_rate.resting_bpm = round(Number(row.avg));
      d.sources.resting_heart_rate = describe(row.sources);
    }
  }
  for (const d of days.values()) {
    if (d.active_calories_kcal !== null || d.basal_calories_kcal !== null) {
      d.total_calories_kcal = round((d.active_calories_kcal ?? 0) + (d.basal_calories_kcal ?? 0));
    }
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
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
