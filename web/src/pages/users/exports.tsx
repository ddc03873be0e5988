import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiPath } from '../../api.ts';
import { useSession } from '../../session.tsx';
import {
  Badge,
  Button,
  CopyButton,
  Empty,
  ErrorNote,
  formatDateTime,
  Loading,
  Section,
  Table,
} from '../../ui.tsx';
import { type DataExport, formatBytes } from './types.ts';

const working = (status: DataExport['status'] | undefined) => status === 'queued' || status === 'running';

const tone = { queued: 'info', running: 'info', ready: 'ok', failed: 'bad', expired: 'neutral' } as const;

/** Starts an async export of the user; resolves with its id (the job builds the ZIP). */
export function useStartExport(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<{ export_id: string; run_id: string }>(apiPath(`/users/${userId}/export/async`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['user-exports', userId] }),
  });
}

/** One export, polled every second while the job builds it. */
export function useExport(userId: string, exportId: string | undefined) {
  return useQuery({
    queryKey: ['user-export', userId, exportId],
    queryFn: () => api.get<DataExport>(apiPath(`/users/${userId}/exports/${exportId}`)),
    enabled: exportId !== undefined,
    refetchInterval: (query) => (working(query.state.data?.status) || !query.state.data ? 1000 : false),
  });
}

/** The single-use link of a ready export (never shown to viewers: whoever has it gets the data). */
export function DownloadLink(props: { exported: DataExport }) {
  const { canWrite } = useSession();
  const url = props.exported.download_url;
  if (!url) {
    return (
      <span className="muted">{props.exported.downloaded_at ? 'Downloaded (link used)' : 'No link'}</span>
    );
  }
  if (!canWrite) return <span className="muted">Link hidden for viewers</span>;
  return (
    <span className="users-download">
      <a href={url} download>
        Download ZIP (single use)
      </a>
      <CopyButton value={url} label="Copy download link" />
    </span>
  );
}

export function ExportStatus(props: { exported: DataExport }) {
  const { status } = props.exported;
  return (
    <div className="stack" aria-live="polite">
      <p>
        Export <Badge tone={tone[status]}>{status}</Badge>
        {working(status) && <span className="muted"> — building the ZIP…</span>}
      </p>
      {status === 'ready' && <DownloadLink exported={props.exported} />}
      {status === 'failed' && <p className="muted">The export failed; try again.</p>}
    </div>
  );
}

/** The user's recent exports, and a button to make a new one. */
export function ExportsSection(props: { userId: string }) {
  const { canWrite } = useSession();
  const list = useQuery({
    queryKey: ['user-exports', props.userId],
    queryFn: () => api.get<{ data: DataExport[] }>(apiPath(`/users/${props.userId}/exports`)),
    refetchInterval: (query) => (query.state.data?.data.some((e) => working(e.status)) ? 1500 : false),
  });
  const start = useStartExport(props.userId);
  return (
    <Section
      title="Exports"
      actions={
        canWrite && (
          <Button variant="primary" busy={start.isPending} onClick={() => start.mutate()}>
            Export data
          </Button>
        )
      }
    >
      <p className="muted">
        A ZIP of all of this user's data (GDPR/DPDP access). Each download link works once and expires.
      </p>
      {start.error && <ErrorNote error={start.error} />}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorNote error={list.error} retry={() => list.refetch()} />
      ) : list.data.data.length === 0 ? (
        <Empty title="No exports yet">
          {canWrite && <p>Export data makes a ZIP you can hand to the user.</p>}
        </Empty>
      ) : (
        <Table caption="Exports" head={['Requested', 'Status', 'Size', 'Download']}>
          {list.data.data.map((exported) => (
            <tr key={exported.export_id}>
              <td>{formatDateTime(exported.created_at)}</td>
              <td>
                <Badge tone={tone[exported.status]}>{exported.status}</Badge>
              </td>
              <td>{formatBytes(exported.size_bytes)}</td>
              <td>{exported.status === 'ready' ? <DownloadLink exported={exported} /> : '—'}</td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
