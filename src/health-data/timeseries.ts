import { sql } from 'kysely';
import {
  findSeriesTypeById,
  findSeriesTypeByName,
  SERIES_TYPES,
  type SeriesTypeName,
} from '../catalog/series-types.ts';
import type { Db } from '../db/database.ts';

export const resolutions = { raw: 0, '1min': 60, '5min': 300, '15min': 900, '1hour': 3600 } as const;
export type Resolution = keyof typeof resolutions;

/** Names the spec's timeseries section uses for groups of canonical types. */
const aliases: Record<string, SeriesTypeName[]> = {
  heart_rate_variability: ['heart_rate_variability_sdnn', 'heart_rate_variability_rmssd'],
  spo2: ['oxygen_saturation'],
  calories: ['energy', 'basal_energy'],
  distance: [
    'distance_walking_running',
    'distance_cycling',
    'distance_swimming',
    'distance_downhill_snow_sports',
    'distance_other',
  ],
  blood_pressure: ['blood_pressure_systolic', 'blood_pressure_diastolic'],
  cycling_power: ['power'],
  stress: ['stress_level'],
  body_composition: [
    'weight',
    'body_fat_percentage',
    'lean_body_mass',
    'body_mass_index',
    'body_fat_mass',
    'skeletal_muscle_mass',
  ],
};

/** `heart_rate,spo2` → series type ids; unknown names come back in `unknown`. */
export function resolveTypes(list: string | undefined): { ids: number[]; unknown: string[] } {
  if (list === undefined || list.trim() === '') return { ids: SERIES_TYPES.map((t) => t.id), unknown: [] };
  const ids = new Set<number>();
  const unknown: string[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    const names = aliases[name] ?? (findSeriesTypeByName(name) ? [name as SeriesTypeName] : undefined);
    if (names === undefined) unknown.push(name);
    else for (const n of names) ids.add(findSeriesTypeByName(n)?.id as number);
  }
  return { ids: [...ids].sort((a, b) => a - b), unknown };
}

export interface TimeseriesCursor {
  /** Scan from here (epoch ms, inclusive). */
  f: number;
  /** Last key returned: [epoch seconds (µs precision), series type, source id, duration ms]; rows up to it are skipped. */
  k?: [number, number, number, number] | undefined;
  /** total_count, computed on the first page. */
  n: number;
}

export interface TimeseriesPoint {
  id: string;
  timestamp: string;
  series_type: string;
  value: number;
  unit: string;
  aggregation?: 'sum' | 'avg';
  min?: number;
  max?: number;
  count?: number;
  duration_seconds?: number;
  source: { provider: string; device: string | null };
}

interface Query {
  userId: string;
  typeIds: number[];
  fromMs: number;
  toMs: number;
  resolution: Resolution;
  limit: number;
  cursor: TimeseriesCursor | undefined;
}

interface Row {
  t: Date;
  epoch: number;
  series_type: number;
  source_id: number;
  duration_ms: number;
  value: number;
  min: number;
  max: number;
  n: number;
  sum: number;
  provider: string;
  device: string | null;
}

const ORIGIN = '2000-01-01T00:00:00Z';

/**
 * Raw samples, or buckets aggregated in SQL per the type's kind (sum for cumulative types, avg with min
 * and max for instantaneous ones), per source, in keyset pages over (time, type, source[, duration]).
 * Samples land in the bucket of their start time. An aggregated page scans only the aligned window of
 * `limit` buckets after the cursor, so a page costs the same at the start or the end of a year.
 * `1hour` over whole UTC hours reads the hourly rollups instead wherever that provably gives the same
 * points (hourlyRollupPlan): ~24 rows a day per series instead of every sample, and a count of them.
 */
