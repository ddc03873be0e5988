import { sql } from 'kysely';
import type pg from 'pg';
import {
  BinaryCopyRows,
  copyBinaryInTransaction,
  copyPoolOf,
  fieldBytes,
  NULL_FIELD_BYTES,
  ROW_BYTES,
  uuidWords,
} from '../db/binary-copy.ts';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { binaryNumericArray, type NumericArrayType, numericArrays } from '../db/numeric-array.ts';
import { UserGoneError } from '../users/user-gone.ts';
import { sampleEventsCtes } from '../webhooks/outbox.ts';
import { type CanonicalSample, NO_OFFSET, type SampleColumns, toSampleColumns } from './canonical.ts';

/** Rows per INSERT: large enough to amortise round trips, small enough to keep PGlite's single session responsive. */
const CHUNK = 5000;
/**
 * Rows per COPY on PostgreSQL, where a statement holds up no other session: a whole import batch in one
 * transaction. Measured with 2M records in 10k batches: chunks of 10k rather than 5k took the database
 * from 8.4–8.9 s to 5.3–6.4 s of CPU (half the effects statements and commits), at the same peak memory.
 */
const COPY_CHUNK = 20_000;

/** A sample's local wall-clock hour: its own offset, else the user's zone, else UTC. */
const localHourSql = (timezone: string) => sql`date_trunc('hour', case
  when utc_offset_min is null then start_time at time zone ${timezone}
  else (start_time at time zone 'UTC') + utc_offset_min * interval '1 minute' end)`;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** A rollup's key, hour · 2^32 + source id, is an exact number for hours within ±2^20 of 1970 (1850–2089). */
const KEY_SPAN = 2 ** 32;
const MAX_HOUR = 2 ** 20;

/** One chunk of rows in key order, as the arrays its statement sends. */
interface ChunkRows {
  types: number[];
  starts: number[];
  sources: number[];
  durations: number[];
  values: number[];
  offsets: (number | null)[];
}

/**
 * What a chunk adds besides its rows, when all of it is new: hourly rollups, the (day, offset) pairs of
 * `sample_offset_days`, and a per-type tally for the webhook events. Tallied here, these cost the
 * database a few hundred rows per chunk instead of an aggregation over every inserted row.
 */
interface ChunkEffects {
  rollups: {
    type: number[];
    hour: number[];
    source: number[];
    n: number[];
    sum: number[];
    min: number[];
    max: number[];
  };
  days: { type: number[]; source: number[]; day: number[]; offset: number[] };
  types: { type: number[]; n: number[]; first: number[]; last: number[] };
}

/** Within one series type: by start, source, duration; 0 for equal keys. */
function compareInType(c: SampleColumns, sid: number[], a: number, b: number): number {
  return (
    (c.startMs[a] as number) - (c.startMs[b] as number) ||
    (sid[a] as number) - (sid[b] as number) ||
    (c.durationMs[a] as number) - (c.durationMs[b] as number)
  );
}

/**
 * The rows grouped by series type (ascending), each type's rows in input order: the key order when
 * each type's rows come in key order already, as an SDK's records of a type come in time order (types
 * interleaved); undefined otherwise. One pass instead of a comparator sort of the whole batch (the
 * sort was ~2% of the server's CPU in a bench:ingest profile).
 */
function presortedOrder(c: SampleColumns, sid: number[]): Uint32Array | undefined {
  const counts = new Map<number, number>();
  for (let i = 0; i < c.length; i++) {
    const t = c.seriesTypeId[i] as number;
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  /** Per type: the next slot of its group. */
  const next = new Map<number, number>();
  let at = 0;
  for (const t of [...counts.keys()].sort((a, b) => a - b)) {
    next.set(t, at);
    at += counts.get(t) as number;
  }
  const previous = new Map<number, number>();
  const order = new Uint32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const t = c.seriesTypeId[i] as number;
    const p = previous.get(t);
    // Equal keys may stay as they are: the earlier row comes first, as in the sort.
    if (p !== undefined && compareInType(c, sid, p, i) > 0) return undefined;
    previous.set(t, i);
    const slot = next.get(t) as number;
    order[slot] = i;
    next.set(t, slot + 1);
  }
  return order;
}

