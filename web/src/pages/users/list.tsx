import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { Link, navigate, setQuery, useLocation } from '../../router.tsx';
import { useSession } from '../../session.tsx';
import { Button, Empty, ErrorNote, Field, formatDateTime, Loading, PageHeader, Table } from '../../ui.tsx';
import { DeleteUserDialog } from './delete-dialog.tsx';
import { type User, type UserList, userLabel } from './types.ts';
import { UserFormDialog } from './user-form.tsx';
import './users.css';

const PAGE_SIZE = 25;

export default function UsersPage() {
  const { canWrite } = useSession();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const [text, setText] = useState(q);
  // Cursors of the pages seen so far: [undefined (page 1), page 2's, …]; a new search starts over.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | undefined>();
  const [deleting, setDeleting] = useState<User | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const cursor = cursors[cursors.length - 1];

  // The URL keeps the search (reloads and links keep it); typing settles for 250 ms before it searches.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() !== q) {
        setQuery({ q: text.trim() || undefined });
        setCursors([undefined]);
      }
    }, 250);
    return () => clearTimeout(timer);
  }, [text, q]);

  const users = useQuery({
    queryKey: ['users', q, cursor],
    queryFn: ({ signal }) =>
      api.get<UserList>(apiPath('/users', { q: q || undefined, cursor, limit: PAGE_SIZE }), { signal }),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title="Users"
        description="The people whose wearable data your app reads."
        actions={
          canWrite && (
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create user
            </Button>
          )
        }
      />
      <div className="card">
        <search className="users-search">
          <Field
            label="Search users"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name, email or external ID"
            maxLength={200}
          />
        </search>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {users.isPending ? (
          <Loading label="Loading users…" />
        ) : users.error ? (
          <ErrorNote error={users.error} retry={() => users.refetch()} />
        ) : users.data.data.length === 0 ? (
          q ? (
            <Empty title={`No users match “${q}”`}>
              <p>Try part of a name, an email or an external ID.</p>
            </Empty>
          ) : (
            <Empty title="No users yet">
              <p>
                {canWrite
                  ? 'Create a user, then connect the sandbox to try WearLink.'
                  : 'Users appear here once an owner or admin creates them.'}
              </p>
            </Empty>
          )
        ) : (
          <>
            <p className="muted" aria-live="polite">
              {users.data.pagination.total_count} {users.data.pagination.total_count === 1 ? 'user' : 'users'}
              {q ? ` matching “${q}”` : ''}
            </p>
            <Table
              caption="Users"
              head={[
                'Name',
                'Email',
                'External ID',
                'Created',
                ...(canWrite ? [<span key="a">Actions</span>] : []),
              ]}
            >
              {users.data.data.map((user) => (
                <tr key={user.id}>
                  <td>
                    <Link to={`/users/${user.id}`}>{userLabel(user)}</Link>
                  </td>
                  <td>{user.email ?? '—'}</td>
                  <td className="mono">{user.external_id ?? '—'}</td>
                  <td>{formatDateTime(user.created_at)}</td>
                  {canWrite && (
                    <td className="users-actions">
                      <Button
                        variant="link"
                        aria-label={`Edit ${userLabel(user)}`}
                        onClick={() => setEditing(user)}
                      >
                        Edit
                      </Button>
                      <Button
                        variant="link"
                        aria-label={`Delete ${userLabel(user)}`}
                        onClick={() => setDeleting(user)}
                      >
                        Delete
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </Table>
            <nav className="row users-pager" aria-label="Pages of users">
              <Button disabled={cursors.length < 2} onClick={() => setCursors((list) => list.slice(0, -1))}>
                Previous page
              </Button>
              <span className="muted">Page {cursors.length}</span>
              <Button
                disabled={!users.data.pagination.next_cursor || users.isPlaceholderData}
                onClick={() => {
                  const next = users.data.pagination.next_cursor;
                  if (next) setCursors((list) => [...list, next]);
                }}
              >
                Next page
              </Button>
            </nav>
          </>
        )}
      </div>
      <UserFormDialog
        open={creating || editing !== undefined}
        user={editing}
        onClose={() => {
          setCreating(false);
          setEditing(undefined);
        }}
        onSaved={(user) => {
          if (creating) {
            setCreating(false);
            navigate(`/users/${user.id}`);
          } else {
            setEditing(undefined);
            setNotice(`Saved ${userLabel(user)}.`);
          }
        }}
      />
      <DeleteUserDialog
        user={deleting}
        onClose={() => setDeleting(undefined)}
        onDeleted={(user) => {
          setDeleting(undefined);
          setNotice(`Deleted ${userLabel(user)}; their data is being wiped.`);
        }}
      />
    </>
  );
}
