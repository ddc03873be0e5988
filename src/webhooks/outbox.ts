import { randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { findSeriesTypeById } from '../catalog/series-types.ts';
import type { Db } from '../db/database.ts';
import { familyEventType, seriesEventType } from './event-types.ts';

/**
 * The outbox. Events are written with the change that causes them (callers pass their transaction), as
 * one message row per event and one delivery row per enabled, subscribed endpoint; the delivery loop
 * (delivery.ts) sends them later. A developer without any enabled endpoint gets no rows at all, so
 * tenants that do not use webhooks pay one index probe per write and nothing else.
 */
export interface WebhookEvent {
  type: string;
  data: Record<string, unknown>;
  /** Owner of the event: the user's developer (resolved in SQL), or the developer directly. */
  userId?: string;
  developerId?: string;
}

/**
 * The channel on which a commit that made deliveries due wakes the delivery loops (delivery.ts), one per
 * schema so that WearLink instances sharing a database in different schemas do not wake one another.
 * PostgreSQL refuses channel names over 63 bytes: longer ones are cut, and two schemas whose names share
 * those 63 bytes merely wake each other's loops for nothing.
 */
export const webhookChannel = (schema: string) => `wearlink_webhooks_${schema}`.slice(0, 63);

/**
 * `NOTIFY` for this schema's delivery loops, the SQL twin of `webhookChannel` (the schema is the
 * session's search_path). PostgreSQL sends it at commit, never for a rolled-back write, and once per
 * transaction however often it is called.
 */
export const wakeDeliverySql = sql`pg_notify(left('wearlink_webhooks_' || current_schema(), 63), '')`;

/** Wakes the delivery loops at commit of the caller's transaction (at once without one). */
export async function wakeDelivery(db: Db): Promise<void> {
  await sql`select ${wakeDeliverySql}`.execute(db);
}

/** Bodies above this are split into chunks (DESIGN §5: ~1 MB). */
export const MAX_PAYLOAD_BYTES = 1_000_000;

export function newMessageId(): string {
  return `msg_${randomBytes(12).toString('base64url')}`;
}

/** UTC RFC 3339 with milliseconds, in SQL, whatever the session's time zone. */
export const isoSql = (expr: RawBuilder<unknown>) =>
  sql`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Endpoint `e` wants an event of type `eventType`: the SQL twin of `filterMatches`. */
export const endpointWantsSql = (eventType: RawBuilder<unknown>) => sql`e.enabled and (
  cardinality(e.filter_types) = 0 or exists (
    select 1 from unnest(e.filter_types) as f(pattern)
    where f.pattern = ${eventType} or f.pattern = '*'
       or (right(f.pattern, 2) = '.*' and starts_with(${eventType}, left(f.pattern, -1)))))`;

/**
 * `{type, timestamp, data}` bodies for one event: one, or several when it is larger than `maxBytes`, by
 * splitting its largest array (a route, a stage list) into chunks that each carry `chunk_index`,
 * `total_chunks` and a shared `chunk_group_id`.
 */
export function buildPayloads(
  type: string,
  data: Record<string, unknown>,
  timestamp: string,
  maxBytes = MAX_PAYLOAD_BYTES,
): string[] {
  const whole = JSON.stringify({ type, timestamp, data });
  if (Buffer.byteLength(whole) <= maxBytes) return [whole];
  let field: string | undefined;
  let fieldBytes = 0;
  for (const [key, value] of Object.entries(data)) {
    if (!Array.isArray(value)) continue;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > fieldBytes) [field, fieldBytes] = [key, bytes];
  }
  if (field === undefined) return [whole]; // nothing to split: sent whole
  const items = data[field] as unknown[];
  const envelope = JSON.stringify({
    type,
    timestamp,
    data: { ...data, [field]: [], chunk_index: 0, total_chunks: 0, chunk_group_id: 'x'.repeat(22) },
  });
  // Digits of the chunk counters may grow; keep a margin.
  const budget = maxBytes - Buffer.byteLength(envelope) - 32;
  const parts: unknown[][] = [];
  let current: unknown[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && size + bytes > budget) {
      parts.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  parts.push(current);
  const group = randomBytes(16).toString('base64url');
  return parts.map((part, index) =>
    JSON.stringify({
      type,
      timestamp,
      data: { ...data, [field]: part, chunk_index: index, total_chunks: parts.length, chunk_group_id: group },
    }),
  );
}

/** Records events in the outbox, within the caller's transaction when `db` is one. */
export async function enqueueWebhookEvents(db: Db, events: readonly WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  const ids: string[] = [];
  const developers: (string | null)[] = [];
  const users: (string | null)[] = [];
  const types: string[] = [];
  const payloads: string[] = [];
  const timestamp = new Date().toISOString();
  for (const event of events) {
    for (const payload of buildPayloads(event.type, event.data, timestamp)) {
      ids.push(newMessageId());
      developers.push(event.developerId ?? null);
      users.push(event.userId ?? null);
      types.push(event.type);
      payloads.push(payload);
    }
  }
  await sql`
    with input as (
      select u.id, coalesce(u.developer_id, usr.developer_id) as developer_id, u.event_type, u.payload, u.ord
      from unnest(${ids}::text[], ${developers}::uuid[], ${users}::uuid[], ${types}::text[], ${payloads}::text[])
             with ordinality as u(id, developer_id, user_id, event_type, payload, ord)
      left join users usr on usr.id = u.user_id
    ),
    msgs as (
      insert into webhook_messages (id, developer_id, event_type, payload)
      select i.id, i.developer_id, i.event_type, i.payload from input i
      where exists (select 1 from webhook_endpoints e where e.developer_id = i.developer_id and e.enabled)
      order by i.ord
      returning id, developer_id, event_type
    ),
    deliveries as (
      insert into webhook_deliveries (message_id, endpoint_id)
      select m.id, e.id from msgs m
      join webhook_endpoints e on e.developer_id = m.developer_id and ${endpointWantsSql(sql`m.event_type`)}
      returning 1
    )
    -- Only a write that made deliveries wakes the loops (no notification for tenants without webhooks).
    select ${wakeDeliverySql} from (select 1 from deliveries limit 1) one`.execute(db);
}

/**
 * Extra CTEs for insertSamples' statement, which names the per-type tally of the rows it actually
 * inserted `ins_types (series_type, n, first, last)`: one `series.<type>.created` event per type and one
 * `metrics.<family>.created` event per family, with counts and time ranges, written by the same statement.
 */
export function sampleEventsCtes(userId: string, seriesTypeIds: readonly number[]): RawBuilder<unknown> {
  const ids: number[] = [];
  const names: string[] = [];
  const families: string[] = [];
  for (const id of seriesTypeIds) {
    const info = findSeriesTypeById(id);
    if (info === undefined) continue;
    ids.push(id);
    names.push(seriesEventType(info.name));
    families.push(familyEventType(info.family));
  }
  const owner = sql`(select developer_id from users where id = ${userId}::uuid)`;
  return sql`,
      wh_types as (
        select st.event_type, st.family, split_part(st.event_type, '.', 2) as series_type, sum(t.n)::int as n,
               min(t.first) as first, max(t.last) as last
        from ins_types t join unnest(${ids}::int2[], ${names}::text[], ${families}::text[]) as st(id, event_type, family)
          on st.id = t.series_type
        where exists (select 1 from webhook_endpoints e where e.developer_id = ${owner} and e.enabled)
        group by st.event_type, st.family
      ),
      wh_events as (
        select event_type, jsonb_build_object('user_id', ${userId}::text, 'series_type', series_type, 'count', n,
                 'start_time', ${isoSql(sql`first`)}, 'end_time', ${isoSql(sql`last`)}) as data
        from wh_types
        union all
        select family, jsonb_build_object('user_id', ${userId}::text, 'family', split_part(family, '.', 2),
                 'count', sum(n), 'start_time', ${isoSql(sql`min(first)`)}, 'end_time', ${isoSql(sql`max(last)`)},
                 'series', jsonb_agg(jsonb_build_object('series_type', series_type, 'count', n,
                   'start_time', ${isoSql(sql`first`)}, 'end_time', ${isoSql(sql`last`)}) order by series_type))
        from wh_types group by family
      ),
      wh_msgs as (
        insert into webhook_messages (id, developer_id, event_type, payload)
        select 'msg_' || replace(gen_random_uuid()::text, '-', ''), ${owner}, event_type,
               jsonb_build_object('type', event_type, 'timestamp', ${isoSql(sql`now()`)}, 'data', data)::text
        from wh_events
        returning id, developer_id, event_type
      ),
      wh_deliveries as (
        insert into webhook_deliveries (message_id, endpoint_id)
        select m.id, e.id from wh_msgs m
        join webhook_endpoints e on e.developer_id = m.developer_id and ${endpointWantsSql(sql`m.event_type`)}
        -- The statement's own result is its caller's: the wake rides on each inserted delivery (a data-
        -- modifying CTE runs to completion, RETURNING included, and PostgreSQL sends it once at commit).
        returning ${wakeDeliverySql}
      )`;
}
