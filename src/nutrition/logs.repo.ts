import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { NutritionItemsTable, NutritionLogsTable } from '../db/schema.ts';
import type { ItemRow, LogRow, MacroField } from './schemas.ts';

/** The SQL of meal logs and their items. Statuses that count as eaten: recognized and manual. */
export const EATEN_STATUSES = ['recognized', 'manual'] as const;

export type NewLog = Insertable<NutritionLogsTable>;
export type NewItem = Insertable<NutritionItemsTable>;

export async function insertLog(trx: Db, log: NewLog): Promise<LogRow> {
  return trx.insertInto('nutrition_logs').values(log).returningAll().executeTakeFirstOrThrow();
}

export async function insertItems(trx: Db, items: NewItem[]): Promise<ItemRow[]> {
  if (items.length === 0) return [];
  return trx.insertInto('nutrition_items').values(items).returningAll().execute();
}

/** A log of the developer's user, or undefined (another tenant's log is as absent as a missing one). */
export function findUserLog(
  db: Db,
  developerId: string,
  userId: string,
  logId: string,
  options: { forUpdate?: boolean } = {},
): Promise<LogRow | undefined> {
  let query = db
    .selectFrom('nutrition_logs')
    .selectAll()
    .where('id', '=', logId)
    .where('developer_id', '=', developerId)
    .where('user_id', '=', userId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export function findLog(db: Db, logId: string, options: { forUpdate?: boolean } = {}) {
  let query = db.selectFrom('nutrition_logs').selectAll().where('id', '=', logId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function itemsByLog(db: Db, logIds: readonly string[]): Promise<Map<string, ItemRow[]>> {
  const out = new Map<string, ItemRow[]>(logIds.map((id) => [id, []]));
  if (logIds.length === 0) return out;
  const rows = await db
    .selectFrom('nutrition_items')
    .selectAll()
    .where('log_id', 'in', [...logIds])
    .orderBy('log_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
  for (const row of rows) out.get(row.log_id)?.push(row);
  return out;
}

export async function itemsOf(db: Db, logId: string): Promise<ItemRow[]> {
  return (await itemsByLog(db, [logId])).get(logId) ?? [];
}

export function findItem(trx: Db, logId: string, itemId: string): Promise<ItemRow | undefined> {
  return trx
    .selectFrom('nutrition_items')
    .selectAll()
    .where('id', '=', itemId)
    .where('log_id', '=', logId)
    .forUpdate()
    .executeTakeFirst();
}

export function updateItem(trx: Db, itemId: string, set: Updateable<NutritionItemsTable>): Promise<ItemRow> {
  return trx
    .updateTable('nutrition_items')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', itemId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function updateLog(trx: Db, logId: string, set: Updateable<NutritionLogsTable>): Promise<LogRow> {
  return trx
    .updateTable('nutrition_logs')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', logId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** `[from, to]` local days of `timeZone` as instants: `detected_at` is compared in the user's zone. */
function localDayBounds(timeZone: string, from?: string, to?: string) {
  return {
    lower: from === undefined ? undefined : sql`(${from}::date)::timestamp at time zone ${timeZone}`,
    upper: to === undefined ? undefined : sql`((${to}::date + 1)::timestamp) at time zone ${timeZone}`,
  };
}

export interface ListFilter {
  timeZone: string;
  from?: string | undefined;
  to?: string | undefined;
  mealType?: string | undefined;
  /** Keyset: rows strictly after this one (newest first). */
  after?: { t: string; i: string } | undefined;
  limit: number;
}

/** The user's logs, newest meal first; discarded logs are hidden. */
export async function listLogs(
  db: Db,
  userId: string,
  filter: ListFilter,
): Promise<{ rows: LogRow[]; total: number }> {
  const { lower, upper } = localDayBounds(filter.timeZone, filter.from, filter.to);
  let base = db.selectFrom('nutrition_logs').where('user_id', '=', userId).where('status', '!=', 'discarded');
  if (lower) base = base.where(sql<boolean>`detected_at >= ${lower}`);
  if (upper) base = base.where(sql<boolean>`detected_at < ${upper}`);
  if (filter.mealType !== undefined) base = base.where('meal_type', '=', filter.mealType);
  let page = base.selectAll();
  // Keyed at millisecond precision, as the cursor carries it (a detected_at written in µs would repeat).
  const at = sql`date_trunc('milliseconds', detected_at)`;
  if (filter.after) {
    const { t, i } = filter.after;
    page = page.where(sql<boolean>`(${at}, id) < (${t}::timestamptz, ${i}::uuid)`);
  }
  const [rows, count] = await Promise.all([
    page.orderBy(at, 'desc').orderBy('id', 'desc').limit(filter.limit).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

export interface DayTotals {
  date: string;
  log_count: number;
  totals: Record<MacroField, number>;
}

/** What the user ate per local day: recognized and manual logs only (pending, failed, discarded don't count). */
export async function dailyTotals(
  db: Db,
  userId: string,
  timeZone: string,
  from: string,
  to: string,
): Promise<Map<string, DayTotals>> {
  const { lower, upper } = localDayBounds(timeZone, from, to);
  const { rows } = await sql<{
    day: string;
    log_count: number;
    calories_kcal: number;
    protein_g: number;
    carbs_g: number;
    fat_g: number;
    fiber_g: number;
    sugar_g: number;
    sodium_mg: number;
  }>`
    select to_char((l.detected_at at time zone ${timeZone})::date, 'YYYY-MM-DD') as day,
           count(distinct l.id)::int as log_count,
           coalesce(sum(i.calories_kcal), 0)::float8 as calories_kcal,
           coalesce(sum(i.protein_g), 0)::float8 as protein_g,
           coalesce(sum(i.carbs_g), 0)::float8 as carbs_g,
           coalesce(sum(i.fat_g), 0)::float8 as fat_g,
           coalesce(sum(i.fiber_g), 0)::float8 as fiber_g,
           coalesce(sum(i.sugar_g), 0)::float8 as sugar_g,
           coalesce(sum(i.sodium_mg), 0)::float8 as sodium_mg
    from nutrition_logs l
    left join nutrition_items i on i.log_id = l.id
    where l.user_id = ${userId} and l.status in ('recognized', 'manual')
      and l.detected_at >= ${lower} and l.detected_at < ${upper}
    group by 1`.execute(db);
  const r1 = (v: number) => Math.round(Number(v) * 10) / 10;
  return new Map(
    rows.map((r) => [
      r.day,
      {
        date: r.day,
        log_count: r.log_count,
        totals: {
          calories_kcal: r1(r.calories_kcal),
          protein_g: r1(r.protein_g),
          carbs_g: r1(r.carbs_g),
          fat_g: r1(r.fat_g),
          fiber_g: r1(r.fiber_g),
          sugar_g: r1(r.sugar_g),
          sodium_mg: r1(r.sodium_mg),
        },
      },
    ]),
  );
}

/** The review queue (instance-wide): logs a reviewer must resolve, oldest first. */
export function reviewQueue(db: Db, limit: number, after?: { t: string; i: string }) {
  let query = db
    .selectFrom('nutrition_logs')
    .selectAll()
    .where('review_state', '=', 'queued')
    .where('status', 'in', ['pending', 'failed']);
  // Keyed at millisecond precision, as the cursor carries it (created_at is written by now(), in µs).
  const at = sql`date_trunc('milliseconds', created_at)`;
  if (after) query = query.where(sql<boolean>`(${at}, id) > (${after.t}::timestamptz, ${after.i}::uuid)`);
  return query.orderBy(at).orderBy('id').limit(limit).execute();
}

export async function reviewQueueCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('nutrition_logs')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('review_state', '=', 'queued')
    .where('status', 'in', ['pending', 'failed'])
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Photos older than the retention: their blobs go, the logs stay (image_deleted_at). */
export function expiredImages(db: Db, before: Date, limit: number) {
  return db
    .selectFrom('nutrition_logs')
    .select(['id', 'image_key'])
    .where('image_key', 'is not', null)
    .where('image_deleted_at', 'is', null)
    .where('created_at', '<', before)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

/**
 * The stored photo of a developer's user's log (tenant-scoped like findUserLog): its blob key and type,
 * and when retention deleted it. Undefined when there is no such log.
 */
export function findUserLogImage(db: Db, developerId: string, userId: string, logId: string) {
  return db
    .selectFrom('nutrition_logs')
    .select(['image_key', 'image_content_type', 'image_deleted_at'])
    .where('id', '=', logId)
    .where('developer_id', '=', developerId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}