/** Row order for a write: by key, equal keys (the first one in the input wins) once. */
function keyOrder(c: SampleColumns, sid: number[]): Uint32Array {
  const order = presortedOrder(c, sid) ?? sortedOrder(c, sid);
  return withoutRepeatedKeys(c, sid, order);
}

function sortedOrder(c: SampleColumns, sid: number[]): Uint32Array {
  const order = new Uint32Array(c.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort(
    (a, b) =>
      (c.seriesTypeId[a] as number) - (c.seriesTypeId[b] as number) ||
      (c.startMs[a] as number) - (c.startMs[b] as number) ||
      (sid[a] as number) - (sid[b] as number) ||
      (c.durationMs[a] as number) - (c.durationMs[b] as number) ||
      a - b,
  );
}

/** `order` without its rows whose key equals the row's before it. */
function withoutRepeatedKeys(c: SampleColumns, sid: number[], order: Uint32Array): Uint32Array {
  let kept = 0;
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as number;
    const p = kept > 0 ? (order[kept - 1] as number) : -1;
    if (
      p >= 0 &&
      c.seriesTypeId[k] === c.seriesTypeId[p] &&
      c.startMs[k] === c.startMs[p] &&
      sid[k] === sid[p] &&
      c.durationMs[k] === c.durationMs[p]
    )
      continue;
    order[kept++] = k;
  }
  return order.subarray(0, kept);
}

function chunkRows(c: SampleColumns, sid: number[], order: Uint32Array): ChunkRows {
  const n = order.length;
  const rows: ChunkRows = {
    types: new Array(n),
    starts: new Array(n),
    sources: new Array(n),
    durations: new Array(n),
    values: new Array(n),
    offsets: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const k = order[i] as number;
    rows.types[i] = c.seriesTypeId[k] as number;
    rows.starts[i] = (c.startMs[k] as number) / 1000;
    rows.sources[i] = sid[k] as number;
    rows.durations[i] = c.durationMs[k] as number;
    rows.values[i] = c.value[k] as number;
    const o = c.utcOffsetMin[k] as number;
    rows.offsets[i] = o === NO_OFFSET ? null : o;
  }
  return rows;
}

/**
 * The chunk's effects, or undefined where this cannot tell a row's local hour the way localHourSql
 * does: a row without an offset under a named time zone (the zone rules live in the database), or a
 * time outside 1850–2089 (beyond the exact keys).
 */