export async function timeseriesPage(
  db: Db,
  q: Query,
): Promise<{ points: TimeseriesPoint[]; next: TimeseriesCursor | undefined; total: number }> {
  const width = resolutions[q.resolution];
  const from = Math.max(q.fromMs, q.cursor?.f ?? q.fromMs);
  const key = q.cursor?.k;
  const plan = width === HOUR_S ? await hourlyRollupPlan(db, q) : undefined;
  const [rollupTotal, rollupPage] = plan
    ? await Promise.all([q.cursor?.n ?? countRollupPoints(db, q, plan), rollupRows(db, q, plan, from, key)])
    : [];
  let total: number;
  let rows: Row[];
  if (rollupTotal !== undefined && rollupPage !== undefined) {
    total = rollupTotal;
    rows = rollupPage;
  } else {
    // The count and the page at once, on two connections: a first page costs the slower of the two.
    [total, rows] = await Promise.all([
      q.cursor?.n ?? countPoints(db, q, width),
      width === 0 ? rawRows(db, q, from, key) : bucketRows(db, q, width, from, key),
    ]);
  }
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  let next: TimeseriesCursor | undefined;
  if (rows.length > q.limit && last) {
    const epoch = Number(last.epoch);
    next = {
      f: Math.floor(epoch * 1000),
      k: [epoch, last.series_type, last.source_id, Number(last.duration_ms)],
      n: total,
    };
  }
  return { points: page.map((r) => toPoint(r, q.resolution)), next, total };
}

type Key = TimeseriesCursor['k'];

const afterKey = (
  key: Key,
  time: ReturnType<typeof sql.ref> | ReturnType<typeof sql.raw>,
  type: ReturnType<typeof sql.raw>,
) =>
  key
    ? sql`and (${time}, ${type}, source_id, duration_ms) > (to_timestamp(${key[0]}), ${key[1]}::int2, ${key[2]}::int4, ${key[3]}::int4)`
    : sql``;

/** One ordered index range per type, merged: a page never sorts the whole range. */
async function rawRows(db: Db, q: Query, from: number, key: Key): Promise<Row[]> {
  const { rows } = await sql<Row>`
    select s.start_time as t, extract(epoch from s.start_time)::float8 as epoch, t.id as series_type, s.source_id,
           s.duration_ms, s.value, s.value as min, s.value as max, 1 as n, s.value as sum, d.provider,
           coalesce(d.device_name, d.app_name) as device
    from unnest(${q.typeIds}::int2[]) as t(id)
    cross join lateral (
      select start_time, source_id, duration_ms, value from samples
      where user_id = ${q.userId} and series_type = t.id
        and start_time >= ${new Date(from)} and start_time < ${new Date(q.toMs)}
        ${afterKey(key, sql.ref('start_time'), sql.raw('t.id'))}
      order by start_time, source_id, duration_ms
      limit ${q.limit + 1}
    ) s
    join data_sources d on d.id = s.source_id
    order by s.start_time, t.id, s.source_id, s.duration_ms
    limit ${q.limit + 1}`.execute(db);
  return rows;
}

/**
 * Aggregated rows, scanned in windows of whole buckets that start at the next stored sample: a page
 * reads about `limit` buckets of data wherever it is in the range, and gaps in the data cost one index
 * probe each, not a scan.
 */
async function bucketRows(db: Db, q: Query, width: number, from: number, key: Key): Promise<Row[]> {
  const widthMs = width * 1000;
  const origin = Date.parse(ORIGIN);
  const align = (ms: number) => Math.floor((ms - origin) / widthMs) * widthMs + origin;
  const interval = `${width} seconds`;
  const out: Row[] = [];
  let scanFrom = from;
  while (out.length <= q.limit && scanFrom < q.toMs) {
    const next = await firstSampleAt(db, q, scanFrom);
    if (next === undefined) break;
    const windowStart = Math.max(scanFrom, align(next));
    const windowEnd = Math.min(q.toMs, align(next) + (q.limit + 1 - out.length) * widthMs);
    const { rows } = await sql<Row>`
      select g.*, d.provider, coalesce(d.device_name, d.app_name) as device from (
        select date_bin(${interval}::interval, start_time, ${ORIGIN}::timestamptz) as t,
               extract(epoch from date_bin(${interval}::interval, start_time, ${ORIGIN}::timestamptz))::float8 as epoch,
               series_type, source_id, 0 as duration_ms, avg(value) as value, min(value) as min, max(value) as max,
               count(*)::int as n, sum(value) as sum
        from samples
        where user_id = ${q.userId} and series_type = any(${q.typeIds}::int2[])
          and start_time >= ${new Date(windowStart)} and start_time < ${new Date(windowEnd)}
        group by 1, 2, 3, 4
      ) g
      join data_sources d on d.id = g.source_id
      where true ${afterKey(key, sql.ref('t'), sql.raw('series_type'))}
      order by t, series_type, source_id
      limit ${q.limit + 1 - out.length}`.execute(db);
    out.push(...rows);
    scanFrom = windowEnd;
  }
  return out;
}

