import { createMiddleware } from 'hono/factory';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import type { DeveloperRow } from '../db/schema.ts';
import { findDeveloperById } from '../developers/developers.repo.ts';
import {
  presentedCredential,
  RoleForbiddenError,
  resolvePrincipal,
  resolvePrincipalOnce,
} from '../http/auth.ts';
import type { AppEnv, Principal } from '../http/context.ts';
import { security } from '../http/openapi.ts';
import { AppError, NotFoundError } from '../shared/errors.ts';

/**
 * Whether an account (a developers row: a tenant or a team member) is one of the instance's superusers:
 * its email is in SUPERUSER_EMAILS (set by the operator; none is hard-coded) or the root admin flagged it
 * (developers.is_superuser).
 */
export function isSuperuserAccount(
  config: Config,
  account: Pick<DeveloperRow, 'email' | 'is_superuser'>,
): boolean {
  return account.is_superuser || config.SUPERUSER_EMAILS.includes(account.email.toLowerCase());
}

/** The root admin is the first SUPERUSER_EMAILS entry: the only one who may mint or revoke superusers. */
export function isRootAdmin(config: Config, email: string): boolean {
  const root = config.SUPERUSER_EMAILS[0];
  return root !== undefined && root === email.toLowerCase();
}

/** Looks the account up and applies `isSuperuserAccount` (false for an unknown id). */
export async function isSuperuser(db: Db, config: Config, accountId: string): Promise<boolean> {
  const account = await findDeveloperById(db, accountId);
  return account !== undefined && isSuperuserAccount(config, account);
}

const notFound = () => new NotFoundError('Not found');

/** The principal of an admin route: always a developer credential. */
export type AdminPrincipal = Extract<Principal, { kind: 'developer' }>;

/**
 * The admin routes answer only the instance's superusers, with a developer credential whose ACCOUNT
 * (principal.accountId: the person, not the tenant they act for) is a superuser. Everyone else (no
 * credential, a bad one, an SDK token, any other developer or team member) gets the same plain 404 as
 * an unknown path: the routes do not exist for them.
 */
export function authenticateSuperuser(tokens: TokenService) {
  return createMiddleware<AppEnv>(async (c, next) => {
    let principal: Principal;
    try {
      const credential = presentedCredential((name) => c.req.header(name));
      if (credential === undefined) throw notFound();
      try {
        principal = await resolvePrincipalOnce(c, tokens, credential);
      } catch (error) {
        // Admin rights are the account's, not its team role's: a superuser who is a viewer in some
        // team still administers the platform (whether it is a superuser is checked below).
        if (!(error instanceof RoleForbiddenError)) throw error;
        principal = await resolvePrincipal(c.var.deps, tokens, credential);
      }
    } catch (error) {
      if (error instanceof AppError) throw notFound();
      throw error;
    }
    if (principal.kind !== 'developer') throw notFound();
    if (!(await isSuperuser(c.var.deps.db, c.var.deps.config, principal.accountId))) throw notFound();
    c.set('principal', principal);
    await next();
  });
}

/** The admin principal set by `authenticateSuperuser` (a developer credential by construction). */
export function adminPrincipal(principal: Principal): AdminPrincipal {
  if (principal.kind !== 'developer') throw notFound();
  return principal;
}

/**
 * What every superuser route shares: the Admin tag, session security in the document and the guard.
 *
 * @example
 *   app.openapi(createRoute({ ...superuserRoute(tokens), method: 'get', path: '/api/v1/admin/…', … }), handler);
 */
export function superuserRoute(tokens: TokenService) {
  return { tags: ['Admin'], security: security.session, middleware: authenticateSuperuser(tokens) };
}
