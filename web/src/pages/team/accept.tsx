import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, apiPath, setToken } from '../../api.ts';
import { Link, navigate, useLocation } from '../../router.tsx';
import { Button, ErrorNote, Field, formatDateTime, Loading, useFormSubmit } from '../../ui.tsx';
import { roleLabel } from './types.ts';
import './team.css';

interface Lookup {
  email: string;
  role: 'admin' | 'viewer';
  team_name: string;
  expires_at: string;
}

/**
 * Public: the page an invitation link opens. Looks the token up (team, role, email), then creates the
 * member's account with a name and password and signs in with the session the API returns.
 */
export default function AcceptInvitation() {
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const lookup = useQuery({
    queryKey: ['invitation', token],
    queryFn: ({ signal }) =>
      api.get<Lookup>(apiPath('/team/invitations/lookup', { token }), { signal, anonymous: true }),
    enabled: token !== '',
    retry: false,
  });

  const { busy, error, onSubmit } = useFormSubmit(async () => {
    const session = await api.post<{ access_token: string }>(
      apiPath('/team/invitations/accept'),
      { token, name: name.trim(), password },
      { anonymous: true },
    );
    queryClient.clear();
    setToken(session.access_token);
    navigate('/', { replace: true });
  });

  if (token === '' || lookup.error) {
    const invalid =
      token === '' || (lookup.error instanceof ApiError && lookup.error.code === 'invite_invalid');
    return (
      <div className="card team-accept">
        <h1>Join a team</h1>
        {invalid ? (
          <p role="alert">
            This invitation link is invalid, expired, revoked or already used. Ask whoever invited you for a
            new one.
          </p>
        ) : (
          <ErrorNote error={lookup.error} retry={() => void lookup.refetch()} />
        )}
        <p>
          <Link to="/login">Sign in</Link> if you already have an account.
        </p>
      </div>
    );
  }
  if (lookup.isPending) return <Loading label="Checking the invitation…" />;
  const invitation = lookup.data;
  return (
    <div className="card team-accept">
      <h1>Join {invitation.team_name} on WearLink</h1>
      <p>
        You are invited as <strong>{roleLabel[invitation.role].toLowerCase()}</strong> with the email{' '}
        <strong>{invitation.email}</strong>. The invitation works until{' '}
        {formatDateTime(invitation.expires_at)}.
      </p>
      <form onSubmit={onSubmit}>
        <Field label="Email" type="email" value={invitation.email} readOnly autoComplete="username" />
        <Field
          label="Name"
          autoComplete="name"
          required
          maxLength={200}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={256}
          hint="At least 8 characters."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error !== undefined && <ErrorNote error={error} />}
        <Button type="submit" variant="primary" busy={busy}>
          Join the team
        </Button>
      </form>
    </div>
  );
}
