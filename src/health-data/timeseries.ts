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
 */
export async function timeseriesPage(
  db: Db,
  q: Query,
): Promise<{ points: TimeseriesPoint[]; next: TimeseriesCursor | undefined; total: number }> {
  const width = resolutions[q.resolution];
  const from = Math.max(q.fromMs, q.cursor?.f ?? q.fromMs);
  const key = q.cursor?.k;
  const total = q.cursor?.n ?? (await countPoints(db, q, width));
  const rows = width === 0 ? await rawRows(db, q, from, key) : await bucketRows(db, q, width, from, key);
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
