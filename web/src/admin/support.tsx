import { useState } from 'react';
import { apiPath } from '../api.ts';
import { setQuery } from '../router.tsx';
import { Badge, Button, Empty, ErrorNote, Field, formatDateTime, Section, Select, Table } from '../ui.tsx';
import {
  AdminHeader,
  Pager,
  type Pagination,
  QueryView,
  useAdminAction,
  useAdminQuery,
  useFilters,
} from './common.tsx';

interface Ticket {
  id: string;
  email: string;
  name: string | null;
  subject: string;
  message: string;
  status: 'open' | 'resolved';
  developer_id: string | null;
  developer_email: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by_email: string | null;
}

function TicketRow(props: { ticket: Ticket }) {
  const { ticket } = props;
  const [open, setOpen] = useState(false);
  const resolve = useAdminAction(
    (_resolved: boolean) => `/api/v1/admin/support/${ticket.id}/resolve`,
    (resolved: boolean) => ({ resolved }),
  );
  const resolved = ticket.status === 'resolved';
  return (
    <>
      <tr>
        <td>{formatDateTime(ticket.created_at)}</td>
        <td>
          {ticket.name && <div>{ticket.name}</div>}
          <div>{ticket.email}</div>
          {ticket.developer_id && <div className="muted">Developer account</div>}
        </td>
        <td>
          <Button variant="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {ticket.subject}
          </Button>
        </td>
        <td>
          {resolved ? (
            <>
              <Badge tone="ok">Resolved</Badge>
              <div className="muted">
                {formatDateTime(ticket.resolved_at)}
                {ticket.resolved_by_email && ` by ${ticket.resolved_by_email}`}
              </div>
            </>
          ) : (
            <Badge tone="warn">Open</Badge>
          )}
        </td>
        <td>
          <Button
            busy={resolve.isPending}
            onClick={() => resolve.mutate(!resolved)}
            aria-label={`${resolved ? 'Reopen' : 'Resolve'} ticket: ${ticket.subject}`}
          >
            {resolved ? 'Reopen' : 'Resolve'}
          </Button>
          {resolve.isError && <ErrorNote error={resolve.error} />}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <p className="ticket-message">{ticket.message}</p>
            <a
              href={`mailto:${encodeURIComponent(ticket.email)}?subject=${encodeURIComponent(`Re: ${ticket.subject}`)}`}
            >
              Reply by email
            </a>
          </td>
        </tr>
      )}
    </>
  );
}

export default function AdminSupport() {
  const filters = useFilters(['status', 'q', 'offset']);
  const [q, setQ] = useState(filters.q ?? '');
  const tickets = useAdminQuery<{ data: Ticket[]; open_count: number; pagination: Pagination }>(
    apiPath('/admin/support', { status: filters.status, q: filters.q, offset: filters.offset, limit: 25 }),
  );
  return (
    <>
      <AdminHeader
        title="Support"
        description="Contact-form submissions. Resolve them, or reopen one that needs more."
      />
      <Section title="Tickets">
        <form
          className="row admin-filters"
          onSubmit={(event) => {
            event.preventDefault();
            setQuery({ q: q.trim() || undefined, offset: undefined });
          }}
        >
          <Select
            label="Status"
            value={filters.status ?? ''}
            onChange={(e) => setQuery({ status: e.target.value || undefined, offset: undefined })}
            options={[
              { value: '', label: 'All' },
              { value: 'open', label: 'Open' },
              { value: 'resolved', label: 'Resolved' },
            ]}
          />
          <Field
            label="Search"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Email, name, subject or text"
          />
          <Button type="submit">Search</Button>
        </form>
        <QueryView query={tickets}>
          {({ data, open_count, pagination }) => (
            <>
              <p className="muted" role="status">
                {open_count} open ticket{open_count === 1 ? '' : 's'} overall
              </p>
              {data.length === 0 ? (
                <Empty title="No tickets match" />
              ) : (
                <Table caption="Support tickets" head={['Received', 'From', 'Subject', 'Status', 'Actions']}>
                  {data.map((ticket) => (
                    <TicketRow key={ticket.id} ticket={ticket} />
                  ))}
                </Table>
              )}
              <Pager pagination={pagination} label="Tickets" />
            </>
          )}
        </QueryView>
      </Section>
    </>
  );
}
