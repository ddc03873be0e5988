import { useInfiniteQuery } from '@tanstack/react-query';
import { api, apiPath } from '../../api.ts';
import { Link, setQuery, useLocation } from '../../router.tsx';
import {
  Badge,
  Button,
  Empty,
  ErrorNote,
  formatDateTime,
  Loading,
  Section,
  Select,
  Table,
} from '../../ui.tsx';
import { CancelButton, ProgressBar } from './live-panel.tsx';
import { progressOf, type SyncRun, statusLabel, statusTone, terminalStages } from './shared.ts';

interface RunPage {
  data: SyncRun[];
  pagination: { next_cursor: string | null; has_more: boolean };
}

const statusOptions = [
  { value: '', label: 'Any status' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'success', label: 'Success' },
  { value: 'partial', label: 'Partial' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
];

/** The tenant's recent runs (all users), filtered by status in the URL, a page at a time. */
export function useTenantRuns(status: string | undefined, limit = 25) {
  return useInfiniteQuery({
    queryKey: ['sync-runs', 'tenant', status ?? '', limit],
    queryFn: ({ pageParam, signal }) =>
      api.get<RunPage>(apiPath('/sync/runs', { status, limit, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.pagination.next_cursor ?? undefined,
    refetchInterval: 10_000,
  });
}

export function RecentRuns(props: { userNames: Map<string, string> }) {
  const { query } = useLocation();
  const status = query.get('status') || undefined;
  const runs = useTenantRuns(status);
  const rows = runs.data?.pages.flatMap((page) => page.data) ?? [];
  return (
    <Section title="Recent runs (all users)">
      <div className="sync-filters">
        <Select
          label="Status"
          value={status ?? ''}
          options={statusOptions}
          onChange={(event) => setQuery({ status: event.target.value || undefined })}
        />
      </div>
      {runs.isPending ? (
        <Loading />
      ) : runs.error ? (
        <ErrorNote error={runs.error} retry={() => void runs.refetch()} />
      ) : rows.length === 0 ? (
        <Empty title={status ? 'No runs with this status' : 'No sync runs yet'} />
      ) : (
        <Table
          caption="Recent sync runs"
          head={['Run', 'User', 'Provider', 'Stage', 'Status', 'Progress', 'Started', '']}
        >
          {rows.map((run) => (
            <tr key={run.run_id} data-run-id={run.run_id}>
              <td className="mono">
                <Link to={`/syncs/${encodeURIComponent(run.run_id)}?user=${run.user_id}`}>{run.run_id}</Link>
              </td>
              <td>
                <Link to={`/syncs?user=${run.user_id}`}>
                  {props.userNames.get(run.user_id) ?? run.user_id}
                </Link>
              </td>
              <td>
                {run.provider} <span className="muted">({run.source})</span>
              </td>
              <td>{run.stage}</td>
              <td>
                <Badge tone={statusTone(run.status)}>{statusLabel(run.status)}</Badge>
              </td>
              <td>
                <ProgressBar value={progressOf(run)} label={`Progress of ${run.run_id}`} />
              </td>
              <td>{formatDateTime(run.started_at ?? run.created_at)}</td>
              <td>{!terminalStages.has(run.stage) && <CancelButton runId={run.run_id} />}</td>
            </tr>
          ))}
        </Table>
      )}
      {runs.hasNextPage && (
        <Button busy={runs.isFetchingNextPage} onClick={() => void runs.fetchNextPage()}>
          Load more runs
        </Button>
      )}
    </Section>
  );
}