/** Start of the earliest sample at or after `fromMs` among the queried types (one index probe per type). */
async function firstSampleAt(db: Db, q: Query, fromMs: number): Promise<number | undefined> {
  const { rows } = await sql<{ first: Date | null }>`
    select min(f.start_time) as first from unnest(${q.typeIds}::int2[]) as t(id)
    cross join lateral (
      select start_time from samples
      where user_id = ${q.userId} and series_type = t.id
        and start_time >= ${new Date(fromMs)} and start_time < ${new Date(q.toMs)}
      order by start_time limit 1
    ) f`.execute(db);
  const first = rows[0]?.first;
  return first ? new Date(first).getTime() : undefined;
}

const HOUR_S = 3600;
const HOUR_MS = HOUR_S * 1000;
const DAY_MS = 86_400_000;
/** `sample_offset_days.utc_offset_min` of samples stored without an offset. */
const NO_OFFSET = -32768;
/**
 * How far (UTC) a sample can be from the range and still reach its local hours: two offsets apart at
 * most, and a smallint offset in minutes is at most ≈ 22.8 days; plus slack for the day granularity.
 */
const MAX_REACH_MS = 2 * 32_768 * 60_000 + 2 * DAY_MS;

/**
 * A series (type, source) served from `sample_rollups`: its rows for local hours
 * [from + shift, to + shift) are exactly its 1hour buckets [from, to) in UTC, bucket = local_hour − shift.
 */
export interface RollupSeries {
  seriesType: number;
  sourceId: number;
  /** Minutes, a whole number of hours. */
  shift: number;
}

export interface RollupPlan {
  series: RollupSeries[];
  /**
   * What the plan was decided on: the number of `sample_offset_days` rows read (an insert-only table,
   * so the same count is the same rows) and the user's zone. The statements that read the rollups
   * return both as they see them, and a plan overtaken by a concurrent write is not used.
   */
  offsetRows: number;
  timezone: string;
}

/** `sample_offset_days` rows whose samples could reach local hours of [from, to) under any shifts. */
const reachingOffsetDays = (q: Pick<Query, 'userId' | 'typeIds' | 'fromMs' | 'toMs'>) => {
  const dayOf = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  return sql`o.user_id = ${q.userId} and o.series_type = any(${q.typeIds}::int2[])
    and o.day >= ${dayOf(q.fromMs - MAX_REACH_MS)}::date and o.day <= ${dayOf(q.toMs + MAX_REACH_MS)}::date`;
};
const userZone = (userId: string) => sql`coalesce((select timezone from users where id = ${userId}), 'UTC')`;
/** Columns that let a rollup read tell whether its plan still holds (see RollupPlan). */
const planCheck = (q: Query) => sql`
  (select count(*)::int from sample_offset_days o where ${reachingOffsetDays(q)}) as offset_rows,
  ${userZone(q.userId)} as timezone`;
const planHolds = (plan: RollupPlan, row: { offset_rows: number; timezone: string } | undefined) =>
  row === undefined || (Number(row.offset_rows) === plan.offsetRows && row.timezone === plan.timezone);

/**
 * When a `1hour` query can be answered from the hourly rollups with exactly the numbers the samples
 * would give, the series to read and their shifts; otherwise undefined (the samples path answers).
 *
 * Rollups are per local hour (the sample's own offset, else the user's zone, else UTC); buckets are UTC
 * hours. A rollup row equals one UTC bucket when all its samples share one whole-hour shift. So, per
 * series with samples in the range: every sample of the range has the same whole-hour shift k (then each
 * lands in the row of its bucket + k), and no sample outside it with another shift (or a fractional
 * offset, e.g. +05:30, or a zone changing offset that day) can land in local hours [from + k, to + k)
 * (so no row holds a foreign sample). `sample_offset_days` tells, per UTC day, which offsets a series
 * carries: a superset of the truth, so the check is conservative at day granularity (a day with a DST
 * change falls back, and so do ranges its samples could reach). The range must start and end on
 * whole UTC hours: a partial bucket is not a rollup row.
 */
