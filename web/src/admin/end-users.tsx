import { useState } from 'react';
import { apiPath } from '../api.ts';
import { setQuery } from '../router.tsx';
import { Button, Empty, Field, Section } from '../ui.tsx';
import { AdminHeader, JsonView, Pager, QueryView, useAdminQuery, useFilters } from './common.tsx';

/** Cross-tenant end-user search (email, name, external id), with the owning developer. */
export default function AdminEndUsers() {
  const filters = useFilters(['q', 'offset']);
  const [q, setQ] = useState(filters.q ?? '');
  const list = useAdminQuery<{
    data: Record<string, unknown>[];
    total: number;
    limit: number;
    offset: number;
  }>(apiPath('/admin/end-users', { q: filters.q, offset: filters.offset, limit: 25 }));
  return (
    <>
      <AdminHeader title="End users" description="The users of every tenant, for support look-ups." />
      <Section title="Search">
        <form
          className="row admin-filters"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery({ q: q.trim() || undefined, offset: undefined });
          }}
        >
          <Field
            label="Email, name or external id"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          <Button type="submit">Search</Button>
        </form>
      </Section>
      <Section title="End users">
        <QueryView query={list}>
          {({ data, total, limit, offset }) =>
            data.length === 0 ? (
              <Empty title="No end users match" />
            ) : (
              <>
                <JsonView value={data} caption="End users" />
                <Pager pagination={{ total_count: total, limit, offset }} label="End users" />
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
