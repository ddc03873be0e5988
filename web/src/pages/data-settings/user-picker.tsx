import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { Button, ErrorNote, Field } from '../../ui.tsx';

interface User {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  external_id: string | null;
}

const labelOf = (u: User) =>
  [u.first_name, u.last_name].filter(Boolean).join(' ') || u.email || u.external_id || u.id;

/** Search your users (name, email, external id) and pick one. */
export function UserPicker(props: { onPick(user: { id: string; label: string }): void }) {
  const [text, setText] = useState('');
  const [search, setSearch] = useState<string>();
  const users = useQuery({
    queryKey: ['users', 'picker', search],
    queryFn: () => api.get<{ data: User[] }>(apiPath('/users', { search: search || undefined, limit: 10 })),
    enabled: search !== undefined,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(text.trim());
  };
  return (
    <div className="ds-picker">
      <form className="row" onSubmit={submit} aria-label="Find a user">
        <Field
          label="User"
          value={text}
          placeholder="Name, email or external id"
          onChange={(e) => setText(e.currentTarget.value)}
        />
        <div className="field ds-button-field">
          <Button type="submit" busy={users.isFetching}>
            Find user
          </Button>
        </div>
      </form>
      {users.isError && <ErrorNote error={users.error} />}
      {users.data && users.data.data.length === 0 && <p className="muted">No user matches "{search}".</p>}
      {users.data && users.data.data.length > 0 && (
        <ul className="ds-user-results" aria-label="Matching users">
          {users.data.data.map((user) => (
            <li key={user.id}>
              <Button variant="link" onClick={() => props.onPick({ id: user.id, label: labelOf(user) })}>
                {labelOf(user)}
              </Button>{' '}
              <span className="mono muted">{user.external_id ?? user.id}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
