import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { useSession } from '../../session.tsx';
import {
  Badge,
  Button,
  Empty,
  ErrorNote,
  formatDateTime,
  formatNumber,
  Loading,
  Section,
  Table,
} from '../../ui.tsx';
import type { Attempt, AttemptPage, Endpoint } from './model.ts';

const POLL_MS = 3000;
/** How long a sent test is waited for before polling stops (no worker running, say). */
const AWAIT_MS = 120_000;

function Result(props: { attempt: Attempt }) {
  const { status_code: code, error } = props.attempt;
  const ok = code !== null && code >= 200 && code < 300;
  return (
    <>
      <Badge tone={ok ? 'ok' : 'bad'}>{code === null ? 'No response' : `HTTP ${code}`}</Badge>
      {error && <div className="muted wh-small">{error}</div>}
    </>
  );
}

function Delivery(props: { status: Attempt['delivery_status'] }) {
  if (props.status === 'succeeded') return <Badge tone="ok">Delivered</Badge>;
  if (props.status === 'failed') return <Badge tone="bad">Gave up</Badge>;
  return <Badge tone="warn">Pending</Badge>;
}

function Excerpt(props: { text: string | null }) {
  if (!props.text) return <span className="muted">—</span>;
  if (props.text.length <= 60) return <span className="mono">{props.text}</span>;
  return (
    <details>
      <summary className="mono">{props.text.slice(0, 60)}…</summary>
      <pre className="wh-excerpt">{props.text}</pre>
    </details>
  );
}

/** "Send test event" and the attempts log, refreshed every few seconds while a delivery is pending. */
export function AttemptsSection(props: { endpoint: Endpoint }) {
  const { canWrite } = useSession();
  const { endpoint } = props;
  const [awaiting, setAwaiting] = useState<{ id: string; at: number }[]>([]);
  const path = apiPath(`/webhooks/endpoints/${encodeURIComponent(endpoint.id)}/attempts`);
  const attempts = useInfiniteQuery({
    queryKey: ['webhooks', 'attempts', endpoint.id],
    queryFn: ({ pageParam, signal }) =>
      api.get<AttemptPage>(
        pageParam ? `${path}?limit=25&cursor=${encodeURIComponent(pageParam)}` : `${path}?limit=25`,
        {
          signal,
        },
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.pagination.next_cursor ?? undefined,
    refetchInterval: (query) => {
      const rows = query.state.data?.pages.flatMap((p) => p.data) ?? [];
      if (rows.some((a) => a.delivery_status === 'pending')) return POLL_MS;
      const seen = new Set(rows.map((a) => a.message_id));
      return awaiting.some((m) => !seen.has(m.id) && Date.now() - m.at < AWAIT_MS) ? POLL_MS : false;
    },
  });
  const test = useMutation({
    mutationFn: () =>
      api.post<{ message_id: string }>(
        apiPath(`/webhooks/endpoints/${encodeURIComponent(endpoint.id)}/test`),
      ),
    onSuccess: async (sent) => {
      setAwaiting((list) => [...list, { id: sent.message_id, at: Date.now() }]);
      await attempts.refetch();
    },
  });

  const rows = attempts.data?.pages.flatMap((p) => p.data) ?? [];
  const seen = new Set(rows.map((a) => a.message_id));
  const waiting = awaiting.filter((m) => !seen.has(m.id));
  const total = attempts.data?.pages[0]?.pagination.total_count;
  // An attempt whose retry is already in the log points at it rather than at a time gone by.
  const retried = new Set(rows.map((a) => `${a.message_id}#${a.attempt}`));
  return (
    <Section
      title="Deliveries"
      actions={
        canWrite ? (
          <Button variant="primary" busy={test.isPending} onClick={() => test.mutate()}>
            Send test event
          </Button>
        ) : undefined
      }
    >
      {test.isError && <ErrorNote error={test.error} />}
      {waiting.length > 0 && (
        <p className="notice" role="status">
          Test event queued ({waiting.map((m) => m.id).join(', ')}); waiting for the delivery attempt…
          {endpoint.disabled && ' This endpoint is disabled: the test is delivered once it is enabled again.'}
        </p>
      )}
      {attempts.isPending && <Loading label="Loading delivery attempts…" />}
      {attempts.isError && <ErrorNote error={attempts.error} retry={() => attempts.refetch()} />}
      {attempts.data && rows.length === 0 && (
        <Empty title="No delivery attempts yet">
          <p className="muted">
            Attempts appear here as events are sent{canWrite ? ', or send a test event' : ''}.
          </p>
        </Empty>
      )}
      {rows.length > 0 && (
        <>
          <p className="muted">
            {formatNumber(total)} attempt{total === 1 ? '' : 's'}, newest first
            {attempts.isFetching && !attempts.isFetchingNextPage ? ' · refreshing…' : ''}
          </p>
          <Table
            caption="Delivery attempts"
            head={['Time', 'Event', 'Attempt', 'Result', 'Duration', 'Response', 'Message now', 'Next retry']}
          >
            {rows.map((a) => (
              <tr key={a.id}>
                <td>{formatDateTime(a.created_at)}</td>
                <td className="mono">{a.event_type}</td>
                <td>#{a.attempt}</td>
                <td className="wh-nowrap">
                  <Result attempt={a} />
                </td>
                <td className="wh-nowrap">{formatNumber(a.duration_ms)} ms</td>
                <td className="wh-response">
                  <Excerpt text={a.response_excerpt} />
                </td>
                <td className="wh-nowrap">
                  <Delivery status={a.delivery_status} />
                </td>
                <td>
                  {retried.has(`${a.message_id}#${a.attempt + 1}`) ? (
                    <span className="muted">Retried as #{a.attempt + 1}</span>
                  ) : a.next_attempt_at ? (
                    formatDateTime(a.next_attempt_at)
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </Table>
          {attempts.hasNextPage && (
            <Button busy={attempts.isFetchingNextPage} onClick={() => attempts.fetchNextPage()}>
              Load older attempts
            </Button>
          )}
        </>
      )}
    </Section>
  );
}