function chunkEffects(
  c: SampleColumns,
  sid: number[],
  order: Uint32Array,
  timezone: string,
): ChunkEffects | undefined {
  const fx: ChunkEffects = {
    rollups: { type: [], hour: [], source: [], n: [], sum: [], min: [], max: [] },
    days: { type: [], source: [], day: [], offset: [] },
    types: { type: [], n: [], first: [], last: [] },
  };
  const r = fx.rollups;
  let type = Number.NaN;
  let hours = new Map<number, number>();
  /** Per source: day · 2^16 + offset of the (day, offset) pairs seen. */
  let days = new Map<number, Set<number>>();
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as number;
    const t = c.seriesTypeId[k] as number;
    const start = c.startMs[k] as number;
    const source = sid[k] as number;
    const value = c.value[k] as number;
    const stored = c.utcOffsetMin[k] as number;
    if (stored === NO_OFFSET && timezone !== 'UTC') return undefined;
    const hour = Math.floor((start + (stored === NO_OFFSET ? 0 : stored) * 60_000) / HOUR_MS);
    const day = Math.floor(start / DAY_MS);
    if (Math.abs(hour) >= MAX_HOUR) return undefined;
    if (t !== type) {
      // Rows come by type, then start: a type's rows are one run, its first row has its first start.
      type = t;
      hours = new Map();
      days = new Map();
      fx.types.type.push(t);
      fx.types.n.push(0);
      fx.types.first.push(start / 1000);
      fx.types.last.push(start / 1000);
    }
    const ti = fx.types.type.length - 1;
    fx.types.n[ti] = (fx.types.n[ti] as number) + 1;
    fx.types.last[ti] = start / 1000;
    const hourKey = hour * KEY_SPAN + source;
    const g = hours.get(hourKey);
    if (g === undefined) {
      hours.set(hourKey, r.type.length);
      r.type.push(t);
      r.hour.push((hour * HOUR_MS) / 1000);
      r.source.push(source);
      r.n.push(1);
      r.sum.push(value);
      r.min.push(value);
      r.max.push(value);
    } else {
      r.n[g] = (r.n[g] as number) + 1;
      r.sum[g] = (r.sum[g] as number) + value;
      if (value < (r.min[g] as number)) r.min[g] = value;
      if (value > (r.max[g] as number)) r.max[g] = value;
    }
    const dayKey = day * 65_536 + (stored + 32_768);
    let seen = days.get(source);
    if (seen === undefined) {
      seen = new Set();
      days.set(source, seen);
    }
    if (!seen.has(dayKey)) {
      seen.add(dayKey);
      fx.days.type.push(t);
      fx.days.source.push(source);
      fx.days.day.push(day);
      fx.days.offset.push(stored);
    }
  }
  return fx;
}

type Encode = (values: ArrayLike<number | null>, type: NumericArrayType) => string | Buffer;

/**
 * The write guard of every sample chunk: the user's row while they are not being deleted, locked `for
 * key share` until the chunk commits. `samples` and `sample_rollups` have no foreign key (bulk writes
 * stay cheap), so this is what keeps a deletion from racing a write: once `deleted_at` is set no chunk
 * starts, and the deletion's final `delete from users` waits for the chunks already holding the lock,
 * then sweeps what they wrote (src/data-rights/deletion/job.ts). One lock per chunk, not per row.
 */
const liveUserSql = (userId: string) =>
  sql`select 1 as live from users where id = ${userId}::uuid and deleted_at is null for key share`;

/**
 * The rest of a chunk's statement: writes the rollups, offset days and webhook events named by the
 * CTEs before it (`roll_in`, `days_in`, `ins_types`). Rollup upserts go in key order, so overlapping
 * concurrent chunks lock in one order: no deadlocks.
 */
const effectsCtes = (userId: string, types: number[]) => sql`,
  rolled as (
    insert into sample_rollups as r (user_id, series_type, local_hour, source_id, n, sum, min, max)
    select ${userId}::uuid, series_type, local_hour, source_id, n, sum, min, max
    from roll_in
    order by series_type, local_hour, source_id
    on conflict (user_id, series_type, local_hour, source_id) do update
      set n = r.n + excluded.n, sum = r.sum + excluded.sum,
          min = least(r.min, excluded.min), max = greatest(r.max, excluded.max)
  ),
  days as (
    insert into sample_offset_days (user_id, series_type, source_id, day, utc_offset_min)
    select ${userId}::uuid, series_type, source_id, day, utc_offset_min
    from days_in
    order by series_type, source_id, day, utc_offset_min
    on conflict do nothing
  )${sampleEventsCtes(userId, [...new Set(types)])}`;

/** Set-returning functions in the select list run in lockstep over equal-length arrays without the
 * tuplestore per array that `unnest(a, b, …)` in FROM fills (measured: 14% less database time). */
const insertRowsSql = (userId: string, rows: ChunkRows, e: Encode) => sql`
  insert into samples (user_id, series_type, start_time, source_id, duration_ms, value, utc_offset_min)
  select ${userId}::uuid, unnest(${e(rows.types, 'int2')}::int2[]),
         to_timestamp(unnest(${e(rows.starts, 'float8')}::float8[])), unnest(${e(rows.sources, 'int4')}::int4[]),
         unnest(${e(rows.durations, 'int4')}::int4[]), unnest(${e(rows.values, 'float8')}::float8[]),
         unnest(${e(rows.offsets, 'int2')}::int2[])
  from live`;

