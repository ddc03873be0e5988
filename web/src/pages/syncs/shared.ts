import { useEffect, useRef, useState } from 'react';
import { api, apiPath, getToken } from '../../api.ts';
import { openSse, type SseStatus } from '../../sse.ts';

/** A sync status event as the stream sends it (spec 000). */
export interface SyncEvent {
  event_id: string;
  run_id: string;
  user_id: string;
  provider: string;
  source: string;
  stage: string;
  status: string;
  message: string | null;
  progress: number | null;
  items_processed: number | null;
  items_total: number | null;
  error: unknown;
  started_at: string | null;
  ended_at: string | null;
  timestamp: string;
}

export interface SyncRun {
  run_id: string;
  user_id: string;
  provider: string;
  source: string;
  stage: string;
  status: string;
  message: string | null;
  progress: number | null;
  items_processed: number | null;
  items_total: number | null;
  error: unknown;
  result: unknown;
  started_at: string | null;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserSummary {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
}

export const terminalStages = new Set(['completed', 'failed', 'cancelled']);

export function statusTone(status: string): 'ok' | 'warn' | 'bad' | 'info' | 'neutral' {
  if (status === 'success') return 'ok';
  if (status === 'partial') return 'warn';
  if (status === 'failed') return 'bad';
  if (status === 'in_progress') return 'info';
  return 'neutral';
}

export const statusLabel = (status: string) => status.replace('_', ' ');

/** 0..1 from the event's own progress, else from its counts; undefined when neither is known. */
export function progressOf(run: Pick<SyncEvent, 'progress' | 'items_processed' | 'items_total' | 'stage'>) {
  if (run.stage === 'completed') return 1;
  if (run.progress !== null && run.progress !== undefined) return run.progress;
  if (run.items_total && run.items_processed !== null)
    return Math.min(1, run.items_processed / run.items_total);
  return undefined;
}

export function userLabel(user: UserSummary): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return name || user.email || user.external_id || user.id;
}

export const cancelRun = (runId: string) =>
  api.post<{ status: string; job_id: string }>(apiPath('/sync/cancel'), { job_id: runId });

/** The session header for the stream; a 401 goes through the shell's re-login (api.ts) before retrying. */
const streamHeaders = (): Record<string, string> => {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};
const refreshSession = async () => {
  await api.get('/api/v1/auth/me');
};

export interface SyncStream {
  events: SyncEvent[];
  status: SseStatus;
}

const MAX_EVENTS = 2000;

/**
 * One user's live sync stream (the last `replay` events, then each as it happens). Events are kept in
 * arrival order, each event_id once, however often the connection drops and resumes.
 */
export function useSyncStream(userId: string | undefined, replay = 100): SyncStream {
  const [events, setEvents] = useState<SyncEvent[]>([]);
  const [status, setStatus] = useState<SseStatus>({
    state: 'connecting',
    reconnects: 0,
    lastEventId: undefined,
    error: undefined,
  });
  const seen = useRef(new Set<string>());
  useEffect(() => {
    setEvents([]);
    seen.current = new Set();
    if (userId === undefined) return;
    let pending: SyncEvent[] = [];
    let frame: ReturnType<typeof setTimeout> | undefined;
    // Bursts (a replay of 100 events) render once, not once per event.
    const flush = () => {
      frame = undefined;
      const batch = pending;
      pending = [];
      setEvents((current) => [...current, ...batch].slice(-MAX_EVENTS));
    };
    const connection = openSse({
      url: apiPath(`/users/${userId}/sync/stream`, { replay }),
      headers: streamHeaders,
      onUnauthorized: refreshSession,
      onStatus: setStatus,
      onMessage: (message) => {
        if (message.event !== 'sync.status') return;
        let event: SyncEvent;
        try {
          event = JSON.parse(message.data) as SyncEvent;
        } catch {
          return;
        }
        if (seen.current.has(event.event_id)) return;
        seen.current.add(event.event_id);
        pending.push(event);
        frame ??= setTimeout(flush, 50);
      },
    });
    return () => {
      connection.close();
      clearTimeout(frame);
    };
  }, [userId, replay]);
  return { events, status };
}

/** The latest event of each run, newest run first. */
export function runsOf(events: SyncEvent[]): SyncEvent[] {
  const latest = new Map<string, SyncEvent>();
  for (const event of events) {
    latest.delete(event.run_id);
    latest.set(event.run_id, event);
  }
  return [...latest.values()].reverse();
}
