import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { Link } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import {
  Badge,
  Button,
  CopyField,
  Dialog,
  Empty,
  ErrorNote,
  formatDateTime,
  Loading,
  Section,
} from '../../ui.tsx';
import type { Connection } from './types.ts';

const statusTone = { active: 'ok', revoked: 'neutral', error: 'bad', reauth_required: 'warn' } as const;
const statusText = {
  active: 'Active',
  revoked: 'Disconnected',
  error: 'Error',
  reauth_required: 'Needs reconnecting',
} as const;

interface Triggered {
  job_id: string;
  status: string;
  created: boolean;
}

/** The user's provider connections: connect (sandbox or a hosted link), sync, disconnect. */
export function ConnectionsSection(props: { userId: string }) {
  const { userId } = props;
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ text: string; live?: boolean } | undefined>();
  const connections = useQuery({
    queryKey: ['user-connections', userId],
    queryFn: () => api.get<Connection[]>(apiPath(`/users/${userId}/connections`)),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['user-connections', userId] });

  const connect = useMutation({
    mutationFn: () => api.post<Connection>(apiPath(`/users/${userId}/connections`), { provider: 'sandbox' }),
    onSuccess: () => {
      setNotice({ text: 'Sandbox connected. Sync now pulls synthetic data through the real pipeline.' });
      refresh();
    },
  });
  const link = useMutation({
    mutationFn: () => api.post<{ url: string; expires_at: string }>(apiPath(`/users/${userId}/connect-link`)),
  });

  const active = (connections.data ?? []).filter((c) => c.status !== 'revoked');
  const hasSandbox = active.some((c) => c.provider === 'sandbox');

  return (
    <Section
      title="Connections"
      actions={
        canWrite && (
          <div className="row">
            {!hasSandbox && (
              <Button variant="primary" busy={connect.isPending} onClick={() => connect.mutate()}>
                Connect sandbox
              </Button>
            )}
            <Button busy={link.isPending} onClick={() => link.mutate()}>
              Create connect link
            </Button>
          </div>
        )
      }
    >
      {connect.error && <ErrorNote error={connect.error} />}
      {link.error && <ErrorNote error={link.error} />}
      {link.data && (
        <div className="notice">
          <CopyField label="Connect link" value={link.data.url} />
          <p className="muted">
            Send this page to the user to connect their providers. Valid until{' '}
            {formatDateTime(link.data.expires_at)}.
          </p>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice.text}{' '}
          {notice.live && <Link to={`/syncs?user=${encodeURIComponent(userId)}`}>Watch it live</Link>}
        </p>
      )}
      {connections.isPending ? (
        <Loading label="Loading connections…" />
      ) : connections.error ? (
        <ErrorNote error={connections.error} retry={() => connections.refetch()} />
      ) : connections.data.length === 0 ? (
        <Empty title="No connections yet — connect the sandbox to try WearLink">
          {canWrite ? (
            <p>
              The sandbox syncs synthetic heart rate, steps, workouts and sleep without any vendor account.
            </p>
          ) : (
            <p>An owner or admin can connect providers for this user.</p>
          )}
        </Empty>
      ) : (
        <ul className="users-connections">
          {connections.data.map((connection) => (
            <ConnectionItem
              key={connection.id}
              connection={connection}
              onDone={(text, live) => {
                setNotice({ text, live });
                refresh();
              }}
            />
          ))}
        </ul>
      )}
      <p>
        <Link to={`/syncs?user=${encodeURIComponent(userId)}`}>Live sync stream for this user</Link>
      </p>
    </Section>
  );
}

function ConnectionItem(props: { connection: Connection; onDone: (text: string, live?: boolean) => void }) {
  const { connection } = props;
  const { canWrite } = useSession();
  const nameId = useId();
  const base = apiPath(`/providers/${connection.provider}/users/${connection.user_id}/sync`);
  const sync = useMutation({
    mutationFn: (mode: 'incremental' | 'historical') =>
      api.post<Triggered>(mode === 'historical' ? `${base}/historical` : base),
    onSuccess: (result, mode) =>
      props.onDone(
        result.created
          ? `${mode === 'historical' ? 'Historical sync' : 'Sync'} of ${connection.provider} queued.`
          : `A ${mode === 'historical' ? 'historical ' : ''}sync of ${connection.provider} is already running.`,
        true,
      ),
  });
  const disconnect = useMutation({
    mutationFn: () =>
      api.delete<void>(apiPath(`/users/${connection.user_id}/connections/${connection.provider}`)),
    onSuccess: () => props.onDone(`${connection.provider} disconnected; the data already synced is kept.`),
  });
  const [confirming, setConfirming] = useState(false);
  const live = connection.status !== 'revoked';
  return (
    <li className="users-connection">
      <div>
        <strong id={nameId} className="users-provider">
          {connection.provider}
        </strong>{' '}
        <Badge tone={statusTone[connection.status]}>{statusText[connection.status]}</Badge>
        <div className="muted">
          Connected {formatDateTime(connection.connected_at)} · last sync{' '}
          {connection.last_synced_at ? formatDateTime(connection.last_synced_at) : 'never'}
          {connection.schedule_enabled && connection.next_sync_at
            ? ` · next ${formatDateTime(connection.next_sync_at)}`
            : ''}
        </div>
      </div>
      {canWrite && live && (
        <div className="row users-connection-actions">
          <Button
            aria-describedby={nameId}
            busy={sync.isPending && sync.variables === 'incremental'}
            onClick={() => sync.mutate('incremental')}
          >
            Sync now
          </Button>
          <Button
            aria-describedby={nameId}
            busy={sync.isPending && sync.variables === 'historical'}
            onClick={() => sync.mutate('historical')}
          >
            Historical sync
          </Button>
          <Button
            variant="danger"
            aria-describedby={nameId}
            busy={disconnect.isPending}
            onClick={() => setConfirming(true)}
          >
            Disconnect
          </Button>
        </div>
      )}
      <Dialog
        title={`Disconnect ${connection.provider}?`}
        open={confirming}
        onClose={() => setConfirming(false)}
      >
        <p>Syncs and vendor webhooks stop and the credentials are dropped; data already synced is kept.</p>
        <div className="row">
          <Button
            variant="danger"
            busy={disconnect.isPending}
            onClick={() => disconnect.mutate(undefined, { onSettled: () => setConfirming(false) })}
          >
            Disconnect
          </Button>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
        </div>
      </Dialog>
      {(sync.error || disconnect.error) && <ErrorNote error={sync.error ?? disconnect.error} />}
    </li>
  );
}