/**
 * The tallied effects of a new chunk as the `roll_in`, `days_in` and `ins_types` CTEs; `gated`: each
 * yields rows only when the statement's `live` CTE (the write guard) found the user.
 */
function tallyCtes(userId: string, fx: ChunkEffects, e: Encode, gated: boolean) {
  const { rollups: r, days: d, types: t } = fx;
  const from = gated ? sql`from live cross join` : sql`from`;
  return sql`roll_in as (
      select series_type, to_timestamp(h) at time zone 'UTC' as local_hour, source_id, n, sum, min, max
      ${from} unnest(${e(r.type, 'int2')}::int2[], ${e(r.hour, 'float8')}::float8[], ${e(r.source, 'int4')}::int4[],
                  ${e(r.n, 'int4')}::int4[], ${e(r.sum, 'float8')}::float8[], ${e(r.min, 'float8')}::float8[],
                  ${e(r.max, 'float8')}::float8[]) as u(series_type, h, source_id, n, sum, min, max)
    ),
    days_in as (
      select series_type, source_id, date '1970-01-01' + day as day, utc_offset_min
      ${from} unnest(${e(d.type, 'int2')}::int2[], ${e(d.source, 'int4')}::int4[], ${e(d.day, 'int4')}::int4[],
                  ${e(d.offset, 'int2')}::int2[])
                  as u(series_type, source_id, day, utc_offset_min)
    ),
    ins_types as (
      select series_type, n, to_timestamp(f) as first, to_timestamp(l) as last
      ${from} unnest(${e(t.type, 'int2')}::int2[], ${e(t.n, 'int4')}::int4[], ${e(t.first, 'float8')}::float8[],
                  ${e(t.last, 'float8')}::float8[])
                  as u(series_type, n, f, l)
    )${effectsCtes(userId, t.type)}`;
}

/** A chunk known to be new: a plain insert (fails whole on any existing key), effects as tallied. */
async function insertNewChunk(db: Db, userId: string, rows: ChunkRows, fx: ChunkEffects): Promise<void> {
  const e = numericArrays(db);
  // The main query reads `ins`, so the insert runs first and a stored key fails the statement before
  // the other CTEs (run after the main query, in no promised order) write anything.
  const { rows: out } = await sql<{ live: number }>`
    with live as (${liveUserSql(userId)}),
    ins as (${insertRowsSql(userId, rows, e)} returning 1),
    ${tallyCtes(userId, fx, e, true)}
    select (select count(*)::int from live) as live, count(*) from ins`.execute(db);
  if (out[0]?.live !== 1) throw new UserGoneError(userId);
}

const COPY_TARGET =
  'samples (user_id, series_type, start_time, source_id, duration_ms, value, utc_offset_min)';
/** A row of COPY_TARGET with an offset: uuid, int2, timestamptz, int4, int4, float8, int2. */
const SAMPLE_ROW_BYTES =
  ROW_BYTES + [16, 2, 8, 4, 4, 8, 2].reduce((sum, bytes) => sum + fieldBytes(bytes), 0);

/**
 * A chunk known to be new, on PostgreSQL: its rows by binary COPY (which fails whole on any existing
 * key, as the plain insert does), then its tallied effects, in one transaction.
 */
