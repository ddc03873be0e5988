import { type UseQueryResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { api } from '../api.ts';
import { setQuery, useLocation } from '../router.tsx';
import { Button, Dialog, ErrorNote, formatNumber, Loading, PageHeader } from '../ui.tsx';
import './admin.css';

/** Every admin read is keyed under 'admin', so a mutation anywhere refreshes what the portal shows. */
export function useAdminQuery<T>(path: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['admin', path],
    queryFn: ({ signal }) => api.get<T>(path, { signal }),
    retry: false,
    enabled: options.enabled ?? true,
  });
}

/** A POST whose success refreshes every admin read; its error is shown by the caller (ErrorNote). */
export function useAdminAction<TBody = undefined, TResult = unknown>(
  path: (arg: TBody) => string,
  body?: (arg: TBody) => unknown,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (arg: TBody) => api.post<TResult>(path(arg), body?.(arg)),
    // Everything: admin reads, and the dashboard's own (the announcement banner, the session).
    onSuccess: () => client.invalidateQueries(),
  });
}

/** Loading, the API's own error (a 404 when a backend section is missing), or the data. */
export function QueryView<T>(props: {
  query: UseQueryResult<T>;
  label?: string;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending) return <Loading label={props.label} />;
  if (query.isError) return <ErrorNote error={query.error} retry={() => query.refetch()} />;
  return <>{props.children(query.data)}</>;
}

export function AdminHeader(props: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <PageHeader title={`Admin · ${props.title}`} description={props.description} actions={props.actions} />
  );
}

/** `pending_reviews` → "Pending reviews". */
export function humanize(key: string): string {
  const words = key.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** An amount in both currencies, as the finance API returns it. */
export function Money(props: { inr: number | null | undefined; usd: number | null | undefined }) {
  if (props.inr == null && props.usd == null) return <>—</>;
  return (
    <span className="money">
      <span>{props.inr == null ? '—' : inr.format(props.inr)}</span>{' '}
      <span className="muted">{props.usd == null ? '—' : usd.format(props.usd)}</span>
    </span>
  );
}

export function formatPct(value: number | null | undefined): string {
  return value == null ? '—' : `${formatNumber(value, 1)} %`;
}

export interface Pagination {
  total_count: number;
  limit: number;
  offset: number;
  has_more?: boolean;
}

/** Previous / next over offset paging, kept in the URL (`offset`). */
export function Pager(props: { pagination: Pagination | undefined; label: string }) {
  const p = props.pagination;
  if (!p || p.total_count <= p.limit) return null;
  const to = Math.min(p.offset + p.limit, p.total_count);
  return (
    <nav className="row pager" aria-label={`${props.label} pages`}>
      <span className="muted">
        {formatNumber(p.offset + 1)}–{formatNumber(to)} of {formatNumber(p.total_count)}
      </span>
      <Button
        disabled={p.offset === 0}
        onClick={() => setQuery({ offset: String(Math.max(0, p.offset - p.limit)) })}
      >
        Previous page
      </Button>
      <Button disabled={to >= p.total_count} onClick={() => setQuery({ offset: String(p.offset + p.limit) })}>
        Next page
      </Button>
    </nav>
  );
}

/** The URL's filters as API query parameters (empty ones dropped). */
export function useFilters(names: readonly string[]): Record<string, string | undefined> {
  const { query } = useLocation();
  return Object.fromEntries(names.map((name) => [name, query.get(name) || undefined]));
}

/** A button that asks before it acts; shows the API's refusal in the dialog. */
export function ConfirmButton(props: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger';
  onConfirm: () => Promise<unknown>;
}) {
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <>
      <Button
        variant={props.variant ?? 'secondary'}
        onClick={() => {
          setError(undefined);
          setOpen(true);
        }}
      >
        {props.label}
      </Button>
      <Dialog title={props.title} open={open} onClose={() => setOpen(false)}>
        <div className="stack">
          <div>{props.children}</div>
          {error !== undefined && <ErrorNote error={error} />}
          <div className="row">
            <Button
              variant={props.variant === 'danger' ? 'danger' : 'primary'}
              busy={busy}
              onClick={async () => {
                setBusy(true);
                setError(undefined);
                try {
                  await props.onConfirm();
                  setOpen(false);
                  await client.invalidateQueries();
                } catch (caught) {
                  setError(caught);
                } finally {
                  setBusy(false);
                }
              }}
            >
              {props.confirmLabel ?? props.label}
            </Button>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </div>
      </Dialog>
    </>
  );
}

/**
 * Any JSON value as a person reads it: numbers and strings as they are, objects as a definition list,
 * lists of objects as a table. For payloads the portal shows whole (system health, details).
 */
export function JsonView(props: { value: unknown; caption: string; name?: string }): ReactNode {
  const { value } = props;
  if (typeof value === 'number' && props.name !== undefined && /bytes$/.test(props.name))
    return formatBytes(value);
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return formatNumber(value, 2);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="muted">None</span>;
    if (value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))) {
      const columns = [...new Set(value.flatMap((item) => Object.keys(item as object)))];
      return (
        <div className="table-wrap">
          <table>
            <caption className="sr-only">{props.caption}</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {humanize(column)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {value.map((item, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows of a read-only payload, never reordered
                <tr key={index}>
                  {columns.map((column) => (
                    <td key={column}>
                      <JsonView
                        name={column}
                        value={(item as Record<string, unknown>)[column]}
                        caption={`${props.caption}: ${column}`}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    return value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="data-view">
      {entries.map(([key, item]) => (
        <div key={key}>
          <dt>{humanize(key)}</dt>
          <dd>
            <JsonView name={key} value={item} caption={`${props.caption}: ${key}`} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function TextArea(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
  required?: boolean;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        value={props.value}
        maxLength={props.maxLength}
        required={props.required}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
        onChange={(event) => props.onChange(event.target.value)}
      />
      {props.hint && (
        <div id={`${id}-hint`} className="field-hint">
          {props.hint}
        </div>
      )}
    </div>
  );
}

/** 10821755 → "10.3 MiB". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value, unit === 0 ? 0 : 1)} ${units[unit]}`;
}
