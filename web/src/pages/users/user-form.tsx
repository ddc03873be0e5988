import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError, api, apiPath } from '../../api.ts';
import { Button, Dialog, ErrorNote, Field } from '../../ui.tsx';
import { displayName, splitName, type User } from './types.ts';

/** Create (no `user`) or edit a user: name, email, external id. Calls `onSaved` with the stored user. */
export function UserFormDialog(props: {
  open: boolean;
  user?: User | undefined;
  onClose: () => void;
  onSaved: (user: User) => void;
}) {
  return (
    <Dialog title={props.user ? 'Edit user' : 'Create user'} open={props.open} onClose={props.onClose}>
      <UserForm user={props.user} onCancel={props.onClose} onSaved={props.onSaved} />
    </Dialog>
  );
}

function UserForm(props: { user?: User | undefined; onCancel: () => void; onSaved: (user: User) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(props.user ? displayName(props.user) : '');
  const [email, setEmail] = useState(props.user?.email ?? '');
  const [externalId, setExternalId] = useState(props.user?.external_id ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = {
        ...splitName(name),
        email: email.trim() === '' ? null : email.trim(),
        external_id: externalId.trim() === '' ? null : externalId.trim(),
      };
      return props.user
        ? api.patch<User>(apiPath(`/users/${props.user.id}`), body)
        : api.post<User>(apiPath('/users'), body);
    },
    onSuccess: (user) => {
      queryClient.invalidateQueries({ queryKey: ['users'] });
      queryClient.setQueryData(['user', user.id], user);
      props.onSaved(user);
    },
  });
  // A 409 names the field that clashes; show it there rather than only at the bottom.
  const conflict =
    save.error instanceof ApiError && save.error.status === 409 ? save.error.detail : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} maxLength={201} autoFocus />
      <Field
        label="Email"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        maxLength={254}
        error={conflict?.includes('email') ? conflict : undefined}
      />
      <Field
        label="External ID"
        value={externalId}
        onChange={(e) => setExternalId(e.target.value)}
        maxLength={255}
        hint="Your own identifier for this user (unique in your account)"
        error={conflict?.includes('external_id') ? conflict : undefined}
      />
      {save.error && !conflict && <ErrorNote error={save.error} />}
      <div className="row">
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
