import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { sql } from 'kysely';
import { SERIES_TYPES } from '../../catalog/series-types.ts';
import { toConnection } from '../../connections/connections.routes.ts';
import type { Db } from '../../db/database.ts';
import type { UserRow } from '../../db/schema.ts';
import { activitySummaries, sleepSummaries } from '../../health-data/daily-summaries.ts';
import {
  READ_MAX_DATE,
  READ_MIN_DATE,
  STORABLE_MAX_MS,
  STORABLE_MIN_MS,
} from '../../health-data/date-range.ts';
import { sleepRows, toSleep, toWorkout, workoutRows } from '../../health-data/events.routes.ts';
import { type TimeseriesCursor, timeseriesPage } from '../../health-data/timeseries.ts';
import { toSyncRun } from '../../sync/sync-runs.routes.ts';
import { toUser } from '../../users/users.routes.ts';
import { ZipWriter } from './zip-writer.ts';

/**
 * One user's data as a ZIP of NDJSON files (one per data type) plus `manifest.json`. Every file is read
 * from the database in keyset pages and written into the ZIP as it is read, so memory stays flat
 * whatever the account's size. Rows are the read API's own shapes (its queries and serializers), so a
 * line of `workouts.ndjson` is an item of GET /events/workouts.
 */

/** Bumped when a file's name or a row's shape changes incompatibly. */
export const EXPORT_FORMAT_VERSION = 1;
/** Rows per database page. */
const PAGE_ROWS = 2000;
/** NDJSON is handed to the ZIP in chunks of about this many bytes. */
const CHUNK_CHARS = 64 * 1024;
/** Days per daily-summary query (the API's own limit is 366). */
const SUMMARY_WINDOW_DAYS = 92;
const DAY_MS = 86_400_000;

export interface ExportFileSummary {
  name: string;
  /** Lines (rows) in the file. */
  count: number;
  /** SHA-256 of the file's (uncompressed) bytes, hex. */
  sha256: string;
  bytes: number;
}

export interface ExportManifest {
  format_version: number;
  generated_at: string;
  user: ReturnType<typeof toUser>;
  /** Earliest start and latest end among the samples, workouts and sleep sessions; null without any. */
  time_range: { start: string; end: string } | null;
  files: ExportFileSummary[];
}

interface ExportFile {
  name: string;
  /**
   * The file's rows, a database page at a time: each page is turned into text in one synchronous pass,
   * so its objects die young instead of living across an await per row (which promoted them to V8's old
   * space and let the heap grow with the export's size).
   */
  pages: () => AsyncIterable<readonly unknown[]>;
}

/** Min/max instants seen while writing, for the manifest's time range. */
class Span {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  add(startMs: number, endMs: number): void {
    if (startMs < this.min) this.min = startMs;
    if (endMs > this.max) this.max = endMs;
  }
  toJSON(): ExportManifest['time_range'] {
    if (!Number.isFinite(this.min)) return null;
    return { start: new Date(this.min).toISOString(), end: new Date(this.max).toISOString() };
  }
}

/** Series types the user has samples of: one index probe per catalogue type. */
async function seriesTypesOf(db: Db, userId: string): Promise<{ id: number; name: string }[]> {
  const ids = SERIES_TYPES.map((t) => t.id);
  const { rows } = await sql<{ id: number }>`
    select t.id from unnest(${ids}::int2[]) as t(id)
    where exists (select 1 from samples s where s.user_id = ${userId} and s.series_type = t.id)
    order by t.id`.execute(db);
  const present = new Set(rows.map((r) => Number(r.id)));
  return SERIES_TYPES.filter((t) => present.has(t.id)).map((t) => ({ id: t.id, name: t.name }));
}

async function* sampleRows(
  db: Db,
  userId: string,
  typeId: number,
  span: Span,
): AsyncIterable<readonly unknown[]> {
  let cursor: TimeseriesCursor | undefined;
  do {
    const page = await timeseriesPage(db, {
      userId,
      typeIds: [typeId],
      fromMs: STORABLE_MIN_MS,
      toMs: STORABLE_MAX_MS,
      resolution: 'raw',
      limit: PAGE_ROWS,
      cursor,
    });
    for (const point of page.points) {
      const start = Date.parse(point.timestamp);
      span.add(start, start + (point.duration_seconds ?? 0) * 1000);
    }
    yield page.points;
    cursor = page.next;
  } while (cursor !== undefined);
}

