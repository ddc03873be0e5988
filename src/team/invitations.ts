import { createHash, randomBytes } from 'node:crypto';
import { type AuditActor, type AuditRequest, recordAudit } from '../audit/audit-log.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import type { DeveloperRow, TeamInvitationRow } from '../db/schema.ts';
import { InviteInvalidError } from '../developers/invites.ts';
import { sendMail } from '../mail/mailer.ts';
import { ConflictError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import {
  claimInvitation,
  createMember,
  emailHasAccount,
  findOpenInvitation,
  insertInvitation,
  type MemberRole,
} from './team.repo.ts';

/** How long an invitation link works. */
export const TEAM_INVITATION_TTL_HOURS = 72;

/**
 * The link is a bearer capability: 32 random bytes (base64url). Only its SHA-256 is stored, so a copy of
 * the database does not hold working links; a fast hash is enough for a value with 256 bits of entropy.
 */
export function newInvitationToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function invitationUrl(config: Pick<Config, 'publicUrl'>, token: string): string {
  return `${config.publicUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
}

const invalid = () => new InviteInvalidError('This invitation is invalid, expired, revoked or already used');

/**
 * Creates an invitation into `tenantId` (audited as `team.invitation_created` in the same transaction)
 * and mails its link when SMTP is configured. The link is returned to the caller only when it was not
 * mailed (not configured, or the mail server refused): it is shown once, to the inviter.
 */
export async function inviteToTeam(
  deps: { db: Db; config: Config; logger: Logger },
  input: {
    tenantId: string;
    inviter: DeveloperRow | undefined;
    email: string;
    role: MemberRole;
    actor: AuditActor;
    request: AuditRequest;
  },
): Promise<{ invitation: TeamInvitationRow; emailed: boolean; inviteUrl: string }> {
  const { db, config, logger } = deps;
  if (await emailHasAccount(db, input.email)) {
    throw new ConflictError('An account with this email already exists');
  }
  const { token, hash } = newInvitationToken();
  const expiresAt = new Date(Date.now() + TEAM_INVITATION_TTL_HOURS * 3_600_000);
  const invitation = await db.transaction().execute(async (trx) => {
    const row = await insertInvitation(trx, {
      tenantId: input.tenantId,
      email: input.email,
      role: input.role,
      tokenHash: hash,
      createdBy: input.inviter?.id ?? input.tenantId,
      expiresAt,
    });
    await recordAudit(trx, {
      developerId: input.tenantId,
      actor: input.actor,
      action: 'team.invitation_created',
      target: { type: 'team_invitation', id: row.id },
      request: input.request,
      detail: {
        email: row.email,
        role: row.role,
        expires_at: expiresAt.toISOString(),
        mail_configured: config.SMTP_URL !== undefined,
      },
    });
    return row;
  });
  const inviteUrl = invitationUrl(config, token);
  // After the commit: a slow or absent mail server never holds the transaction.
  const inviterName = input.inviter?.name ?? 'A WearLink developer';
  const sent = await sendMail(config, logger, {
    to: invitation.email,
    subject: `${inviterName} invited you to their WearLink team`,
    text: [
      `${inviterName} invited you to join their team on WearLink as ${invitation.role === 'admin' ? 'an admin' : 'a viewer'}.`,
      '',
      'Accept the invitation and choose your password here:',
      inviteUrl,
      '',
      `The link works once, until ${expiresAt.toUTCString()}.`,
      'If you did not expect this, ignore this message: nothing happens until the link is used.',
    ].join('\n'),
  });
  return { invitation, emailed: sent.ok, inviteUrl };
}

/** An open invitation by its token, for the accept page; 403 `invite_invalid` otherwise. */
export async function lookupInvitation(
  db: Db,
  token: string,
): Promise<TeamInvitationRow & { team_name: string }> {
  const found = await findOpenInvitation(db, hashInvitationToken(token), new Date());
  if (found === undefined) throw invalid();
  return found;
}

/**
 * Accepts an invitation: the invitation is used up and the member's account created in one transaction
 * (a second accept, even a concurrent one, finds it used: 403 `invite_invalid`), audited as
 * `team.member_joined` in the tenant's trail with the new member as actor.
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; name: string; password: string; request: AuditRequest },
): Promise<DeveloperRow> {
  const hash = hashInvitationToken(input.token);
  // Checked before the (slow) password hash, and again by the claim below.
  if ((await findOpenInvitation(db, hash, new Date())) === undefined) throw invalid();
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const invitation = await claimInvitation(trx, hash, new Date());
    if (invitation === undefined) throw invalid();
    const member = await createMember(trx, {
      tenantId: invitation.developer_id,
      email: invitation.email,
      name: input.name,
      passwordHash,
      role: invitation.role,
    });
    await recordAudit(trx, {
      developerId: invitation.developer_id,
      actor: { type: 'developer', id: member.id },
      action: 'team.member_joined',
      target: { type: 'developer', id: member.id },
      request: input.request,
      detail: { email: member.email, name: member.name, role: member.role, invitation_id: invitation.id },
    });
    return member;
  });
}
