import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, apiPath } from '../../api.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Button, Dialog, Empty, ErrorNote, formatDateTime, Loading, PageHeader, Section } from '../../ui.tsx';
import { AttemptsSection } from './attempts.tsx';
import { EndpointForm, type EndpointInput } from './endpoint-form.tsx';
import { describeFilters, type Endpoint, endpointKey, endpointsKey } from './model.ts';
import { SecretSection } from './secret.tsx';
import { StateBadge } from './state-badge.tsx';
import './webhooks.css';

function Summary(props: { endpoint: Endpoint }) {
  const { endpoint } = props;
  return (
    <dl className="wh-summary">
      <dt>URL</dt>
      <dd className="mono">{endpoint.url}</dd>
      <dt>Description</dt>
      <dd>{endpoint.description ?? '—'}</dd>
      <dt>Events</dt>
      <dd className="mono">{describeFilters(endpoint.filter_types)}</dd>
      <dt>State</dt>
      <dd>
        <StateBadge endpoint={endpoint} /> {endpoint.disabled_reason}
        {endpoint.failing_since && ` (failing since ${formatDateTime(endpoint.failing_since)})`}
      </dd>
      <dt>Created</dt>
      <dd>{formatDateTime(endpoint.created_at)}</dd>
      <dt>Updated</dt>
      <dd>{formatDateTime(endpoint.updated_at)}</dd>
    </dl>
  );
}

export default function EndpointPage(props: { params: Record<string, string> }) {
  const id = props.params.endpoint_id ?? '';
  const { canWrite } = useSession();
  const { query } = useLocation();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const path = apiPath(`/webhooks/endpoints/${encodeURIComponent(id)}`);
  const endpoint = useQuery({ queryKey: endpointKey(id), queryFn: () => api.get<Endpoint>(path) });
  const saved = (row: Endpoint) => {
    queryClient.setQueryData(endpointKey(id), row);
    return queryClient.invalidateQueries({ queryKey: endpointsKey });
  };
  const update = useMutation({
    mutationFn: (body: Partial<EndpointInput> & { disabled?: boolean }) => api.patch<Endpoint>(path, body),
    onSuccess: async (row) => {
      await saved(row);
      setEditing(false);
    },
  });
  const remove = useMutation({
    mutationFn: () => api.delete<void>(path),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: endpointKey(id) });
      await queryClient.invalidateQueries({ queryKey: endpointsKey });
      navigate('/webhooks');
    },
  });

  if (endpoint.isPending) return <Loading label="Loading endpoint…" />;
  if (endpoint.isError) {
    if (endpoint.error instanceof ApiError && endpoint.error.status === 404) {
      return (
        <Empty title="Endpoint not found">
          <p>
            It may have been deleted. <Link to="/webhooks">Back to webhooks</Link>
          </p>
        </Empty>
      );
    }
    return <ErrorNote error={endpoint.error} retry={() => endpoint.refetch()} />;
  }
  const row = endpoint.data;
  return (
    <>
      <PageHeader
        title="Webhook endpoint"
        description={
          <>
            <Link to="/webhooks">Webhooks</Link> › <span className="mono wh-url">{row.url}</span>
          </>
        }
        actions={
          canWrite ? (
            <>
              <Button
                busy={update.isPending && !editing}
                onClick={() => update.mutate({ disabled: !row.disabled })}
              >
                {row.disabled ? 'Enable endpoint' : 'Disable endpoint'}
              </Button>
              <Button variant="danger" onClick={() => setDeleting(true)}>
                Delete endpoint
              </Button>
            </>
          ) : undefined
        }
      />
      {query.get('created') === '1' && (
        <p className="notice" role="status">
          Endpoint created. Reveal its signing secret to verify deliveries, then send a test event.
        </p>
      )}
      {update.isError && !editing && <ErrorNote error={update.error} />}
      <Section
        title="Settings"
        actions={
          canWrite && !editing ? <Button onClick={() => setEditing(true)}>Edit settings</Button> : undefined
        }
      >
        {editing ? (
          <EndpointForm
            initial={row}
            submitLabel="Save changes"
            busy={update.isPending}
            error={update.error}
            onSubmit={(input) => update.mutate(input)}
            onCancel={() => {
              update.reset();
              setEditing(false);
            }}
          />
        ) : (
          <Summary endpoint={row} />
        )}
      </Section>
      <SecretSection endpointId={row.id} />
      <AttemptsSection endpoint={row} />
      <Dialog title="Delete this endpoint?" open={deleting} onClose={() => setDeleting(false)}>
        <p>
          <span className="mono wh-url">{row.url}</span> stops receiving events at once; deliveries still
          pending for it are dropped. This cannot be undone.
        </p>
        {remove.isError && <ErrorNote error={remove.error} />}
        <div className="row">
          <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>
            Delete permanently
          </Button>
          <Button onClick={() => setDeleting(false)}>Cancel</Button>
        </div>
      </Dialog>
    </>
  );
}
