import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { DeveloperRow, TeamInvitationRow } from '../db/schema.ts';
import { ConflictError } from '../shared/errors.ts';

export type MemberRole = 'admin' | 'viewer';

/** The tenant's owner first, then its members in the order they joined. */
export function listTeam(db: Db, tenantId: string): Promise<DeveloperRow[]> {
  return db
    .selectFrom('developers')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', tenantId), eb('tenant_id', '=', tenantId)]))
    .orderBy(sql`tenant_id is null`, 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A member of this tenant (never its owner, never another tenant's member). */
export function findMember(db: Db, tenantId: string, memberId: string): Promise<DeveloperRow | undefined> {
  return db
    .selectFrom('developers')
    .selectAll()
    .where('id', '=', memberId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
}

export function setMemberRole(
  db: Db,
  tenantId: string,
  memberId: string,
  role: MemberRole,
): Promise<DeveloperRow | undefined> {
  return db
    .updateTable('developers')
    .set({ role, updated_at: new Date() })
    .where('id', '=', memberId)
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
}

/** Removes the member's account (its sessions end with it: every request looks the account up). */
export async function deleteMember(db: Db, tenantId: string, memberId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('developers')
    .where('id', '=', memberId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A member's own account in the tenant; an email that already has an account is a 409. */
export async function createMember(
  db: Db,
  input: { tenantId: string; email: string; name: string; passwordHash: string; role: MemberRole },
): Promise<DeveloperRow> {
  try {
    return await db
      .insertInto('developers')
      .values({
        id: randomUUID(),
        email: input.email,
        name: input.name,
        password_hash: input.passwordHash,
        tenant_id: input.tenantId,
        role: input.role,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('An account with this email already exists');
    throw error;
  }
}

export async function emailHasAccount(db: Db, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('developers')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();
  return row !== undefined;
}

export function insertInvitation(
  db: Db,
  input: {
    tenantId: string;
    email: string;
    role: MemberRole;
    tokenHash: string;
    createdBy: string;
    expiresAt: Date;
  },
): Promise<TeamInvitationRow> {
  return db
    .insertInto('team_invitations')
    .values({
      id: randomUUID(),
      developer_id: input.tenantId,
      email: input.email,
      role: input.role,
      token_hash: input.tokenHash,
      // An API key acts as the tenant: the tenant's id then names the inviter.
      created_by: input.createdBy,
      expires_at: input.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Invitations still open: neither accepted nor revoked, and not expired. Newest first. */
export function listOpenInvitations(db: Db, tenantId: string, now: Date): Promise<TeamInvitationRow[]> {
  return db
    .selectFrom('team_invitations')
    .selectAll()
    .where('developer_id', '=', tenantId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes an open invitation of this tenant; undefined when there is none (unknown, used, revoked). */
export function revokeInvitation(
  db: Db,
  tenantId: string,
  invitationId: string,
  now: Date,
): Promise<TeamInvitationRow | undefined> {
  return db
    .updateTable('team_invitations')
    .set({ revoked_at: now })
    .where('id', '=', invitationId)
    .where('developer_id', '=', tenantId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** The open invitation a token names, with its tenant's name; undefined when used, revoked or expired. */
export function findOpenInvitation(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<(TeamInvitationRow & { team_name: string }) | undefined> {
  return db
    .selectFrom('team_invitations')
    .innerJoin('developers', 'developers.id', 'team_invitations.developer_id')
    .selectAll('team_invitations')
    .select('developers.name as team_name')
    .where('team_invitations.token_hash', '=', tokenHash)
    .where('team_invitations.accepted_at', 'is', null)
    .where('team_invitations.revoked_at', 'is', null)
    .where('team_invitations.expires_at', '>', now)
    .executeTakeFirst();
}

/**
 * Uses the invitation up: the one UPDATE that still finds it open wins, so a token is accepted at most
 * once even by concurrent requests. Undefined when it is no longer open.
 */
export function claimInvitation(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<TeamInvitationRow | undefined> {
  return db
    .updateTable('team_invitations')
    .set({ accepted_at: now })
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}