async function copyNewChunk(
  db: Db,
  pool: pg.Pool,
  userId: string,
  rows: ChunkRows,
  fx: ChunkEffects,
): Promise<void> {
  const user = uuidWords(userId);
  const n = rows.types.length;
  let nulls = 0;
  for (let i = 0; i < n; i++) if (rows.offsets[i] === null) nulls++;
  const out = new BinaryCopyRows(n * SAMPLE_ROW_BYTES - nulls * fieldBytes(2) + nulls * NULL_FIELD_BYTES);
  for (let i = 0; i < n; i++) {
    out.row(7);
    out.uuid(user);
    out.int2(rows.types[i] as number);
    out.timestamptzFromUnixSeconds(rows.starts[i] as number);
    out.int4(rows.sources[i] as number);
    out.int4(rows.durations[i] as number);
    out.float8(rows.values[i] as number);
    const offset = rows.offsets[i] as number | null;
    if (offset === null) out.null();
    else out.int2(offset);
  }
  const effects = sql`with ${tallyCtes(userId, fx, binaryNumericArray, false)} select 1`.compile(db);
  // The guard runs first in the COPY's transaction: its lock holds until the rows and effects commit.
  if (
    !(await copyBinaryInTransaction(
      pool,
      COPY_TARGET,
      out.finish(),
      effects,
      liveUserSql(userId).compile(db),
    ))
  )
    throw new UserGoneError(userId);
}

/** Any chunk: inserts what is new (or everything, unless `skipExisting`), effects from what it inserted. */
async function insertChunk(
  db: Db,
  userId: string,
  rows: ChunkRows,
  timezone: string,
  skipExisting: boolean,
): Promise<number> {
  const { rows: out } = await sql<{ inserted: number; live: number }>`
    with live as (${liveUserSql(userId)}),
    ins as (
      ${insertRowsSql(userId, rows, numericArrays(db))}
      ${skipExisting ? sql`on conflict do nothing` : sql``}
      returning series_type, start_time, source_id, value, utc_offset_min
    ),
    roll_in as (
      select series_type, ${localHourSql(timezone)} as local_hour, source_id,
             count(*)::int as n, sum(value) as sum, min(value) as min, max(value) as max
      from ins group by series_type, local_hour, source_id
    ),
    days_in as (
      select series_type, source_id, (start_time at time zone 'UTC')::date as day,
             coalesce(utc_offset_min, ${NO_OFFSET}) as utc_offset_min
      from ins group by 1, 2, 3, 4
    ),
    ins_types as (
      select series_type, count(*)::int as n, min(start_time) as first, max(start_time) as last
      from ins group by series_type
    )${effectsCtes(userId, rows.types)}
    select count(*)::int as inserted, (select count(*)::int from live) as live from ins`.execute(db);
  if (out[0]?.live !== 1) throw new UserGoneError(userId);
  return out[0]?.inserted ?? 0;
}

/** Runs `attempt`; a unique violation (the chunk holds a stored key) rolls it back and gives false. */
async function unlessExisting(db: Db, attempt: () => Promise<unknown>): Promise<boolean> {
  // Inside a transaction a failed statement would abort it: the attempt gets a savepoint there.
  if (db.isTransaction) await sql`savepoint sample_chunk`.execute(db);
  try {
    await attempt();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    if (db.isTransaction) await sql`rollback to savepoint sample_chunk`.execute(db);
    return false;
  }
  if (db.isTransaction) await sql`release savepoint sample_chunk`.execute(db);
  return true;
}

/**
 * Inserts samples idempotently (the primary key is the identity of a sample) and returns how many were
 * new; the hourly rollups grow by exactly the rows inserted, `sample_offset_days` learns their (day,
 * offset) pairs, and the webhook outbox gets the chunk's `series.<type>.created` /
 * `metrics.<family>.created` events, each chunk in one statement (or, by COPY, one transaction).
 * Rows go in key order.
 *
 * Most chunks are new data (a first import, the next SDK batch). They go as a plain INSERT (on
 * PostgreSQL outside a transaction: a binary COPY), with rollups tallied here: measured on 2 cores,
 * `on conflict do nothing` doubles the database's work per row, and aggregating the inserted rows in
 * SQL costs as much again. A chunk that holds a stored key makes that write fail as a whole and is
 * written again with `on conflict do nothing`, its effects aggregated from the rows it actually
 * inserted. A re-import fails at a chunk's first row, cheaply.
 */
