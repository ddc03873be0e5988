import { useState } from 'react';
import { apiPath } from '../api.ts';
import { Link, setQuery } from '../router.tsx';
import { Badge, Button, Empty, Field, formatDateTime, Section, Select, Table } from '../ui.tsx';
import { AdminHeader, Pager, QueryView, useAdminQuery, useFilters } from './common.tsx';

export interface AdminDeveloper {
  id: string;
  email: string;
  name?: string | null;
  plan?: string;
  organization?: string | null;
  is_superuser?: boolean;
  locked?: boolean;
  locked_until?: string | null;
  is_root?: boolean;
  superuser_by_config?: boolean;
  superuser_flag?: boolean;
  role?: string;
  email_verified_at?: string | null;
  failed_login_count?: number;
  tenant_id?: string | null;
  created_at?: string;
}

export function isLocked(dev: Pick<AdminDeveloper, 'locked' | 'locked_until'>): boolean {
  return dev.locked ?? (dev.locked_until != null && new Date(dev.locked_until).getTime() > Date.now());
}

/** State as words (never colour alone): Superuser, Locked, Unverified. */
export function DeveloperBadges(props: { developer: AdminDeveloper }) {
  const d = props.developer;
  return (
    <span className="row">
      {d.is_root && <Badge tone="info">Root admin</Badge>}
      {d.is_superuser && !d.is_root && <Badge tone="info">Superuser</Badge>}
      {isLocked(d) && <Badge tone="bad">Locked until {formatDateTime(d.locked_until)}</Badge>}
      {d.email_verified_at === null && <Badge tone="warn">Unverified</Badge>}
    </span>
  );
}

const yesNo = (all: string) => [
  { value: '', label: all },
  { value: 'true', label: 'Yes' },
  { value: 'false', label: 'No' },
];

export default function AdminDevelopers() {
  const filters = useFilters(['q', 'plan', 'locked', 'superuser', 'offset']);
  const [q, setQ] = useState(filters.q ?? '');
  const list = useAdminQuery<{ data: AdminDeveloper[]; total: number; limit: number; offset: number }>(
    apiPath('/admin/developers', { ...filters, limit: 25 }),
  );
  return (
    <>
      <AdminHeader title="Developers" description="Every developer account across tenants." />
      <Section title="Search">
        <form
          className="row admin-filters"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery({ q: q.trim() || undefined, offset: undefined });
          }}
        >
          <Field label="Email or name" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          <Select
            label="Plan"
            value={filters.plan ?? ''}
            onChange={(e) => setQuery({ plan: e.target.value || undefined, offset: undefined })}
            options={[
              { value: '', label: 'Any plan' },
              ...['hobby', 'developer', 'scale', 'enterprise'].map((p) => ({ value: p, label: p })),
            ]}
          />
          <Select
            label="Locked"
            value={filters.locked ?? ''}
            onChange={(e) => setQuery({ locked: e.target.value || undefined, offset: undefined })}
            options={yesNo('Either')}
          />
          <Select
            label="Superuser"
            value={filters.superuser ?? ''}
            onChange={(e) => setQuery({ superuser: e.target.value || undefined, offset: undefined })}
            options={yesNo('Either')}
          />
          <Button type="submit">Search</Button>
        </form>
      </Section>
      <Section title="Developers">
        <QueryView query={list}>
          {({ data, total, limit, offset }) =>
            data.length === 0 ? (
              <Empty title="No developers match" />
            ) : (
              <>
                <Table caption="Developers" head={['Email', 'Name', 'Plan', 'State', 'Joined']}>
                  {data.map((dev) => (
                    <tr key={dev.id}>
                      <td>
                        <Link to={`/admin/developers/${dev.id}`}>{dev.email}</Link>
                      </td>
                      <td>{dev.name ?? '—'}</td>
                      <td>{dev.plan ?? '—'}</td>
                      <td>
                        <DeveloperBadges developer={dev} />
                      </td>
                      <td>{formatDateTime(dev.created_at)}</td>
                    </tr>
                  ))}
                </Table>
                <Pager pagination={{ total_count: total, limit, offset }} label="Developers" />
              </>
            )
          }
        </QueryView>
      </Section>
    </>
  );
}