/** Whole-range windows for the read API's event queries (their keyset pages, with our own cursor). */
const everything = { from: new Date(STORABLE_MIN_MS), to: new Date(STORABLE_MAX_MS) };

async function* workoutLines(db: Db, userId: string, span: Span): AsyncIterable<readonly unknown[]> {
  let cursor: { t: string; i: string; q: string } | undefined;
  for (;;) {
    const rows = await workoutRows(db, { userId, ...everything, cursor, limit: PAGE_ROWS });
    const page = rows.slice(0, PAGE_ROWS);
    for (const row of page) span.add(new Date(row.start_time).getTime(), new Date(row.end_time).getTime());
    yield page.map(toWorkout);
    const last = page.at(-1);
    if (rows.length <= PAGE_ROWS || last === undefined) return;
    cursor = { t: last.k, i: last.id, q: '' };
  }
}

async function* sleepLines(db: Db, userId: string, span: Span): AsyncIterable<readonly unknown[]> {
  let cursor: { t: string; i: string; q: string } | undefined;
  for (;;) {
    const rows = await sleepRows(db, { userId, ...everything, cursor, limit: PAGE_ROWS });
    const page = rows.slice(0, PAGE_ROWS);
    for (const row of page) span.add(new Date(row.start_time).getTime(), new Date(row.end_time).getTime());
    yield page.map(toSleep);
    const last = page.at(-1);
    if (rows.length <= PAGE_ROWS || last === undefined) return;
    cursor = { t: last.k, i: last.id, q: '' };
  }
}

/** GPS points of every workout, workout by workout, in time order. */
async function* routePointLines(db: Db, userId: string): AsyncIterable<readonly unknown[]> {
  let afterWorkout: { t: Date; id: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('workouts')
      .select(['id', 'start_time'])
      .where('user_id', '=', userId)
      .orderBy('start_time')
      .orderBy('id')
      .limit(PAGE_ROWS);
    if (afterWorkout !== undefined) {
      const after = afterWorkout;
      q = q.where(sql<boolean>`(start_time, id) > (${after.t}, ${after.id}::uuid)`);
    }
    const workouts = await q.execute();
    for (const workout of workouts) {
      let afterTime: Date | undefined;
      for (;;) {
        let points = db
          .selectFrom('workout_route_points')
          .select([
            'time',
            'latitude',
            'longitude',
            'altitude_m',
            'speed_m_per_s',
            'course_deg',
            'horizontal_accuracy_m',
            'vertical_accuracy_m',
          ])
          .where('workout_id', '=', workout.id)
          .orderBy('time')
          .limit(PAGE_ROWS);
        if (afterTime !== undefined) points = points.where('time', '>', afterTime);
        const page = await points.execute();
        yield page.map((p) => ({
          workout_id: workout.id,
          time: new Date(p.time).toISOString(),
          latitude: p.latitude,
          longitude: p.longitude,
          altitude_meters: p.altitude_m,
          speed_meters_per_second: p.speed_m_per_s,
          course_degrees: p.course_deg,
          horizontal_accuracy_meters: p.horizontal_accuracy_m,
          vertical_accuracy_meters: p.vertical_accuracy_m,
        }));
        if (page.length < PAGE_ROWS) break;
        afterTime = page.at(-1)?.time;
      }
    }
    const last = workouts.at(-1);
    if (workouts.length < PAGE_ROWS || last === undefined) return;
    afterWorkout = { t: last.start_time, id: last.id };
  }
}

