import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { DeveloperRow, TeamInvitationRow } from '../db/schema.ts';
import { findDeveloperById } from '../developers/developers.repo.ts';
import { AccessToken } from '../developers/schemas.ts';
import { authenticate, requireRole } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { ForbiddenError, NotFoundError } from '../shared/errors.ts';
import { acceptInvitation, inviteToTeam, lookupInvitation } from './invitations.ts';
import {
  AcceptInvitationBody,
  CreatedInvitation,
  CreateInvitationBody,
  InvitationLookup,
  InvitationParams,
  InvitationTokenQuery,
  MemberParams,
  TeamInvitationList,
  TeamMember,
  TeamMemberList,
  UpdateMemberBody,
} from './schemas.ts';
import {
  deleteMember,
  findMember,
  listOpenInvitations,
  listTeam,
  revokeInvitation,
  setMemberRole,
} from './team.repo.ts';

/** The owner is the tenant itself: nobody changes its role or removes it (403 `owner_protected`). */
export class OwnerProtectedError extends ForbiddenError {
  override readonly code = 'owner_protected';
}

const toMember = (row: DeveloperRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  created_at: row.created_at.toISOString(),
});

const toInvitation = (row: TeamInvitationRow) => ({
  id: row.id,
  email: row.email,
  role: row.role,
  created_at: row.created_at.toISOString(),
  expires_at: row.expires_at.toISOString(),
});

const json = <T>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const memberNotFound = () => new NotFoundError('Team member not found');

/** The tenant id and the acting account of a developer principal (team routes take no SDK tokens). */
function who(c: Context<AppEnv>): { tenantId: string; accountId: string } {
  const principal = c.var.principal;
  if (principal.kind !== 'developer') throw new ForbiddenError('A developer credential is required');
  return { tenantId: principal.developerId, accountId: principal.accountId };
}

/**
 * Teams (issue 20): the members of a tenant and invitations into it. Everyone in the team reads the
 * lists; owners and admins invite, change roles and remove (viewers are refused every write by
 * `authenticate()`; `requireRole('admin')` also keeps the routes closed should that ever change).
 * Accepting an invitation is public: the token is the credential.
 */
