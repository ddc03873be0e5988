import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { TokenService } from '../auth/tokens.ts';
import { findSeriesTypeById, findSeriesTypeByName, SERIES_TYPES } from '../catalog/series-types.ts';
import { toCanonical } from '../catalog/units.ts';
import { WEARMETRICS_METRICS, WEARMETRICS_SOURCES } from '../catalog/wearmetrics.ts';
import type { Db } from '../db/database.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { ValidationError } from '../shared/errors.ts';
import { UserIdParams } from '../users/schemas.ts';
import { boundedTimestamp } from './date-range.ts';

const Query = z
  .object({
    start_time: boundedTimestamp,
    end_time: boundedTimestamp,
    cursor: z.string().max(500).optional().openapi({ description: 'next_cursor from the previous page' }),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .refine((q) => Date.parse(q.end_time) > Date.parse(q.start_time), {
    path: ['end_time'],
    message: 'end_time must be after start_time',
  });

const WearMetricsOut = z
  .object({
    timestamp: z.string(),
    device_id: z.string(),
    source: z.string(),
    metrics: z.record(z.string(), z.number()),
    meta: z.record(z.string(), z.unknown()),
    rr_ms: z.array(z.number()).optional(),
  })
  .openapi('WearMetricsSample');

const WearMetricsPage = z
  .object({
    data: z.array(WearMetricsOut),
    pagination: z.object({ next_cursor: z.string().nullable(), has_more: z.boolean() }),
  })
  .openapi('WearMetricsPage');

const CursorShape = z.object({
  /** Start time of the last group returned, with microseconds. */
  t: cursorField.timestamp(),
  s: cursorField.int4(),
  // A cursor belongs to one time range: using it on another would silently skip groups.
  q: cursorField.fingerprint(),
});
type Cursor = z.infer<typeof CursorShape>;

/** Canonical series id → the spec's stable key and the factor from the WearMetrics unit to canonical. */
const stableKeys = new Map<number, { key: string; factor: number }>();
for (const [key, { seriesType, unit }] of Object.entries(WEARMETRICS_METRICS)) {
  const info = findSeriesTypeByName(seriesType);
  const one = toCanonical(seriesType, 1, unit);
  if (info === undefined || !one.ok) throw new Error(`WearMetrics key ${key} does not map onto the catalog`);
  stableKeys.set(info.id, { key, factor: one.value });
}
const RR_INTERVAL = findSeriesTypeByName('rr_interval')?.id;
const ALL_TYPE_IDS = SERIES_TYPES.map((t) => t.id);

/** Phone platforms' providers → their WearMetrics adapter ids. */
const platformSources: Record<string, string> = {
  apple: 'apple_healthkit',
  google: 'health_connect',
  samsung: 'samsung_health',
};

/** Drops the float noise of a division or a sum (2500 / 1000, 0.1 + 0.2), as units.ts does. */
const tidy = (value: number) => Number.parseFloat(value.toPrecision(12));

interface Row {
  k: string;
  start_time: Date;
  source_id: number;
  series_type: number;
  duration_ms: number;
  value: number;
  utc_offset_min: number | null;
  provider: string;
  device_name: string | null;
  device_model: string | null;
  device_type: string | null;
  app_name: string | null;
  more: boolean;
}

/**
 * One page of (start_time, source) groups and every sample in them. Groups are chosen first, from a merge
 * of one ordered index range per series type, so a group's samples are never split across pages. A page
 * group is always among the first limit + 1 candidates of each type it contains (the groups of that type
 * before it are a subset of all groups before it), so the candidates also say which types to read back.
 */
async function pageRows(
  db: Db,
  userId: string,
  from: Date,
  to: Date,
  cursor: Cursor | undefined,
  limit: number,
): Promise<Row[]> {
  const after = cursor
    ? sql`and (start_time, source_id) > (${cursor.t}::timestamptz, ${cursor.s}::int4)`
    : sql``;
  const { rows } = await sql<Row>`
    with candidates as (
      select t.id as series_type, g.start_time, g.source_id
      from unnest(${ALL_TYPE_IDS}::int2[]) as t(id)
      cross join lateral (
        select distinct start_time, source_id from samples
        where user_id = ${userId} and series_type = t.id and start_time >= ${from} and start_time < ${to} ${after}
        order by start_time, source_id
        limit ${limit + 1}
      ) g
    ),
    groups as (
      select distinct start_time, source_id from candidates order by start_time, source_id limit ${limit + 1}
    ),
    page as (select * from groups order by start_time, source_id limit ${limit})
    select to_char(s.start_time at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as k, s.start_time,
           s.source_id, s.series_type, s.duration_ms, s.value, s.utc_offset_min, d.provider, d.device_name,
           d.device_model, d.device_type, d.app_name, (select count(*) from groups) > ${limit} as more
    from page p
    join candidates c on c.start_time = p.start_time and c.source_id = p.source_id
    join samples s on s.user_id = ${userId} and s.series_type = c.series_type
      and s.start_time = c.start_time and s.source_id = c.source_id
    join data_sources d on d.id = s.source_id
    order by s.start_time, s.source_id, s.series_type, s.duration_ms`.execute(db);
  return rows;
}

type Item = z.infer<typeof WearMetricsOut>;

function sourceIdOf(row: Row): string {
  if (row.app_name !== null && Object.hasOwn(WEARMETRICS_SOURCES, row.app_name)) return row.app_name;
  return platformSources[row.provider] ?? row.provider;
}

/**
 * Rows (ordered by group) → WearMetrics objects. Two samples of one type in a group (same start, different
 * durations) combine the way the type aggregates: amounts add up, levels average.
 */
function toItems(rows: Row[]): Item[] {
  const items: Item[] = [];
  let current:
    | { key: string; item: Item; sums: Map<string, { total: number; n: number; avg: boolean }> }
    | undefined;
  const flush = () => {
    if (current === undefined) return;
    for (const [key, { total, n, avg }] of current.sums) {
      current.item.metrics[key] = n === 1 ? total : tidy(avg ? total / n : total);
    }
    items.push(current.item);
  };
  for (const row of rows) {
    const groupKey = `${row.k}|${row.source_id}`;
    if (current?.key !== groupKey) {
      flush();
      const meta: Record<string, unknown> = { provider: row.provider };
      if (row.device_model !== null) meta.device_model = row.device_model;
      if (row.device_type !== null) meta.device_type = row.device_type;
      current = {
        key: groupKey,
        item: {
          timestamp: new Date(row.start_time).toISOString(),
          device_id: row.device_name ?? `source-${row.source_id}`,
          source: sourceIdOf(row),
          metrics: {},
          meta,
        },
        sums: new Map(),
      };
    }
    const { item, sums } = current;
    if (row.utc_offset_min !== null && item.meta.utc_offset_minutes === undefined) {
      item.meta.utc_offset_minutes = row.utc_offset_min;
    }
    if (row.series_type === RR_INTERVAL) {
      item.rr_ms ??= [];
      item.rr_ms.push(row.value);
      continue;
    }
    const stable = stableKeys.get(row.series_type);
    const info = findSeriesTypeById(row.series_type);
    const key = stable?.key ?? info?.name ?? `series_${row.series_type}`;
    const value = stable && stable.factor !== 1 ? tidy(row.value / stable.factor) : row.value;
    const acc = sums.get(key) ?? { total: 0, n: 0, avg: info?.aggregation !== 'sum' };
    acc.total += value;
    acc.n += 1;
    sums.set(key, acc);
  }
  flush();
  return items;
}

export function registerWearmetricsOutRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/wearmetrics',
      tags: ['Health data'],
      summary: "A user's samples in the WearMetrics shape (spec 003): one object per timestamp and source",
      description:
        'Stable metric keys (hr, hrv_rmssd, hrv_sdnn, steps, calories, distance in km, stress) where a series maps to one, the canonical series name otherwise; RR intervals in rr_ms. Keyset pages of whole objects: an object is never split across pages, and pages neither skip nor repeat while new data arrives.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: { params: UserIdParams, query: Query },
      responses: {
        200: {
          description: 'A page of WearMetrics objects',
          content: { 'application/json': { schema: WearMetricsPage } },
        },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const from = new Date(q.start_time);
      const to = new Date(q.end_time);
      const fingerprint = `${from.toISOString()}|${to.toISOString()}`;
      let cursor: Cursor | undefined;
      if (q.cursor !== undefined) {
        cursor = decodeCursor(q.cursor, CursorShape);
        if (cursor.q !== fingerprint) {
          throw new ValidationError([
            {
              loc: ['query', 'cursor'],
              msg: 'This cursor belongs to a different query',
              type: 'invalid_cursor',
            },
          ]);
        }
      }
      const rows = await pageRows(c.var.deps.db, c.req.valid('param').user_id, from, to, cursor, q.limit);
      const last = rows.at(-1);
      const hasMore = last !== undefined && Boolean(last.more);
      return c.json(
        {
          data: toItems(rows),
          pagination: {
            next_cursor: hasMore ? encodeCursor({ t: last.k, s: last.source_id, q: fingerprint }) : null,
            has_more: hasMore,
          },
        },
        200,
      );
    },
  );
}
