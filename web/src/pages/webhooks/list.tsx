import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { Link, navigate } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Button, Empty, ErrorNote, formatDateTime, Loading, PageHeader, Section, Table } from '../../ui.tsx';
import { EndpointForm, type EndpointInput } from './endpoint-form.tsx';
import { describeFilters, type Endpoint, endpointKey, endpointsKey } from './model.ts';
import { StateBadge } from './state-badge.tsx';
import './webhooks.css';

function ToggleButton(props: { endpoint: Endpoint }) {
  const queryClient = useQueryClient();
  const { endpoint } = props;
  const toggle = useMutation({
    mutationFn: () =>
      api.patch<Endpoint>(apiPath(`/webhooks/endpoints/${endpoint.id}`), { disabled: !endpoint.disabled }),
    onSuccess: (row) => {
      queryClient.setQueryData(endpointKey(row.id), row);
      return queryClient.invalidateQueries({ queryKey: endpointsKey });
    },
  });
  const verb = endpoint.disabled ? 'Enable' : 'Disable';
  return (
    <span className="stack">
      <Button busy={toggle.isPending} onClick={() => toggle.mutate()} aria-label={`${verb} ${endpoint.url}`}>
        {verb}
      </Button>
      {toggle.isError && <ErrorNote error={toggle.error} />}
    </span>
  );
}

export default function WebhooksPage() {
  const { canWrite } = useSession();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const endpoints = useQuery({
    queryKey: endpointsKey,
    queryFn: () => api.get<{ data: Endpoint[] }>(apiPath('/webhooks/endpoints')).then((r) => r.data),
  });
  const create = useMutation({
    // Creating takes no null description (editing does, to clear one): leave it out when empty.
    mutationFn: ({ description, ...input }: EndpointInput) =>
      api.post<Endpoint>(
        apiPath('/webhooks/endpoints'),
        description === null ? input : { ...input, description },
      ),
    onSuccess: async (row) => {
      queryClient.setQueryData(endpointKey(row.id), row);
      await queryClient.invalidateQueries({ queryKey: endpointsKey });
      setAdding(false);
      navigate(`/webhooks/${encodeURIComponent(row.id)}?created=1`);
    },
  });

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="WearLink POSTs signed events (new workouts, sleep, finished syncs, …) to your endpoints and retries failed deliveries."
        actions={
          canWrite && !adding ? (
            <Button variant="primary" onClick={() => setAdding(true)}>
              Add endpoint
            </Button>
          ) : undefined
        }
      />
      {adding && (
        <Section title="New endpoint">
          <EndpointForm
            submitLabel="Create endpoint"
            busy={create.isPending}
            error={create.error}
            onSubmit={(input) => create.mutate(input)}
            onCancel={() => {
              create.reset();
              setAdding(false);
            }}
          />
        </Section>
      )}
      <Section title="Endpoints">
        {endpoints.isPending && <Loading label="Loading endpoints…" />}
        {endpoints.isError && <ErrorNote error={endpoints.error} retry={() => endpoints.refetch()} />}
        {endpoints.data?.length === 0 && (
          <Empty title="No webhook endpoints yet">
            <p className="muted">
              {canWrite
                ? 'Add an endpoint to be told about new data as soon as it arrives instead of polling.'
                : 'An owner or admin of this team can add one.'}
            </p>
          </Empty>
        )}
        {endpoints.data && endpoints.data.length > 0 && (
          <Table
            caption="Webhook endpoints"
            head={['URL', 'Description', 'Events', 'State', 'Created', ...(canWrite ? ['Actions'] : [])]}
          >
            {endpoints.data.map((endpoint) => (
              <tr key={endpoint.id}>
                <td className="wh-url">
                  <Link to={`/webhooks/${encodeURIComponent(endpoint.id)}`}>{endpoint.url}</Link>
                </td>
                <td>{endpoint.description ?? <span className="muted">—</span>}</td>
                <td className="wh-filter-cell">{describeFilters(endpoint.filter_types)}</td>
                <td>
                  <StateBadge endpoint={endpoint} />
                  {endpoint.disabled_reason && (
                    <div className="muted wh-small">{endpoint.disabled_reason}</div>
                  )}
                </td>
                <td>{formatDateTime(endpoint.created_at)}</td>
                {canWrite && (
                  <td>
                    <ToggleButton endpoint={endpoint} />
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
      </Section>
    </>
  );
}
