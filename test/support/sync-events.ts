import type { SyncEvent } from '../../src/sync/sync-event.ts';

/**
 * A sync event of user `userId` numbered `n` (its event id `e<n>`), as a run in progress publishes it;
 * `fields` replace any of its fields.
 */
export function syncEvent(userId: string, n: number, fields: Partial<SyncEvent> = {}): SyncEvent {
  return {
    event_id: `e${n}`,
    run_id: 'run',
    user_id: userId,
    provider: 'sandbox',
    source: 'pull',
    stage: 'saving',
    status: 'in_progress',
    message: null,
    progress: null,
    items_processed: n,
    items_total: null,
    error: null,
    metadata: {},
    started_at: null,
    ended_at: null,
    timestamp: new Date().toISOString(),
    ...fields,
  };
}
