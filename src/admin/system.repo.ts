import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import { nutritionBlobStore } from '../nutrition/nutrition.routes.ts';
import {
  DATA_RIGHTS_QUEUE,
  IMPORT_QUEUE,
  INGEST_QUEUE,
  NUTRITION_QUEUE,
  PROVIDER_WEBHOOK_QUEUE,
  type QueueName,
  SYNC_QUEUE,
} from '../sync/job-queue.ts';

export const QUEUE_NAMES: readonly QueueName[] = [
  SYNC_QUEUE,
  IMPORT_QUEUE,
  INGEST_QUEUE,
  PROVIDER_WEBHOOK_QUEUE,
  DATA_RIGHTS_QUEUE,
  NUTRITION_QUEUE,
];

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Every table of WearLink's schema with its size on disk (table, indexes and TOAST), biggest first. */
export async function tableSizes(
  db: Db,
): Promise<{ table: string; total_bytes: number; rows_estimate: number }[]> {
  const { rows } = await sql<{ table: string; total_bytes: string; rows_estimate: string | number }>`
    select c.relname as "table", pg_total_relation_size(c.oid) as total_bytes,
           greatest(c.reltuples, 0)::bigint as rows_estimate
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p') and n.nspname = current_schema()
    order by pg_total_relation_size(c.oid) desc, c.relname`.execute(db);
  return rows.map((r) => ({
    table: r.table,
    total_bytes: Number(r.total_bytes),
    rows_estimate: Number(r.rows_estimate),
  }));
}

export async function databaseSize(db: Db): Promise<number | null> {
  try {
    const { rows } = await sql<{ n: string }>`select pg_database_size(current_database()) as n`.execute(db);
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null; // not every embedded build answers it; the per-table sizes still do
  }
}

export interface QueueDepth {
  queue: string;
  /** Waiting to start (created, or waiting for a retry). */
  queued: number;
  active: number;
  /** Ended badly and kept by pg-boss until its retention deletes them. */
  failed: number;
  completed: number;
}

/** Jobs per queue and state, from pg-boss's job table (same database, its own schema). */
export async function queueDepths(db: Db, bossSchema: string): Promise<QueueDepth[]> {
  const { rows } = await sql<{ name: string; state: string; n: number }>`
    select name, state::text as state, count(*)::int as n
    from ${sql.table(`${bossSchema}.job`)}
    group by name, state`.execute(db);
  const depth = new Map(
    QUEUE_NAMES.map((queue) => [
      queue,
      { queue, queued: 0, active: 0, failed: 0, completed: 0 } as QueueDepth,
    ]),
  );
  for (const row of rows) {
    if (row.name.startsWith('__')) continue; // pg-boss's own bookkeeping
    let entry = depth.get(row.name as QueueName);
    if (entry === undefined) {
      entry = { queue: row.name, queued: 0, active: 0, failed: 0, completed: 0 };
      depth.set(row.name as QueueName, entry);
    }
    if (row.state === 'created' || row.state === 'retry') entry.queued += row.n;
    else if (row.state === 'active') entry.active += row.n;
    else if (row.state === 'failed') entry.failed += row.n;
    else if (row.state === 'completed') entry.completed += row.n;
  }
  return [...depth.values()];
}

/** When a queued job of `queue` whose data has `task` last completed, if pg-boss still has it. */
export async function lastCompleted(db: Db, bossSchema: string, queue: QueueName, task: string) {
  try {
    const { rows } = await sql<{ at: Date | null }>`
      select max(completed_on) as at from ${sql.table(`${bossSchema}.job`)}
      where name = ${queue} and state = 'completed' and data->>'task' = ${task}`.execute(db);
    const at = rows[0]?.at;
    return at == null ? null : new Date(at);
  } catch {
    return null;
  }
}

export type RedisHealth =
  | { configured: false }
  | { configured: true; ok: false; error: string }
  | {
      configured: true;
      ok: true;
      version: string | null;
      uptime_seconds: number | null;
      connected_clients: number | null;
      used_memory_bytes: number | null;
      used_memory_peak_bytes: number | null;
      ops_per_sec: number | null;
      keyspace_hits: number | null;
      keyspace_misses: number | null;
      evicted_keys: number | null;
      keys: number | null;
    };

/** Redis INFO, the figures an operator watches; `keys` is the whole selected database's. */
export async function redisHealth(redis: Redis | undefined): Promise<RedisHealth> {
  if (redis === undefined) return { configured: false };
  try {
    const info = await redis.info();
    const fields = new Map<string, string>();
    for (const line of info.split(/\r?\n/)) {
      const at = line.indexOf(':');
      if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1).trim());
    }
    const num = (name: string) => {
      const value = fields.get(name);
      return value === undefined || Number.isNaN(Number(value)) ? null : Number(value);
    };
    return {
      configured: true,
      ok: true,
      version: fields.get('redis_version') ?? null,
      uptime_seconds: num('uptime_in_seconds'),
      connected_clients: num('connected_clients'),
      used_memory_bytes: num('used_memory'),
      used_memory_peak_bytes: num('used_memory_peak'),
      ops_per_sec: num('instantaneous_ops_per_sec'),
      keyspace_hits: num('keyspace_hits'),
      keyspace_misses: num('keyspace_misses'),
      evicted_keys: num('evicted_keys'),
      keys: await redis.dbsize(),
    };
  } catch (error) {
    return { configured: true, ok: false, error: errorText(error) };
  }
}

export type BlobHealth =
  | { kind: string; ok: true; latency_ms: number }
  | { kind: string; ok: false; error: string; latency_ms: number };

/** Writes, reads back and deletes a small probe object in the blob store (the one meal photos use). */
export async function blobStoreHealth(config: Config): Promise<BlobHealth> {
  const store = nutritionBlobStore(config);
  const started = performance.now();
  const key = `health/probe-${randomUUID()}.txt`;
  const body = Buffer.from(`wearlink blob probe ${key}`);
  try {
    await store.putBuffer(key, body, 'text/plain');
    try {
      const opened = await store.open(key);
      if (opened === undefined) throw new Error('the probe written was not found');
      const chunks: Buffer[] = [];
      for await (const chunk of opened.stream) chunks.push(Buffer.from(chunk as Uint8Array));
      if (!Buffer.concat(chunks).equals(body))
        throw new Error('the probe read back differs from the one written');
    } finally {
      await store.delete(key);
    }
    return { kind: store.kind, ok: true, latency_ms: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      kind: store.kind,
      ok: false,
      error: errorText(error),
      latency_ms: Math.round(performance.now() - started),
    };
  }
}
