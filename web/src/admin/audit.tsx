import { useState } from 'react';
import { apiPath } from '../api.ts';
import { setQuery } from '../router.tsx';
import { Button, Empty, Field, Section } from '../ui.tsx';
import { type AuditRow, AuditTable } from './audit-table.tsx';
import { AdminHeader, QueryView, useAdminQuery, useFilters } from './common.tsx';

/** The cross-tenant audit timeline: action (exact), prefix, since, free text. Filters live in the URL. */
export default function AdminAudit() {
  const filters = useFilters(['action', 'prefix', 'since', 'q']);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const [form, setForm] = useState({
    action: filters.action ?? '',
    prefix: filters.prefix ?? '',
    since: filters.since?.slice(0, 10) ?? '',
    q: filters.q ?? '',
  });
  const list = useAdminQuery<{ data: AuditRow[]; next_cursor: string | null }>(
    apiPath('/admin/audit', { ...filters, limit: 50, cursor }),
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
            setCursors([]);
            setQuery({
              action: form.action.trim() || undefined,
              prefix: form.prefix.trim() || undefined,
              since: form.since || undefined,
              q: form.q.trim() || undefined,
            });
          }}
        >
          <Field label="Action" placeholder="developer.login_failed or admin.*" {...field('action')} />
          <Field label="Action prefix" placeholder="developer." {...field('prefix')} />
          <Field label="Since (UTC day)" type="date" {...field('since')} />
          <Field label="Search" type="search" placeholder="Email, id or address" {...field('q')} />
          <Button type="submit">Apply filters</Button>
        </form>
      </Section>
      <Section title="Timeline">
        <QueryView query={list}>
          {({ data, next_cursor }) =>
            data.length === 0 ? (
              <Empty title="No audit rows match" />
            ) : (
              <>
                <AuditTable rows={data} caption="Audit timeline" />
                <div className="row pager">
                  {cursors.length > 0 && <Button onClick={() => setCursors([])}>Newest</Button>}
                  {next_cursor && (
                    <Button onClick={() => setCursors([...cursors, next_cursor])}>Older rows</Button>
                  )}
                </div>
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
