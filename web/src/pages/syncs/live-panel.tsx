import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import type { SseStatus } from '../../sse.ts';
import { Badge, Button, Empty, ErrorNote, formatDateTime } from '../../ui.tsx';
import {
  cancelRun,
  progressOf,
  runsOf,
  type SyncEvent,
  statusLabel,
  statusTone,
  terminalStages,
} from './shared.ts';

const stateText: Record<SseStatus['state'], string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

/** The stream's connection state, announced politely to screen readers. */
export function ConnectionBadge(props: { status: SseStatus }) {
  const { state, reconnects, error } = props.status;
  const tone = state === 'open' ? 'ok' : state === 'closed' ? 'bad' : 'warn';
  return (
    <div className="sync-connection" role="status" aria-live="polite">
      <Badge tone={tone}>{stateText[state]}</Badge>
      {reconnects > 0 && (
        <span className="muted">
          {' '}
          {reconnects} reconnect{reconnects === 1 ? '' : 's'}
        </span>
      )}
      {state === 'closed' && error && <span className="muted"> {error}</span>}
    </div>
  );
}

export function ProgressBar(props: { value: number | undefined; label: string }) {
  if (props.value === undefined) return <span className="muted">—</span>;
  const percent = Math.round(props.value * 100);
  return (
    <div className="sync-progress">
      <div
        className="progress"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <span style={{ width: `${percent}%` }} />
      </div>
      <span className="muted">{percent}%</span>
    </div>
  );
}

export function CancelButton(props: { runId: string; onDone?: () => void }) {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => cancelRun(props.runId),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['sync-runs'] });
      props.onDone?.();
    },
  });
  if (!canWrite) return null;
  return (
    <span>
      <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate()}>
        Cancel run
      </Button>
      {cancel.error && <ErrorNote error={cancel.error} />}
    </span>
  );
}

/** Each run of the stream with its stage and progress, newest first. */
export function LiveRuns(props: { events: SyncEvent[]; userId: string }) {
  const runs = runsOf(props.events);
  if (runs.length === 0)
    return <Empty title="No sync in the last 24 hours">Trigger one to watch it here.</Empty>;
  return (
    <ul className="sync-runs">
      {runs.map((run) => (
        <li key={run.run_id} className="sync-run" data-run-id={run.run_id}>
          <div className="sync-run-head">
            <Link to={`/syncs/${encodeURIComponent(run.run_id)}?user=${props.userId}`} className="mono">
              {run.run_id}
            </Link>
            <Badge tone={statusTone(run.status)}>{statusLabel(run.status)}</Badge>
          </div>
          <div className="sync-run-body">
            <span>
              {run.provider} · {run.source} · stage <strong>{run.stage}</strong>
            </span>
            <ProgressBar value={progressOf(run)} label={`Progress of ${run.run_id}`} />
            {run.message && <span className="muted">{run.message}</span>}
            {!terminalStages.has(run.stage) && <CancelButton runId={run.run_id} />}
          </div>
        </li>
      ))}
    </ul>
  );
}

const formatTime = (value: string) => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleTimeString();
};

/** Every event as it arrived (newest first); `data-event-id` lets tests check for gaps and repeats. */
export function EventLog(props: { events: SyncEvent[]; label: string }) {
  if (props.events.length === 0) return <p className="muted">No events yet.</p>;
  const ordered = [...props.events].reverse();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-wrap sync-events" tabIndex={0} aria-label={props.label}>
      <table aria-label={props.label}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Run</th>
            <th scope="col">Stage</th>
            <th scope="col">Status</th>
            <th scope="col">Items</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {ordered.map((event) => (
            <tr key={event.event_id} data-event-id={event.event_id}>
              <td title={formatDateTime(event.timestamp)}>{formatTime(event.timestamp)}</td>
              <td className="mono">{event.run_id}</td>
              <td>{event.stage}</td>
              <td>{statusLabel(event.status)}</td>
              <td>
                {event.items_processed ?? '—'}
                {event.items_total !== null ? ` / ${event.items_total}` : ''}
              </td>
              <td>{event.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