/** Health scores as GET /health-scores shows them, oldest day first. */
async function* scoreLines(db: Db, userId: string): AsyncIterable<readonly unknown[]> {
  let after: { d: string; c: string; id: string } | undefined;
  for (;;) {
    const { rows } = await sql<{
      id: string;
      date: string;
      category: string;
      score: number;
      range_min: number;
      range_max: number;
      provider: string;
      components: Record<string, unknown> | null;
    }>`
      select id, to_char(date, 'YYYY-MM-DD') as date, category, score, range_min, range_max, provider, components
      from health_scores where user_id = ${userId}
      ${after ? sql`and (date, category, id) > (${after.d}::date, ${after.c}, ${after.id}::uuid)` : sql``}
      order by date, category, id limit ${PAGE_ROWS}`.execute(db);
    yield rows.map((r) => ({
      id: r.id,
      date: r.date,
      category: r.category,
      score: r.score,
      range_min: r.range_min,
      range_max: r.range_max,
      provider: r.provider,
      components: r.components ?? {},
    }));
    const last = rows.at(-1);
    if (rows.length < PAGE_ROWS || last === undefined) return;
    after = { d: last.date, c: last.category, id: last.id };
  }
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const clampDay = (day: string) =>
  day < READ_MIN_DATE ? READ_MIN_DATE : day > READ_MAX_DATE ? READ_MAX_DATE : day;

/** Local days that can hold activity (hourly rollups) or sleep (a session ending that day, any offset). */
async function summaryDays(db: Db, userId: string): Promise<{ from: string; to: string } | undefined> {
  const { rows } = await sql<{ first: string | null; last: string | null }>`
    select least(r.first, s.first) as first, greatest(r.last, s.last) as last from
      (select to_char(min(local_hour), 'YYYY-MM-DD') as first, to_char(max(local_hour), 'YYYY-MM-DD') as last
         from sample_rollups where user_id = ${userId}) r,
      (select to_char(min(end_time) - interval '1 day', 'YYYY-MM-DD') as first,
              to_char(max(end_time) + interval '1 day', 'YYYY-MM-DD') as last
         from sleep_sessions where user_id = ${userId}) s`.execute(db);
  const row = rows[0];
  if (!row?.first || !row.last) return undefined;
  return { from: clampDay(row.first), to: clampDay(row.last) };
}

async function* summaryLines(
  db: Db,
  userId: string,
  read: (db: Db, userId: string, from: string, to: string) => Promise<unknown[]>,
): AsyncIterable<readonly unknown[]> {
  const days = await summaryDays(db, userId);
  if (days === undefined) return;
  const end = Date.parse(`${days.to}T00:00:00Z`);
  for (
    let start = Date.parse(`${days.from}T00:00:00Z`);
    start <= end;
    start += SUMMARY_WINDOW_DAYS * DAY_MS
  ) {
    const to = Math.min(end, start + (SUMMARY_WINDOW_DAYS - 1) * DAY_MS);
    yield await read(db, userId, isoDay(start), isoDay(to));
  }
}

async function* connectionLines(db: Db, userId: string): AsyncIterable<readonly unknown[]> {
  // A user has a handful of connections; toConnection leaves tokens, scopes and settings out.
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  yield rows.map(toConnection);
}

async function* syncRunLines(
  db: Db,
  userId: string,
  excludeRunId: string | undefined,
): AsyncIterable<readonly unknown[]> {
  let after: { t: Date; id: string } | undefined;
  for (;;) {
    let q = db
      .selectFrom('sync_runs')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(PAGE_ROWS);
    // The export's own run is still in progress while it is written.
    if (excludeRunId !== undefined) q = q.where('id', '!=', excludeRunId);
    if (after !== undefined) {
      const a = after;
      q = q.where(sql<boolean>`(created_at, id) > (${a.t}, ${a.id})`);
    }
    const rows = await q.execute();
    yield rows.map(toSyncRun);
    const last = rows.at(-1);
    if (rows.length < PAGE_ROWS || last === undefined) return;
    after = { t: last.created_at, id: last.id };
  }
}

/** Nutrition (issue 19) tables, when this database has them. */
async function nutritionTables(db: Db): Promise<{ logs: boolean; items: boolean }> {
  const { rows } = await sql<{ logs: string | null; items: string | null }>`
    select to_regclass('nutrition_logs')::text as logs, to_regclass('nutrition_items')::text as items`.execute(
    db,
  );
  return { logs: Boolean(rows[0]?.logs), items: Boolean(rows[0]?.items) };
}

/** Internal columns a nutrition row is exported without (tenant, storage keys, queue ids). */
const NUTRITION_INTERNAL = new Set(['developer_id', 'image_key', 'job_id']);

async function* nutritionLines(db: Db, table: 'nutrition_logs' | 'nutrition_items', userId: string) {
  let after: { t: Date; id: string } | undefined;
  for (;;) {
    const { rows } = await sql<Record<string, unknown> & { id: string; created_at: Date }>`
      select * from ${sql.table(table)} where user_id = ${userId}
      ${after ? sql`and (created_at, id) > (${after.t}, ${after.id}::uuid)` : sql``}
      order by created_at, id limit ${PAGE_ROWS}`.execute(db);
    yield rows.map((row) =>
      Object.fromEntries(Object.entries(row).filter(([k]) => !NUTRITION_INTERNAL.has(k))),
    );
    const last = rows.at(-1);
    if (rows.length < PAGE_ROWS || last === undefined) return;
    after = { t: last.created_at, id: last.id };
  }
}

/** The files of one user's export, in the order they are written. */
async function exportFiles(db: Db, userId: string, span: Span, excludeRunId?: string): Promise<ExportFile[]> {
  const [types, nutrition] = await Promise.all([seriesTypesOf(db, userId), nutritionTables(db)]);
  const files: ExportFile[] = [
    ...types.map((t) => ({
      name: `samples/${t.name}.ndjson`,
      pages: () => sampleRows(db, userId, t.id, span),
    })),
    { name: 'workouts.ndjson', pages: () => workoutLines(db, userId, span) },
    { name: 'workout_route_points.ndjson', pages: () => routePointLines(db, userId) },
    { name: 'sleep_sessions.ndjson', pages: () => sleepLines(db, userId, span) },
    {
      name: 'daily_activity_summaries.ndjson',
      pages: () => summaryLines(db, userId, activitySummaries),
    },
    { name: 'daily_sleep_summaries.ndjson', pages: () => summaryLines(db, userId, sleepSummaries) },
    { name: 'health_scores.ndjson', pages: () => scoreLines(db, userId) },
    { name: 'connections.ndjson', pages: () => connectionLines(db, userId) },
    { name: 'sync_runs.ndjson', pages: () => syncRunLines(db, userId, excludeRunId) },
  ];
  if (nutrition.logs) {
    files.push({ name: 'nutrition_logs.ndjson', pages: () => nutritionLines(db, 'nutrition_logs', userId) });
  }
  if (nutrition.items) {
    files.push({
      name: 'nutrition_items.ndjson',
      pages: () => nutritionLines(db, 'nutrition_items', userId),
    });
  }
  return files;
}

/** Pages of rows as NDJSON chunks, counted and hashed on the way. */
async function* ndjson(
  pages: AsyncIterable<readonly unknown[]>,
  stats: { count: number; bytes: number; hash: ReturnType<typeof createHash> },
): AsyncIterable<Buffer> {
  let text = '';
  const flush = () => {
    const chunk = Buffer.from(text, 'utf8');
    text = '';
    stats.bytes += chunk.length;
    stats.hash.update(chunk);
    return chunk;
  };
  for await (const page of pages) {
    for (const row of page) {
      text += `${JSON.stringify(row)}\n`;
      stats.count += 1;
    }
    if (text.length >= CHUNK_CHARS) yield flush();
  }
  if (text.length > 0) yield flush();
}

export interface WriteExportOptions {
  /** The export's own run, left out of sync_runs.ndjson. */
  excludeRunId?: string;
  /** Called before each file (index from 0) and once after the last with index = total. */
  onProgress?: (done: number, total: number, file: string | undefined) => Promise<void>;
  /** Passed to the ZIP writer (see ZipWriter). */
  zip: ConstructorParameters<typeof ZipWriter>[1];
}

/** Writes the user's export ZIP into `out` (and ends it); returns its manifest and size. */
export async function writeExport(
  db: Db,
  user: UserRow,
  out: Writable,
  options: Partial<WriteExportOptions> = {},
): Promise<{ manifest: ExportManifest; bytes: number }> {
  try {
    return await writeZip(db, user, out, options);
  } catch (error) {
    // A half-written archive: close the file (or socket) now rather than leave it open.
    out.destroy();
    throw error;
  }
}

async function writeZip(
  db: Db,
  user: UserRow,
  out: Writable,
  options: Partial<WriteExportOptions>,
): Promise<{ manifest: ExportManifest; bytes: number }> {
  const zip = new ZipWriter(out, options.zip);
  const span = new Span();
  const generatedAt = new Date();
  const files = await exportFiles(db, user.id, span, options.excludeRunId);
  const summaries: ExportFileSummary[] = [];
  for (const [index, file] of files.entries()) {
    await options.onProgress?.(index, files.length, file.name);
    const stats = { count: 0, bytes: 0, hash: createHash('sha256') };
    await zip.addEntry(file.name, ndjson(file.pages(), stats), generatedAt);
    summaries.push({
      name: file.name,
      count: stats.count,
      sha256: stats.hash.digest('hex'),
      bytes: stats.bytes,
    });
  }
  const manifest: ExportManifest = {
    format_version: EXPORT_FORMAT_VERSION,
    generated_at: generatedAt.toISOString(),
    user: toUser(user),
    time_range: span.toJSON(),
    files: summaries,
  };
  await zip.addEntry('manifest.json', [`${JSON.stringify(manifest, null, 2)}\n`], generatedAt);
  await zip.finish();
  await options.onProgress?.(files.length, files.length, undefined);
  return { manifest, bytes: zip.bytesWritten };
}
