import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { api, apiPath } from '../api.ts';
import { setQuery, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import {
  Button,
  Empty,
  ErrorNote,
  errorMessage,
  Field,
  formatDateTime,
  Loading,
  PageHeader,
  Section,
  Table,
} from '../ui.tsx';
import './audit.css';

interface AuditRow {
  id: string;
  seq: number;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  detail: Record<string, unknown>;
  created_at: string;
}

interface AuditPage {
  data: AuditRow[];
  pagination: { next_cursor: string | null; has_more: boolean };
}

const ACTOR_TYPES: Record<string, string> = {
  developer: 'Account',
  api_key: 'API key',
  admin: 'WearLink admin',
  sdk_user: 'End user (SDK token)',
  end_user: 'End user',
  anonymous: 'Anonymous',
  system: 'WearLink (automatic)',
};

/** Account id → email, from the team list (absent before the team API exists, or for removed members). */
function useEmails(): Map<string, string> {
  const { me } = useSession();
  const members = useQuery({
    queryKey: ['team', 'members'],
    queryFn: () => api.get<{ data: { id: string; email: string }[] }>(apiPath('/team/members')),
    retry: false,
    staleTime: 60_000,
  });
  const map = new Map((members.data?.data ?? []).map((m) => [m.id, m.email]));
  if (me) map.set(me.id, me.email);
  return map;
}

function ActionFilter(props: { value: string; onChange(value: string): void }) {
  const id = useId();
  const catalogue = useQuery({
    queryKey: ['audit', 'actions'],
    queryFn: () => api.get<{ data: string[]; groups: string[] }>(apiPath('/audit-logs/actions')),
    staleTime: 60 * 60_000,
    retry: false,
  });
  if (!catalogue.data) {
    return (
      <Field
        label="Action"
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        placeholder="api_key.*"
        hint="An action such as api_key.created, or a group such as api_key.*"
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>Action</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">All actions</option>
        <optgroup label="Groups">
          {catalogue.data.groups.map((group) => (
            <option key={group} value={group}>
              {group} (all)
            </option>
          ))}
        </optgroup>
        <optgroup label="Actions">
          {catalogue.data.data.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

function Filters(props: { action: string; since: string; until: string }) {
  const [action, setAction] = useState(props.action);
  const [since, setSince] = useState(props.since);
  const [until, setUntil] = useState(props.until);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ action, since, until });
  };
  return (
    <form className="row audit-filters" onSubmit={apply} aria-label="Audit log filters">
      <ActionFilter value={action} onChange={setAction} />
      <Field
        label="Since (UTC day)"
        type="date"
        value={since}
        onChange={(e) => setSince(e.currentTarget.value)}
      />
      <Field
        label="Until (UTC day, included)"
        type="date"
        value={until}
        onChange={(e) => setUntil(e.currentTarget.value)}
      />
      <div className="field audit-filter-buttons">
        <div className="row">
          <Button type="submit" variant="primary">
            Apply filters
          </Button>
          <Button
            onClick={() => {
              setAction('');
              setSince('');
              setUntil('');
              setQuery({ action: undefined, since: undefined, until: undefined });
            }}
          >
            Clear
          </Button>
        </div>
      </div>
    </form>
  );
}

function Actor(props: { actor: AuditRow['actor']; emails: Map<string, string> }) {
  const { type, id } = props.actor;
  const email = id ? props.emails.get(id) : undefined;
  return (
    <>
      <div>{ACTOR_TYPES[type] ?? type}</div>
      {email ? (
        <div className="audit-email">{email}</div>
      ) : (
        id && <div className="mono muted audit-id">{id}</div>
      )}
    </>
  );
}

/** One entry; its detail (JSON) opens in a full-width row below it, so the table keeps its shape. */
function Entry(props: { row: AuditRow; emails: Map<string, string> }) {
  const { row } = props;
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const keys = Object.keys(row.detail);
  return (
    <>
      <tr>
        <td>{formatDateTime(row.created_at)}</td>
        <td>
          <Actor actor={row.actor} emails={props.emails} />
        </td>
        <td className="mono">{row.action}</td>
        <td>
          {row.target ? (
            <>
              <div>{row.target.type}</div>
              <div className="mono muted audit-id">{row.target.id}</div>
            </>
          ) : (
            '—'
          )}
        </td>
        <td className="mono">{row.ip ?? '—'}</td>
        <td className="audit-detail">
          <Button
            variant="link"
            aria-expanded={open}
            aria-controls={open ? detailId : undefined}
            aria-label={`${open ? 'Hide' : 'Show'} detail of entry ${row.seq}`}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide' : 'Show'}
          </Button>{' '}
          <span className="muted">{keys.join(', ')}</span>
        </td>
      </tr>
      {open && (
        <tr id={detailId} className="audit-json-row">
          <td colSpan={6}>
            <pre className="audit-json">
              {JSON.stringify(
                { ...row.detail, user_agent: row.user_agent, request_id: row.request_id, seq: row.seq },
                null,
                2,
              )}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}

async function download(query: Record<string, string | undefined>): Promise<void> {
  const response = await api.get<Response>(apiPath('/audit-logs/export', query), {
    raw: true,
    headers: { accept: 'application/x-ndjson' },
  });
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'wearlink-audit-log.ndjson';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download by now; the next tick frees the blob.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function AuditPage() {
  const { query } = useLocation();
  const emails = useEmails();
  const filters = {
    action: query.get('action') ?? '',
    since: query.get('since') ?? '',
    until: query.get('until') ?? '',
  };
  const params = {
    action: filters.action || undefined,
    since: filters.since || undefined,
    until: filters.until || undefined,
  };
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string>();
  const rows = useInfiniteQuery({
    queryKey: ['audit', 'rows', params],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>(apiPath('/audit-logs', { ...params, limit: 50, cursor: pageParam }), { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.pagination.next_cursor ?? undefined,
  });
  const items = rows.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = Boolean(params.action || params.since || params.until);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every privileged action in your team (sign-ins, keys, users, connections, webhooks, settings): append-only, each row hash-chained to the one before."
        actions={
          <Button
            busy={exporting}
            onClick={async () => {
              setExporting(true);
              setExportError(undefined);
              await download(params)
                .catch((error: unknown) => setExportError(errorMessage(error)))
                .finally(() => setExporting(false));
            }}
          >
            Export NDJSON
          </Button>
        }
      />
      {exportError && <ErrorNote error={new Error(`Export failed: ${exportError}`)} />}
      <Section title="Filters">
        {/* Keyed by the URL's filters, so Back/Forward and "Clear" reset the form too. */}
        <Filters key={`${filters.action}|${filters.since}|${filters.until}`} {...filters} />
      </Section>
      <Section title="Entries">
        {rows.isPending && <Loading label="Loading audit log…" />}
        {rows.isError && <ErrorNote error={rows.error} retry={() => rows.refetch()} />}
        {rows.data && items.length === 0 && (
          <Empty title={filtered ? 'No entries match these filters' : 'No audit entries yet'} />
        )}
        {items.length > 0 && (
          <>
            <Table caption="Audit log entries" head={['Time', 'Actor', 'Action', 'Target', 'IP', 'Detail']}>
              {items.map((row) => (
                <Entry key={row.id} row={row} emails={emails} />
              ))}
            </Table>
            <p className="muted">
              {items.length} entr{items.length === 1 ? 'y' : 'ies'} shown, newest first.
            </p>
            {rows.hasNextPage && (
              <Button busy={rows.isFetchingNextPage} onClick={() => rows.fetchNextPage()}>
                Load more
              </Button>
            )}
          </>
        )}
      </Section>
    </>
  );
}
