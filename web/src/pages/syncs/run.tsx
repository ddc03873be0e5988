import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, apiPath } from '../../api.ts';
import { Link, useLocation } from '../../router.tsx';
import { Badge, ErrorNote, formatDateTime, formatNumber, Loading, PageHeader, Section } from '../../ui.tsx';
import { CancelButton, ConnectionBadge, EventLog, ProgressBar } from './live-panel.tsx';
import {
  progressOf,
  type SyncRun,
  statusLabel,
  statusTone,
  terminalStages,
  useSyncStream,
} from './shared.ts';
import './syncs.css';

/** One run: its summary (kept beyond 24 h), its events live from the user's stream, cancel. */
export default function SyncRunPage(props: { params: Record<string, string> }) {
  const runId = props.params.run_id ?? '';
  const { query } = useLocation();
  const userId = query.get('user') || undefined;
  if (!userId) {
    return (
      <>
        <PageHeader title="Sync run" description={runId} />
        <ErrorNote error={new Error('Open this run from Live syncs (the link names its user).')} />
        <Link to="/syncs">Live syncs</Link>
      </>
    );
  }
  return <RunDetail runId={runId} userId={userId} />;
}

function RunDetail(props: { runId: string; userId: string }) {
  const { runId, userId } = props;
  const stream = useSyncStream(userId, 200);
  const events = stream.events.filter((e) => e.run_id === runId);
  const last = events.at(-1);
  const run = useQuery({
    queryKey: ['sync-runs', 'one', userId, runId],
    queryFn: () => api.get<SyncRun>(apiPath(`/users/${userId}/sync/runs/${encodeURIComponent(runId)}`)),
  });
  const refetch = run.refetch;
  // The stored run catches up with each new event (result and error are only stored).
  useEffect(() => {
    if (last !== undefined) void refetch();
  }, [last, refetch]);
  const data = run.data;
  const current = last && data && last.timestamp > data.updated_at ? { ...data, ...last } : data;

  return (
    <>
      <PageHeader
        title="Sync run"
        description={<span className="mono">{runId}</span>}
        actions={
          current && !terminalStages.has(current.stage) ? (
            <CancelButton runId={runId} onDone={() => void refetch()} />
          ) : null
        }
      />
      <p>
        <Link to={`/syncs?user=${userId}`}>← Live syncs of this user</Link>
      </p>
      {run.isPending ? (
        <Loading />
      ) : run.error ? (
        <ErrorNote error={run.error} retry={() => void refetch()} />
      ) : (
        current && (
          <Section title="Summary">
            <dl className="grid sync-summary">
              <div>
                <dt className="muted">Status</dt>
                <dd>
                  <Badge tone={statusTone(current.status)}>{statusLabel(current.status)}</Badge> stage{' '}
                  <strong>{current.stage}</strong>
                </dd>
              </div>
              <div>
                <dt className="muted">Provider</dt>
                <dd>
                  {current.provider} ({current.source})
                </dd>
              </div>
              <div>
                <dt className="muted">Items</dt>
                <dd>
                  {formatNumber(current.items_processed)}
                  {current.items_total !== null ? ` of ${formatNumber(current.items_total)}` : ''}
                </dd>
              </div>
              <div>
                <dt className="muted">Started / ended</dt>
                <dd>
                  {formatDateTime(current.started_at)} / {formatDateTime(current.ended_at)}
                </dd>
              </div>
            </dl>
            <ProgressBar value={progressOf(current)} label="Run progress" />
            {current.message && <p>{current.message}</p>}
            {data?.error != null && (
              <>
                <h3>Error</h3>
                <pre>{JSON.stringify(data.error, null, 2)}</pre>
              </>
            )}
            {data?.result != null && (
              <details>
                <summary>Result</summary>
                <pre>{JSON.stringify(data.result, null, 2)}</pre>
              </details>
            )}
          </Section>
        )
      )}
      <Section title="Events of this run" actions={<ConnectionBadge status={stream.status} />}>
        <EventLog events={events} label="Events of this run" />
        <p className="muted">The event log keeps 24 hours; older runs show their summary only.</p>
      </Section>
    </>
  );
}
