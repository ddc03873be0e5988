import { z } from '@hono/zod-openapi';
import { Developer } from '../developers/schemas.ts';
import { UuidParam } from '../http/openapi.ts';

export const Role = z.enum(['owner', 'admin', 'viewer']).openapi('TeamRole');
/** What an invitation or a role change may grant: there is one owner, the tenant's own account. */
export const MemberRole = z.enum(['admin', 'viewer']).openapi('TeamMemberRole');

/** `GET /auth/me`: the account behind the credential, in its tenant. */
export const Me = Developer.extend({
  tenant_id: z.uuid().openapi({ description: "The tenant this account works in (the owner's id)" }),
  role: Role,
  is_superuser: z
    .boolean()
    .openapi({ description: "Whether this account may use the operator's admin portal (/admin)" }),
}).openapi('Me');

export const TeamMember = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: Role,
    created_at: z.string(),
  })
  .openapi('TeamMember');

export const TeamMemberList = z.object({ data: z.array(TeamMember) }).openapi('TeamMemberList');

export const MemberParams = z.object({ member_id: UuidParam('member_id') });
export const InvitationParams = z.object({ invitation_id: UuidParam('invitation_id') });

export const UpdateMemberBody = z.strictObject({ role: MemberRole }).openapi('UpdateTeamMemberRequest');

export const CreateInvitationBody = z
  .strictObject({ email: z.email().max(254), role: MemberRole })
  .openapi('CreateTeamInvitationRequest');

export const TeamInvitation = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: MemberRole,
    created_at: z.string(),
    expires_at: z.string(),
  })
  .openapi('TeamInvitation');

export const TeamInvitationList = z.object({ data: z.array(TeamInvitation) }).openapi('TeamInvitationList');

export const CreatedInvitation = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: MemberRole,
    expires_at: z.string(),
    emailed: z.boolean().openapi({ description: 'Whether the link went out by mail (SMTP configured)' }),
    invite_url: z.string().optional().openapi({
      description: 'The link to hand to the invitee, only when it was not emailed. Shown once.',
    }),
  })
  .openapi('TeamInvitationCreated');

export const InvitationTokenQuery = z.object({
  token: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'token', in: 'query' }, description: 'The token of an invitation link' }),
});

export const InvitationLookup = z
  .object({
    email: z.string(),
    role: MemberRole,
    team_name: z.string().openapi({ description: "The owner's name" }),
    expires_at: z.string(),
  })
  .openapi('TeamInvitationLookup');

export const AcceptInvitationBody = z
  .strictObject({
    token: z.string().min(1).max(200),
    name: z.string().trim().min(1).max(200),
    password: z.string().min(8, 'Password must be at least 8 characters').max(256),
  })
  .openapi('AcceptTeamInvitationRequest');
