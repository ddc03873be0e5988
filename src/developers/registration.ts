import { sql } from 'kysely';
import { type AuditRequest, recordAudit } from '../audit/audit-log.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import type { DeveloperRow } from '../db/schema.ts';
import { ForbiddenError } from '../shared/errors.ts';
import { createApiKey, type NewApiKey } from './api-keys.repo.ts';
import { countDevelopers, createDeveloper } from './developers.repo.ts';

export type RegistrationMode = Config['REGISTRATION_MODE'];

/** `POST /auth/register` refused by the instance's REGISTRATION_MODE: 403 `{detail, code}`. */
export class RegistrationClosedError extends ForbiddenError {
  override readonly code = 'registration_closed';
}

const closedMessage =
  'Registration is closed on this instance: ask its operator for an account (wearlink developer create)';

/**
 * Refuses a self-service registration the mode does not allow, before any work is done for it. `first`
 * is checked again, under a lock, when the account is created (see `createDeveloperAccount`).
 */
export async function checkRegistrationAllowed(db: Db, mode: RegistrationMode): Promise<void> {
  if (mode === 'closed') throw new RegistrationClosedError(closedMessage);
  if (mode === 'first' && (await countDevelopers(db)) > 0) {
    throw new RegistrationClosedError(
      'Registration is closed on this instance: it already has its account (REGISTRATION_MODE=first)',
    );
  }
}

/**
 * A developer and its default API key, in one transaction. `onlyIfFirst`: the instance must have no
 * account yet; the table is locked against other writers first, so of two concurrent first
 * registrations one waits and is then refused, rather than both seeing an empty table.
 */
export async function createDeveloperAccount(
  db: Db,
  input: { email: string; name: string; password: string },
  /**
   * `plan`: the instance's DEFAULT_PLAN (the column's own default is hobby). `via` and `request` go to
   * the account's first audit row (`developer.registered`): by its owner over HTTP, or by the operator
   * (`cli`, the default).
   */
  options: {
    onlyIfFirst?: boolean;
    plan?: string;
    via?: 'self_service' | 'invite' | 'cli';
    request?: AuditRequest;
  } = {},
): Promise<{ developer: DeveloperRow; key: NewApiKey }> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    if (options.onlyIfFirst) {
      await sql`lock table ${sql.table('developers')} in share row exclusive mode`.execute(trx);
      if ((await countDevelopers(trx)) > 0) {
        throw new RegistrationClosedError(
          'Registration is closed on this instance: it already has its account (REGISTRATION_MODE=first)',
        );
      }
    }
    const developer = await createDeveloper(trx, {
      email: input.email,
      name: input.name,
      passwordHash,
      plan: options.plan,
    });
    const key = await createApiKey(trx, developer.id, 'Default');
    const via = options.via ?? 'cli';
    await recordAudit(trx, {
      developerId: developer.id,
      actor: via === 'cli' ? { type: 'system', id: 'cli' } : { type: 'developer', id: developer.id },
      action: 'developer.registered',
      target: { type: 'developer', id: developer.id },
      ...(options.request === undefined ? {} : { request: options.request }),
      detail: {
        email: developer.email,
        name: developer.name,
        plan: developer.plan,
        via,
        default_api_key: { id: key.id, prefix: key.prefix },
      },
    });
    return { developer, key };
  });
}