export async function hourlyRollupPlan(
  db: Db,
  q: Pick<Query, 'userId' | 'typeIds' | 'fromMs' | 'toMs'>,
): Promise<RollupPlan | undefined> {
  if (q.fromMs % HOUR_MS !== 0 || q.toMs % HOUR_MS !== 0 || q.typeIds.length === 0) return undefined;
  // Rows whose samples could land in local hours [from + k, to + k) for any shift k a smallint allows.
  // One row with only `tz` when there are none.
  const { rows } = await sql<{
    series_type: number | null;
    source_id: number;
    day: number;
    utc_offset_min: number;
    zone_start: number | null;
    zone_end: number | null;
    tz: string;
  }>`
    with zone as (select ${userZone(q.userId)} as tz)
    select o.series_type, o.source_id, (o.day - date '1970-01-01') as day, o.utc_offset_min, zone.tz,
           case when o.utc_offset_min = ${NO_OFFSET} then extract(epoch from
             ((o.day::timestamp at time zone 'UTC') at time zone zone.tz) - o.day::timestamp)::int / 60 end as zone_start,
           case when o.utc_offset_min = ${NO_OFFSET} then extract(epoch from
             (((o.day + 1)::timestamp at time zone 'UTC') at time zone zone.tz) - (o.day + 1)::timestamp)::int / 60 end as zone_end
    from zone left join sample_offset_days o on ${reachingOffsetDays(q)}
    order by o.series_type, o.source_id`.execute(db);
  const timezone = rows[0]?.tz ?? 'UTC';
  let offsetRows = 0;

  // Per row: its shift in minutes when it is one whole-hour value all day, else the local span its
  // samples' rollup hours can fall in.
  type Day = { start: number; shift: number | undefined; lo: number; hi: number };
  const bySeries = new Map<string, { seriesType: number; sourceId: number; days: Day[] }>();
  for (const r of rows) {
    if (r.series_type === null) continue;
    offsetRows++;
    const start = Number(r.day) * DAY_MS;
    let shift: number | undefined;
    let lo: number;
    let hi: number;
    if (r.utc_offset_min !== NO_OFFSET) {
      const offset = Number(r.utc_offset_min);
      if (offset % 60 === 0) shift = offset;
      // date_trunc('hour') of start + offset: at most an hour before it.
      lo = start + offset * 60_000 - HOUR_MS;
      hi = start + DAY_MS + offset * 60_000;
    } else {
      const a = Number(r.zone_start);
      const b = Number(r.zone_end);
      if (a === b && a % 60 === 0) shift = a;
      lo = start + Math.min(a, b) * 60_000 - DAY_MS;
      hi = start + DAY_MS + Math.max(a, b) * 60_000 + DAY_MS;
    }
    if (shift !== undefined) {
      lo = start + shift * 60_000;
      hi = start + DAY_MS + shift * 60_000;
    }
    const id = `${r.series_type}:${r.source_id}`;
    let series = bySeries.get(id);
    if (series === undefined) {
      series = { seriesType: Number(r.series_type), sourceId: Number(r.source_id), days: [] };
      bySeries.set(id, series);
    }
    series.days.push({ start, shift, lo, hi });
  }

  const plan: RollupSeries[] = [];
  for (const series of bySeries.values()) {
    const inRange = series.days.filter((d) => d.start < q.toMs && d.start + DAY_MS > q.fromMs);
    if (inRange.length === 0) continue;
    const k = inRange[0]?.shift;
    if (k === undefined || inRange.some((d) => d.shift !== k)) return undefined;
    const localFrom = q.fromMs + k * 60_000;
    const localTo = q.toMs + k * 60_000;
    if (series.days.some((d) => d.shift !== k && d.lo < localTo && d.hi > localFrom)) return undefined;
    plan.push({ seriesType: series.seriesType, sourceId: series.sourceId, shift: k });
  }
  return { series: plan, offsetRows, timezone };
}

const seriesArrays = (plan: RollupSeries[]) => sql`unnest(${plan.map((p) => p.seriesType)}::int2[],
  ${plan.map((p) => p.sourceId)}::int4[], ${plan.map((p) => p.shift)}::int4[]) as p(series_type, source_id, shift)`;

