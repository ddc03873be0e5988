import { useState } from 'react';
import { apiPath } from '../api.ts';
import { setQuery } from '../router.tsx';
import { Button, Empty, Field, formatDateTime, Section, Table } from '../ui.tsx';
import { AdminHeader, Pager, type Pagination, QueryView, useAdminQuery, useFilters } from './common.tsx';

interface Row {
  id: string;
  developer_id?: string;
  developer_email?: string | null;
  action: string;
  actor_type?: string;
  actor_id?: string | null;
  actor_email?: string | null;
  target_type?: string | null;
  target_id?: string | null;
  ip?: string | null;
  detail?: unknown;
  created_at: string;
}

/** The cross-tenant audit timeline: action (exact), prefix, since, free text. Filters live in the URL. */
export default function AdminAudit() {
  const filters = useFilters(['action', 'prefix', 'since', 'q', 'offset']);
  const [form, setForm] = useState({
    action: filters.action ?? '',
    prefix: filters.prefix ?? '',
    since: filters.since?.slice(0, 10) ?? '',
    q: filters.q ?? '',
  });
  const list = useAdminQuery<{ data: Row[]; pagination?: Pagination }>(
    apiPath('/admin/audit', { ...filters, limit: 50 }),
  );
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });
  return (
    <>
      <AdminHeader
        title="Audit timeline"
        description="Every privileged action, across tenants, newest first."
      />
      <Section title="Filters">
        <form
          className="row admin-filters"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery({
              action: form.action.trim() || undefined,
              prefix: form.prefix.trim() || undefined,
              since: form.since ? `${form.since}T00:00:00Z` : undefined,
              q: form.q.trim() || undefined,
              offset: undefined,
            });
          }}
        >
          <Field label="Action" placeholder="developer.login_failed" {...field('action')} />
          <Field label="Action prefix" placeholder="admin." {...field('prefix')} />
          <Field label="Since (UTC day)" type="date" {...field('since')} />
          <Field label="Search" type="search" placeholder="Email, id or address" {...field('q')} />
          <Button type="submit">Apply filters</Button>
        </form>
      </Section>
      <Section title="Timeline">
        <QueryView query={list}>
          {({ data, pagination }) =>
            data.length === 0 ? (
              <Empty title="No audit rows match" />
            ) : (
              <>
                <Table
                  caption="Audit timeline"
                  head={['When', 'Action', 'Tenant', 'Actor', 'Target', 'Address']}
                >
                  {data.map((row) => (
                    <tr key={row.id}>
                      <td>{formatDateTime(row.created_at)}</td>
                      <td>
                        <code>{row.action}</code>
                      </td>
                      <td>{row.developer_email ?? row.developer_id ?? '—'}</td>
                      <td>
                        {row.actor_type ?? '—'} {row.actor_email ?? ''}
                      </td>
                      <td>{row.target_type ? `${row.target_type} ${row.target_id ?? ''}` : '—'}</td>
                      <td>{row.ip ?? '—'}</td>
                    </tr>
                  ))}
                </Table>
                <Pager pagination={pagination} label="Audit timeline" />
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
