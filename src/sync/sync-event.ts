import { randomBytes } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { SyncRunRow } from '../db/schema.ts';
import { syncSources, syncStages, syncStatuses } from './run-state.ts';

/** The sync status event of spec 000, exactly. */
export const SyncEvent = z
  .object({
    event_id: z.string(),
    run_id: z.string(),
    user_id: z.string(),
    provider: z.string(),
    source: z.enum(syncSources),
    stage: z.enum(syncStages),
    status: z.enum(syncStatuses),
    message: z.string().nullable(),
    progress: z.number().min(0).max(1).nullable(),
    items_processed: z.number().int().nullable(),
    items_total: z.number().int().nullable(),
    error: z.unknown().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    timestamp: z.string(),
  })
  .openapi('SyncStatusEvent');
export type SyncEvent = z.infer<typeof SyncEvent>;

/** `evt_` + time-ordered id (48-bit ms, 80 random bits), like a ULID in hex. */
export function newEventId(now = Date.now()): string {
  return `evt_${now.toString(16).padStart(12, '0')}${randomBytes(10).toString('hex')}`;
}

export function progressOf(
  row: Pick<SyncRunRow, 'items_processed' | 'items_total' | 'stage'>,
): number | null {
  if (row.stage === 'completed') return 1;
  if (row.items_total && row.items_total > 0 && row.items_processed !== null) {
    return Math.min(1, row.items_processed / row.items_total);
  }
  return null;
}

/** The event describing a run as it is now (after a transition or a progress step). */
export function eventFromRun(row: SyncRunRow, metadata: Record<string, unknown> = {}): SyncEvent {
  return {
    event_id: newEventId(),
    run_id: row.id,
    user_id: row.user_id,
    provider: row.provider,
    source: row.source as SyncEvent['source'],
    stage: row.stage as SyncEvent['stage'],
    status: row.status as SyncEvent['status'],
    message: row.message,
    progress: progressOf(row),
    items_processed: row.items_processed,
    items_total: row.items_total,
    error: row.error ?? null,
    metadata,
    started_at: row.started_at?.toISOString() ?? null,
    ended_at: row.ended_at?.toISOString() ?? null,
    timestamp: row.updated_at.toISOString(),
  };
}