export async function insertSamples(
  db: Db,
  userId: string,
  samples: CanonicalSample[] | SampleColumns,
  sourceIds: number[],
  timezone = 'UTC',
): Promise<number> {
  if (samples.length === 0) return 0;
  const c = Array.isArray(samples) ? toSampleColumns(samples) : samples;
  const sid = Array.from(c.source, (s) => sourceIds[s] as number);
  const order = keyOrder(c, sid);
  const pool = copyPoolOf(db);
  const chunk = pool === undefined ? CHUNK : COPY_CHUNK;
  let inserted = 0;
  for (let offset = 0; offset < order.length; offset += chunk) {
    const part = order.subarray(offset, offset + chunk);
    const rows = chunkRows(c, sid, part);
    const fx = chunkEffects(c, sid, part, timezone);
    const written = await unlessExisting(db, () =>
      fx === undefined
        ? insertChunk(db, userId, rows, timezone, false)
        : pool === undefined
          ? insertNewChunk(db, userId, rows, fx)
          : copyNewChunk(db, pool, userId, rows, fx),
    );
    inserted += written ? part.length : await insertChunk(db, userId, rows, timezone, true);
  }
  return inserted;
}

/**
 * Recomputes a user's rollups from their samples (after their time zone changed), in one transaction:
 * the caller's, when it passes one, so the zone change and its rollups commit or fail together.
 */
export async function rebuildRollups(db: Db, userId: string, timezone: string): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((trx) => rebuildRollups(trx, userId, timezone));
    return;
  }
  // Rollups are rebuilt from the stored samples, except where a retention policy dropped the samples
  // and kept only their hourly rollups (src/data-rights/retention): those hours, older than a day before
  // a series' first stored sample, stay as they were (in the old zone's local hours). The day next to
  // that boundary is rebuilt from what samples remain of it.
  await sql`
    delete from sample_rollups r
    where r.user_id = ${userId}
      and not exists (
        select 1 from (
          select min(start_time) as first from samples s
          where s.user_id = ${userId} and s.series_type = r.series_type and s.source_id = r.source_id
        ) f
        where f.first is null or r.local_hour < (f.first at time zone 'UTC') - interval '1 day')`.execute(db);
  await sql`
    insert into sample_rollups (user_id, series_type, local_hour, source_id, n, sum, min, max)
    select user_id, series_type, ${localHourSql(timezone)} as hour, source_id, count(*), sum(value), min(value), max(value)
    from samples where user_id = ${userId}
    group by user_id, series_type, hour, source_id
    on conflict (user_id, series_type, local_hour, source_id) do update
      set n = sample_rollups.n + excluded.n, sum = sample_rollups.sum + excluded.sum,
          min = least(sample_rollups.min, excluded.min), max = greatest(sample_rollups.max, excluded.max)`.execute(
    db,
  );
}

export async function deleteSamplesOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('samples').where('user_id', '=', userId).execute();
  await db.deleteFrom('sample_rollups').where('user_id', '=', userId).execute();
}

/** Stored sample counts per series type id and provider, for the data summary. */
export function countSamplesByTypeAndProvider(
  db: Db,
  userId: string,
): Promise<{ series_type: number; provider: string; count: number; first: Date; last: Date }[]> {
  return db
    .selectFrom('samples')
    .innerJoin('data_sources', 'data_sources.id', 'samples.source_id')
    .where('samples.user_id', '=', userId)
    .groupBy(['samples.series_type', 'data_sources.provider'])
    .select((eb) => [
      'samples.series_type',
      'data_sources.provider',
      eb.fn.countAll<number>().as('count'),
      eb.fn.min('samples.start_time').as('first'),
      eb.fn.max('samples.start_time').as('last'),
    ])
    .orderBy('samples.series_type')
    .orderBy('data_sources.provider')
    .execute();
}