/** The rollup rows of one series for UTC hours [from, to) (local hours shifted by the series' offset). */
const seriesHours = (userId: string, fromMs: number, toMs: number) => sql`
  x.user_id = ${userId} and x.series_type = p.series_type and x.source_id = p.source_id
  and x.local_hour >= (${new Date(fromMs)}::timestamptz at time zone 'UTC') + p.shift * interval '1 minute'
  and x.local_hour < (${new Date(toMs)}::timestamptz at time zone 'UTC') + p.shift * interval '1 minute'`;

/**
 * One page of 1hour buckets from the rollups: the same rows, order and keyset as bucketRows; undefined
 * when the plan no longer holds.
 */
async function rollupRows(
  db: Db,
  q: Query,
  plan: RollupPlan,
  from: number,
  key: Key,
): Promise<Row[] | undefined> {
  if (plan.series.length === 0) return [];
  const bucket = sql`(x.local_hour - p.shift * interval '1 minute') at time zone 'UTC'`;
  const { rows } = await sql<Row & { offset_rows: number; timezone: string }>`
    select h.t, extract(epoch from h.t)::float8 as epoch, p.series_type, p.source_id, 0 as duration_ms,
           h.sum / h.n as value, h.min, h.max, h.n, h.sum, d.provider, coalesce(d.device_name, d.app_name) as device,
           ${planCheck(q)}
    from ${seriesArrays(plan.series)}
    cross join lateral (
      select ${bucket} as t, x.n, x.sum, x.min, x.max from sample_rollups x
      where ${seriesHours(q.userId, from, q.toMs)}
        ${key ? sql`and (${bucket}, p.series_type, p.source_id) > (to_timestamp(${key[0]}), ${key[1]}::int2, ${key[2]}::int4)` : sql``}
      order by x.local_hour
      limit ${q.limit + 1}
    ) h
    join data_sources d on d.id = p.source_id
    order by h.t, p.series_type, p.source_id
    limit ${q.limit + 1}`.execute(db);
  // An empty page has no rollup row a concurrent write could have put in the wrong bucket.
  return planHolds(plan, rows[0]) ? rows : undefined;
}

/** total_count from the rollups; undefined when the plan no longer holds. */
async function countRollupPoints(db: Db, q: Query, plan: RollupPlan): Promise<number | undefined> {
  if (plan.series.length === 0) return 0;
  const { rows } = await sql<{ n: number; offset_rows: number; timezone: string }>`
    select coalesce(sum(c.n), 0)::int as n, ${planCheck(q)} from ${seriesArrays(plan.series)}
    cross join lateral (
      select count(*) as n from sample_rollups x where ${seriesHours(q.userId, q.fromMs, q.toMs)}
    ) c`.execute(db);
  return planHolds(plan, rows[0]) ? (rows[0]?.n ?? 0) : undefined;
}

function toPoint(r: Row, resolution: Resolution): TimeseriesPoint {
  const info = findSeriesTypeById(r.series_type);
  const t = new Date(r.t);
  const base = {
    id: Buffer.from(`${r.series_type}:${t.getTime()}:${r.source_id}:${r.duration_ms}:${resolution}`).toString(
      'base64url',
    ),
    timestamp: t.toISOString(),
    series_type: info?.name ?? String(r.series_type),
    unit: info?.unit ?? '',
    source: { provider: r.provider, device: r.device },
  };
  if (resolution === 'raw') {
    return { ...base, value: Number(r.value), duration_seconds: Number(r.duration_ms) / 1000 };
  }
  const aggregation = info?.aggregation ?? 'avg';
  const value = aggregation === 'sum' ? Number(r.sum) : Number(r.value);
  return {
    ...base,
    value: Math.round(value * 1e6) / 1e6,
    aggregation,
    min: Number(r.min),
    max: Number(r.max),
    count: Number(r.n),
  };
}

async function countPoints(db: Db, q: Query, width: number): Promise<number> {
  const range = sql`user_id = ${q.userId} and series_type = any(${q.typeIds}::int2[])
    and start_time >= ${new Date(q.fromMs)} and start_time < ${new Date(q.toMs)}`;
  const { rows } =
    width === 0
      ? await sql<{ n: number }>`select count(*)::int as n from samples where ${range}`.execute(db)
      : await sql<{ n: number }>`
          select count(*)::int as n from (
            select 1 from samples where ${range}
            group by date_bin(${`${width} seconds`}::interval, start_time, ${ORIGIN}::timestamptz), series_type, source_id
          ) g`.execute(db);
  return rows[0]?.n ?? 0;
}
