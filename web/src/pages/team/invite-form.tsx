import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { Button, CopyField, ErrorNote, Field, formatDateTime, Select } from '../../ui.tsx';
import { type CreatedInvitation, INVITATIONS, roleOptions } from './types.ts';

/**
 * Invites by email with a role. When the instance mails the link (SMTP configured) it says so; otherwise
 * the link is shown here, once, with a copy button, for the inviter to hand over.
 */
export function InviteForm() {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'admin' | 'viewer'>('viewer');
  const [created, setCreated] = useState<CreatedInvitation>();
  const invite = useMutation({
    mutationFn: () =>
      api.post<CreatedInvitation>(apiPath('/team/invitations'), { email: email.trim(), role }),
    onSuccess: (invitation) => {
      setCreated(invitation);
      setEmail('');
      void queryClient.invalidateQueries({ queryKey: INVITATIONS });
    },
  });
  return (
    <div className="stack">
      <form
        className="row team-invite"
        onSubmit={(event) => {
          event.preventDefault();
          setCreated(undefined);
          invite.mutate();
        }}
      >
        <Field
          label="Email"
          type="email"
          autoComplete="off"
          required
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Select
          label="Role"
          value={role}
          options={roleOptions}
          onChange={(e) => setRole(e.target.value === 'admin' ? 'admin' : 'viewer')}
        />
        <Button type="submit" variant="primary" busy={invite.isPending}>
          Send invitation
        </Button>
      </form>
      {invite.error && <ErrorNote error={invite.error} />}
      {created && (
        <div className="notice" role="status">
          {created.emailed ? (
            <p>
              Invitation emailed to <strong>{created.email}</strong>. The link works once, until{' '}
              {formatDateTime(created.expires_at)}.
            </p>
          ) : (
            <>
              <p>
                This instance does not send mail: hand this link to <strong>{created.email}</strong> yourself.
                It is shown once, works once, until {formatDateTime(created.expires_at)}.
              </p>
              {created.invite_url && <CopyField label="Invitation link" value={created.invite_url} />}
            </>
          )}
        </div>
      )}
    </div>
  );
}
