import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { navigate } from '../../router.tsx';
import { Button, ErrorNote, Select } from '../../ui.tsx';

export interface Connection {
  id: string;
  provider: string;
  status: string;
}

export function useConnections(userId: string | undefined) {
  return useQuery({
    queryKey: ['connections', userId],
    queryFn: () => api.get<Connection[]>(apiPath(`/users/${userId}/connections`)),
    enabled: userId !== undefined,
  });
}

interface Triggered {
  job_id: string;
  created: boolean;
}

/** Starts a sync of one of the user's active connections (POST /providers/{p}/users/{u}/sync). */
export function TriggerSync(props: { userId: string; connections: Connection[] }) {
  const active = props.connections.filter((c) => c.status === 'active');
  const [provider, setProvider] = useState('');
  const [mode, setMode] = useState<'incremental' | 'historical'>('incremental');
  const chosen = active.some((c) => c.provider === provider) ? provider : (active[0]?.provider ?? '');
  const queryClient = useQueryClient();
  const trigger = useMutation({
    mutationFn: () =>
      api.post<Triggered>(
        apiPath(
          `/providers/${chosen}/users/${props.userId}/sync${mode === 'historical' ? '/historical' : ''}`,
        ),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['sync-runs'] }),
  });
  if (active.length === 0) {
    return (
      <p className="muted">
        This user has no active connection to sync. Connect a provider on the user's page.
      </p>
    );
  }
  return (
    <form
      className="sync-filters"
      onSubmit={(event) => {
        event.preventDefault();
        trigger.mutate();
      }}
    >
      <Select
        label="Provider"
        value={chosen}
        options={active.map((c) => ({ value: c.provider, label: c.provider }))}
        onChange={(event) => setProvider(event.target.value)}
      />
      <Select
        label="Mode"
        value={mode}
        options={[
          { value: 'incremental', label: 'Latest data' },
          { value: 'historical', label: 'Full history' },
        ]}
        onChange={(event) => setMode(event.target.value as 'incremental' | 'historical')}
      />
      <div className="field">
        <Button type="submit" variant="primary" busy={trigger.isPending}>
          Trigger sync
        </Button>
      </div>
      {trigger.data && (
        <p className="muted" role="status">
          {trigger.data.created ? 'Queued' : 'Already running'}:{' '}
          <a
            href={`/syncs/${trigger.data.job_id}?user=${props.userId}`}
            onClick={(event) => {
              event.preventDefault();
              navigate(`/syncs/${encodeURIComponent(trigger.data.job_id)}?user=${props.userId}`);
            }}
          >
            {trigger.data.job_id}
          </a>
        </p>
      )}
      {trigger.error && <ErrorNote error={trigger.error} />}
    </form>
  );
}
