import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, apiPath } from '../../api.ts';
import { useSession } from '../../session.tsx';
import {
  Badge,
  Button,
  Dialog,
  Empty,
  ErrorNote,
  formatDateTime,
  Loading,
  PageHeader,
  Section,
  Table,
} from '../../ui.tsx';
import { InviteForm } from './invite-form.tsx';
import { INVITATIONS, type Invitation, MEMBERS, type Member, roleLabel, roleOptions } from './types.ts';
import './team.css';

/**
 * The team (src/team/team.routes.ts): its owner and members with their roles, open invitations, and
 * the invite form. Owners and admins change roles, remove members and revoke invitations; viewers see
 * the same lists read-only. Nobody changes or removes the owner.
 */
export default function TeamPage() {
  const { canWrite, me } = useSession();
  const queryClient = useQueryClient();
  const members = useQuery({
    queryKey: MEMBERS,
    queryFn: ({ signal }) => api.get<{ data: Member[] }>(apiPath('/team/members'), { signal }),
  });
  const invitations = useQuery({
    queryKey: INVITATIONS,
    queryFn: ({ signal }) => api.get<{ data: Invitation[] }>(apiPath('/team/invitations'), { signal }),
  });
  const [removing, setRemoving] = useState<Member>();

  const changeRole = useMutation({
    mutationFn: (input: { id: string; role: string }) =>
      api.patch<Member>(apiPath(`/team/members/${input.id}`), { role: input.role }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete<void>(apiPath(`/team/members/${id}`)),
    onSuccess: () => setRemoving(undefined),
    onSettled: () => queryClient.invalidateQueries({ queryKey: MEMBERS }),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete<void>(apiPath(`/team/invitations/${id}`)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: INVITATIONS }),
  });

  return (
    <>
      <PageHeader
        title="Team"
        description="People who work in this tenant. Owners and admins change settings and see secrets; viewers only read."
      />
      <Section title="Members">
        {members.isPending ? (
          <Loading label="Loading members…" />
        ) : members.error ? (
          <ErrorNote error={members.error} retry={() => void members.refetch()} />
        ) : (
          <>
            {changeRole.error && <ErrorNote error={changeRole.error} />}
            <Table
              caption="Team members"
              head={
                canWrite
                  ? ['Name', 'Email', 'Role', 'Joined', 'Actions']
                  : ['Name', 'Email', 'Role', 'Joined']
              }
            >
              {members.data.data.map((member) => (
                <tr key={member.id}>
                  <td>
                    {member.name}
                    {member.id === me?.id && <span className="muted"> (you)</span>}
                  </td>
                  <td className="team-email">{member.email}</td>
                  <td>
                    {canWrite && member.role !== 'owner' ? (
                      <select
                        aria-label={`Role of ${member.email}`}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(e) => changeRole.mutate({ id: member.id, role: e.target.value })}
                      >
                        {roleOptions.map((option) => (
                          <option key={option.value} value={option.value}>
                            {roleLabel[option.value]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <Badge tone={member.role === 'owner' ? 'info' : 'neutral'}>
                        {roleLabel[member.role]}
                      </Badge>
                    )}
                  </td>
                  <td>{formatDateTime(member.created_at)}</td>
                  {canWrite && (
                    <td>
                      {member.role !== 'owner' && (
                        <Button
                          variant="danger"
                          onClick={() => setRemoving(member)}
                          aria-label={`Remove ${member.email}`}
                        >
                          Remove
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </Table>
          </>
        )}
      </Section>

      <Section title="Pending invitations">
        {invitations.isPending ? (
          <Loading label="Loading invitations…" />
        ) : invitations.error ? (
          <ErrorNote error={invitations.error} retry={() => void invitations.refetch()} />
        ) : invitations.data.data.length === 0 ? (
          <Empty title="No pending invitations">
            {canWrite && <p className="muted">Invite someone below; the link works once, for 72 hours.</p>}
          </Empty>
        ) : (
          <>
            {revoke.error && <ErrorNote error={revoke.error} />}
            <Table
              caption="Pending invitations"
              head={canWrite ? ['Email', 'Role', 'Expires', 'Actions'] : ['Email', 'Role', 'Expires']}
            >
              {invitations.data.data.map((invitation) => (
                <tr key={invitation.id}>
                  <td className="team-email">{invitation.email}</td>
                  <td>{roleLabel[invitation.role]}</td>
                  <td>{formatDateTime(invitation.expires_at)}</td>
                  {canWrite && (
                    <td>
                      <Button
                        variant="danger"
                        busy={revoke.isPending && revoke.variables === invitation.id}
                        onClick={() => revoke.mutate(invitation.id)}
                        aria-label={`Revoke the invitation of ${invitation.email}`}
                      >
                        Revoke
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </Table>
          </>
        )}
      </Section>

      {canWrite ? (
        <Section title="Invite someone">
          <InviteForm />
        </Section>
      ) : (
        <p className="notice">You are a viewer: ask an owner or admin to invite people or change roles.</p>
      )}

      <Dialog title="Remove member" open={removing !== undefined} onClose={() => setRemoving(undefined)}>
        <p>
          Remove <strong>{removing?.email}</strong> from the team? Their sessions end at once; the tenant's
          data stays.
        </p>
        {remove.error && <ErrorNote error={remove.error} />}
        <div className="row">
          <Button
            variant="danger"
            busy={remove.isPending}
            onClick={() => removing && remove.mutate(removing.id)}
          >
            Remove member
          </Button>
          <Button onClick={() => setRemoving(undefined)}>Cancel</Button>
        </div>
      </Dialog>
    </>
  );
}