export function registerTeamRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const read = { tags: ['Team'], security: security.session, middleware: authenticate(tokens) };
  const manage = {
    tags: ['Team'],
    security: security.session,
    middleware: [authenticate(tokens), requireRole('admin')],
  };

  app.openapi(
    createRoute({
      ...read,
      method: 'get',
      path: '/api/v1/team/members',
      summary: 'The team: its owner first, then its members',
      responses: { 200: json(TeamMemberList, 'Members'), ...pickErrors(401, 403) },
    }),
    async (c) => c.json({ data: (await listTeam(c.var.deps.db, who(c).tenantId)).map(toMember) }, 200),
  );

  app.openapi(
    createRoute({
      ...manage,
      method: 'patch',
      path: '/api/v1/team/members/{member_id}',
      summary: "Change a member's role (owners and admins)",
      description:
        "Takes effect on the member's next request. The owner's role cannot change (403 `owner_protected`).",
      request: {
        params: MemberParams,
        body: { required: true, content: { 'application/json': { schema: UpdateMemberBody } } },
      },
      responses: {
        200: json(TeamMember, 'The member'),
        ...pickErrors(400, 401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const { tenantId } = who(c);
      const { member_id: memberId } = c.req.valid('param');
      const { role } = c.req.valid('json');
      if (memberId === tenantId) throw new OwnerProtectedError("The owner's role cannot be changed");
      const updated = await c.var.deps.db.transaction().execute(async (trx) => {
        const before = await findMember(trx, tenantId, memberId);
        if (before === undefined) return undefined;
        const row = await setMemberRole(trx, tenantId, memberId, role);
        if (row !== undefined && before.role !== role) {
          await recordAudit(trx, {
            developerId: tenantId,
            actor: auditActor(c),
            action: 'team.member_role_changed',
            target: { type: 'developer', id: memberId },
            request: auditRequest(c),
            detail: { email: row.email, from: before.role, to: role },
          });
        }
        return row;
      });
      if (updated === undefined) throw memberNotFound();
      return c.json(toMember(updated), 200);
    },
  );

  app.openapi(
    createRoute({
      ...manage,
      method: 'delete',
      path: '/api/v1/team/members/{member_id}',
      summary: 'Remove a member (owners and admins); their sessions end at once',
      description: 'The owner cannot be removed (403 `owner_protected`).',
      request: { params: MemberParams },
      responses: { 204: { description: 'Removed' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { tenantId } = who(c);
      const { member_id: memberId } = c.req.valid('param');
      if (memberId === tenantId) throw new OwnerProtectedError('The owner cannot be removed');
      const removed = await c.var.deps.db.transaction().execute(async (trx) => {
        const member = await findMember(trx, tenantId, memberId);
        if (member === undefined || !(await deleteMember(trx, tenantId, memberId))) return false;
        await recordAudit(trx, {
          developerId: tenantId,
          actor: auditActor(c),
          action: 'team.member_removed',
          target: { type: 'developer', id: memberId },
          request: auditRequest(c),
          detail: { email: member.email, role: member.role },
        });
        return true;
      });
      if (!removed) throw memberNotFound();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      ...read,
      method: 'get',
      path: '/api/v1/team/invitations',
      summary: 'Open invitations (not accepted, revoked or expired), newest first',
      responses: { 200: json(TeamInvitationList, 'Invitations'), ...pickErrors(401, 403) },
    }),
    async (c) =>
      c.json(
        {
          data: (await listOpenInvitations(c.var.deps.db, who(c).tenantId, new Date())).map(toInvitation),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      ...manage,
      method: 'post',
      path: '/api/v1/team/invitations',
      summary: 'Invite someone into the team with a role (owners and admins)',
      description:
        'The invitation link is mailed when the instance has SMTP configured (`emailed: true`); otherwise (or when the mail server refuses it) it is returned once as `invite_url`, for the inviter to hand over. The link works once, for 72 hours. An email that already has an account is a 409.',
      request: {
        body: { required: true, content: { 'application/json': { schema: CreateInvitationBody } } },
      },
      responses: {
        201: json(CreatedInvitation, 'Invitation created'),
        ...pickErrors(400, 401, 403, 409, 415, 422),
      },
    }),
    async (c) => {
      const { tenantId, accountId } = who(c);
      const body = c.req.valid('json');
      const { db, config } = c.var.deps;
      const { invitation, emailed, inviteUrl } = await inviteToTeam(
        { db, config, logger: c.var.logger },
        {
          tenantId,
          inviter: await findDeveloperById(db, accountId),
          email: body.email,
          role: body.role,
          actor: auditActor(c),
          request: auditRequest(c),
        },
      );
      return c.json(
        {
          id: invitation.id,
          email: invitation.email,
          role: invitation.role,
          expires_at: invitation.expires_at.toISOString(),
          emailed,
          ...(emailed ? {} : { invite_url: inviteUrl }),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      ...manage,
      method: 'delete',
      path: '/api/v1/team/invitations/{invitation_id}',
      summary: 'Revoke an open invitation (owners and admins)',
      request: { params: InvitationParams },
      responses: { 204: { description: 'Revoked' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { tenantId } = who(c);
      const { invitation_id: id } = c.req.valid('param');
      const revoked = await c.var.deps.db.transaction().execute(async (trx) => {
        const row = await revokeInvitation(trx, tenantId, id, new Date());
        if (row !== undefined) {
          await recordAudit(trx, {
            developerId: tenantId,
            actor: auditActor(c),
            action: 'team.invitation_revoked',
            target: { type: 'team_invitation', id },
            request: auditRequest(c),
            detail: { email: row.email, role: row.role },
          });
        }
        return row !== undefined;
      });
      if (!revoked) throw new NotFoundError('Invitation not found (or already used or revoked)');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/team/invitations/lookup',
      tags: ['Team'],
      summary: 'What an invitation link is for (public: the token is the credential)',
      description: 'A used, revoked, expired or unknown token is 403 `invite_invalid`.',
      security: [],
      request: { query: InvitationTokenQuery },
      responses: { 200: json(InvitationLookup, 'The invitation'), ...pickErrors(403, 422) },
    }),
    async (c) => {
      const found = await lookupInvitation(c.var.deps.db, c.req.valid('query').token);
      return c.json(
        {
          email: found.email,
          role: found.role,
          team_name: found.team_name,
          expires_at: found.expires_at.toISOString(),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/team/invitations/accept',
      tags: ['Team'],
      summary: 'Accept an invitation: creates your account in the team and signs you in',
      description:
        "The account's email is the invitation's. Returns a dashboard session (as POST /auth/login). A used, revoked, expired or unknown token is 403 `invite_invalid`; an email that meanwhile got an account is a 409.",
      security: [],
      request: {
        body: { required: true, content: { 'application/json': { schema: AcceptInvitationBody } } },
      },
      responses: {
        201: json(AccessToken, 'Session token'),
        ...pickErrors(400, 403, 409, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const member = await acceptInvitation(c.var.deps.db, { ...body, request: auditRequest(c) });
      c.var.logger.info({ developer_id: member.tenant_id, member_id: member.id }, 'team member joined');
      return c.json(await tokens.issue({ kind: 'developer', developerId: member.id }), 201);
    },
  );
}
