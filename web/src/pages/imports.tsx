import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { ApiError, api, apiPath, describeDetail, getToken } from '../api.ts';
import { Link, setQuery, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Button, ErrorNote, formatNumber, Loading, PageHeader, Section } from '../ui.tsx';
import { ProgressBar } from './syncs/live-panel.tsx';
import { progressOf, type SyncRun, statusLabel, statusTone, terminalStages } from './syncs/shared.ts';
import { UserPicker, useUsers } from './syncs/user-picker.tsx';
import './syncs/syncs.css';

/** Direct uploads take up to 50 MB (the server's limit); larger files go through an upload URL. */
const DIRECT_MAX_BYTES = 50 * 1024 * 1024;

const formatSize = (bytes: number) =>
  bytes < 1024 * 1024 ? `${formatNumber(bytes / 1024, 1)} KB` : `${formatNumber(bytes / 1024 / 1024, 1)} MB`;

interface Queued {
  job_id: string;
  run_id: string;
}

/** An XMLHttpRequest upload (fetch cannot report upload progress), resolving with the JSON answer. */
function upload(
  method: string,
  url: string,
  body: Blob | FormData,
  headers: Record<string, string>,
  onProgress: (fraction: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        parsed = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve({ status: xhr.status, body: parsed });
      else {
        const record = (parsed ?? {}) as { detail?: unknown; code?: string };
        reject(
          new ApiError(xhr.status, describeDetail(record.detail, `HTTP ${xhr.status}`), record.code, parsed),
        );
      }
    };
    xhr.onerror = () => reject(new Error('The upload failed (network error)'));
    xhr.onabort = () => reject(new Error('The upload was cancelled'));
    xhr.send(body);
  });
}

const bearer = (): Record<string, string> => {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** Sends the export the way its size asks for; resolves with the import's run id. */
async function sendExport(userId: string, file: File, onProgress: (f: number) => void): Promise<string> {
  // A session that expired meanwhile is renewed (re-login dialog) before the upload, not after it.
  await api.get('/api/v1/auth/me');
  if (file.size <= DIRECT_MAX_BYTES) {
    const form = new FormData();
    form.set('file', file, file.name);
    const res = await upload(
      'POST',
      apiPath(`/users/${userId}/import/apple/xml/direct`),
      form,
      bearer(),
      onProgress,
    );
    return (res.body as Queued).run_id;
  }
  const grant = await api.post<{ presigned_put_url: string; key: string }>(
    apiPath(`/users/${userId}/import/apple/xml/s3`),
    { filename: file.name, file_size_bytes: file.size },
  );
  // The URL is the credential: no session header (S3 would refuse one).
  const put = await upload('PUT', grant.presigned_put_url, file, {}, onProgress);
  const queued = put.body as Partial<Queued> | undefined;
  // Embedded mode: the server's own upload URL starts the import and names the run.
  if (queued?.run_id) return queued.run_id;
  const started = await api.post<Queued>(apiPath(`/users/${userId}/import/apple/xml/s3/complete`), {
    key: grant.key,
  });
  return started.run_id;
}

export default function ImportsPage() {
  const { canWrite } = useSession();
  const { query } = useLocation();
  const users = useUsers();
  const userId = query.get('user') || users.data?.[0]?.id;
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [error, setError] = useState<unknown>();
  const [run, setRun] = useState<{ userId: string; runId: string } | undefined>();
  const busy = progress !== undefined && run === undefined && error === undefined;

  const start = async () => {
    if (!userId || !file) return;
    setError(undefined);
    setRun(undefined);
    setProgress(0);
    try {
      const runId = await sendExport(userId, file, setProgress);
      setProgress(1);
      setRun({ userId, runId });
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <>
      <PageHeader
        title="Imports"
        description="Upload an Apple Health export (export.zip or export.xml) for a user; large files go through an upload URL."
      />
      <Section title="Upload an export">
        {users.isPending ? (
          <Loading />
        ) : users.error ? (
          <ErrorNote error={users.error} retry={() => void users.refetch()} />
        ) : (users.data ?? []).length === 0 ? (
          <p className="muted">
            No users yet: <Link to="/users">create one</Link> first.
          </p>
        ) : (
          <form
            className="stack"
            onSubmit={(event) => {
              event.preventDefault();
              void start();
            }}
          >
            <UserPicker
              users={users.data ?? []}
              value={userId}
              onChange={(id) => setQuery({ user: id || undefined })}
            />
            <div className="field">
              <label htmlFor={fileId}>Apple Health export</label>
              <input
                id={fileId}
                ref={input}
                type="file"
                accept=".zip,.xml,application/zip,text/xml,application/xml"
                disabled={!canWrite || busy}
                onChange={(event) => setFile(event.target.files?.[0])}
              />
              <div className="field-hint">
                {file
                  ? `${file.name}, ${formatSize(file.size)} (${file.size > DIRECT_MAX_BYTES ? 'upload URL' : 'direct upload'})`
                  : 'Up to 50 MB directly; larger exports go through an upload URL.'}
              </div>
            </div>
            {canWrite ? (
              <Button type="submit" variant="primary" disabled={!file || !userId} busy={busy}>
                Upload export
              </Button>
            ) : (
              <p className="muted">Viewers cannot upload imports.</p>
            )}
            {progress !== undefined && <ProgressBar value={progress} label="Upload progress" />}
            {error !== undefined && <ErrorNote error={error} />}
          </form>
        )}
      </Section>
      {run && <ImportRun userId={run.userId} runId={run.runId} />}
    </>
  );
}

interface ImportResult {
  tally?: { samples?: number; workouts?: number; sleep_intervals?: number; rejected_count?: number };
}

/** Follows the import's sync run to its end: stage, progress and counts. */
function ImportRun(props: { userId: string; runId: string }) {
  const run = useQuery({
    queryKey: ['sync-runs', 'one', props.userId, props.runId],
    queryFn: () =>
      api.get<SyncRun>(apiPath(`/users/${props.userId}/sync/runs/${encodeURIComponent(props.runId)}`)),
    refetchInterval: (q) => (q.state.data && terminalStages.has(q.state.data.stage) ? false : 1000),
  });
  const tally = (run.data?.result as ImportResult | null)?.tally;
  return (
    <Section title="Import">
      {run.isPending ? (
        <Loading />
      ) : run.error ? (
        <ErrorNote error={run.error} retry={() => void run.refetch()} />
      ) : (
        <div className="stack" role="status" aria-live="polite">
          <p>
            Run{' '}
            <Link className="mono" to={`/syncs/${encodeURIComponent(props.runId)}?user=${props.userId}`}>
              {props.runId}
            </Link>{' '}
            <Badge tone={statusTone(run.data.status)}>{statusLabel(run.data.status)}</Badge> stage{' '}
            <strong>{run.data.stage}</strong>
          </p>
          <ProgressBar value={progressOf(run.data)} label="Import progress" />
          {run.data.message && <p>{run.data.message}</p>}
          {tally && (
            <ul>
              <li>Samples: {formatNumber(tally.samples)}</li>
              <li>Workouts: {formatNumber(tally.workouts)}</li>
              <li>Sleep intervals: {formatNumber(tally.sleep_intervals)}</li>
              <li>Rejected elements: {formatNumber(tally.rejected_count)}</li>
            </ul>
          )}
        </div>
      )}
    </Section>
  );
}
