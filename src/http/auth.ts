import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { hashApiKey, looksLikeApiKey } from '../auth/api-key-secret.ts';
import type { TokenService } from '../auth/tokens.ts';
import { touchApiKey } from '../developers/api-keys.repo.ts';
import { findDeveloperById, isLocked } from '../developers/developers.repo.ts';
import { AccountLockedSessionError } from '../developers/lockout.ts';
import { ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../shared/errors.ts';
import { findUser } from '../users/users.repo.ts';

import type { AppEnv, Principal, Role } from './context.ts';

/** A UUID as WearLink writes it: lowercase hex. */
export const canonicalUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const apiKeyHeaders = ['x-wearlink-api-key', 'x-api-key'] as const;

/** The credential a request presents, before it is checked. Query tokens are for EventSource only. */
export function presentedCredential(
  header: (name: string) => string | undefined,
  query?: (name: string) => string | undefined,
): { kind: 'api_key'; value: string } | { kind: 'bearer'; value: string } | undefined {
  for (const name of apiKeyHeaders) {
    const value = header(name)?.trim();
    if (value) return { kind: 'api_key', value };
  }
  const authorization = header('authorization')?.trim();
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    if (match?.[1]) {
      const token = match[1].trim();
      // API keys are also accepted as bearer tokens, as several peers do.
      return looksLikeApiKey(token) ? { kind: 'api_key', value: token } : { kind: 'bearer', value: token };
    }
    throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
  }
  const queryToken = query?.('access_token')?.trim();
  if (queryToken) return { kind: 'bearer', value: queryToken };
  return undefined;
}

/** The user a path is under, read before routing (the rate limiter resolves the credential first). */
const pathUser =
  /^\/api\/v1\/(?:sdk\/)?users\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/;

/** Whether an API key's tenant owns the path's user, found with the key (see `resolvePrincipal`). */
const ownsPathUser = new WeakMap<Principal, { userId: string; owned: boolean }>();

export async function resolvePrincipal(
  deps: AppEnv['Variables']['deps'],
  tokens: TokenService,
  credential: NonNullable<ReturnType<typeof presentedCredential>>,
  userId?: string,
): Promise<Principal> {
  if (credential.kind === 'api_key') {
    // The key and, when the path names a user, whether the key's tenant owns that user: one round trip
    // instead of two (bench:sse: the database round trips' socket writes were the largest item of a
    // connect storm's profile, 6.9 of 17 s sampled).
    const key = looksLikeApiKey(credential.value)
      ? await deps.db
          .selectFrom('api_keys')
          .selectAll('api_keys')
          .select((eb) =>
            eb
              .exists(
                eb
                  .selectFrom('users')
                  .select('users.id')
                  .whereRef('users.developer_id', '=', 'api_keys.developer_id')
                  .where('users.id', '=', userId ?? null)
                  .where('users.deleted_at', 'is', null),
              )
              .as('owns_user'),
          )
          .where('key_hash', '=', hashApiKey(credential.value))
          .executeTakeFirst()
      : undefined;
    if (key === undefined) throw new UnauthorizedError('Invalid or revoked API key');
    await touchApiKey(deps.db, key);
    // A key is the tenant's, not a person's: it acts as the tenant with role admin.
    const principal: Principal = {
      kind: 'developer',
      developerId: key.developer_id,
      accountId: key.developer_id,
      role: 'admin',
      via: 'api_key',
      apiKeyId: key.id,
    };
    if (userId !== undefined) ownsPathUser.set(principal, { userId, owned: Boolean(key.owns_user) });
    return principal;
  }
  const verified = await tokens.verify(credential.value);
  if (!verified.ok) throw new UnauthorizedError(verified.reason);
  const claims = verified.claims;
  // A deleted account's sessions end with it. A session names the account (owner or member); its tenant
  // and role are read here, on every request, so a demotion or a removal takes effect at once.
  const account = await findDeveloperById(deps.db, claims.developerId);
  if (account === undefined) throw new UnauthorizedError('Invalid token');
  if (claims.kind === 'sdk') {
    // SDK tokens are issued for the tenant's users, so they name the tenant: never a member.
    if (account.tenant_id !== null) throw new UnauthorizedError('Invalid token');
    return { kind: 'sdk', developerId: claims.developerId, userId: claims.userId };
  }
  // A locked account's sessions end with the lock (an admin's, or too many failed logins); its tenant's
  // API keys and its users' SDK tokens keep working: the integration is not the person.
  if (isLocked(account)) throw new AccountLockedSessionError('This account is locked');
  return account.tenant_id === null
    ? { kind: 'developer', developerId: account.id, accountId: account.id, role: 'owner', via: 'jwt' }
    : {
        kind: 'developer',
        developerId: account.tenant_id,
        accountId: account.id,
        role: account.role === 'admin' ? 'admin' : 'viewer',
        via: 'jwt',
      };
}

/** A team role that may not do this: 403 `{detail, code: role_forbidden}`. */
export class RoleForbiddenError extends ForbiddenError {
  override readonly code = 'role_forbidden';
}

const roleRank: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

/** Methods that only read: the only ones a viewer may use. */
const readOnlyMethods = new Set(['GET', 'HEAD']);

/**
 * Refuses a viewer everything but reading. Applied where every credential is resolved for a route
 * (`resolvePrincipalOnce`), so it holds for `authenticate()` and for the routes that authenticate in
 * their own way (the nutrition routes' query user, the superuser routes), including routes added later.
 */
function checkMethodAllowed(method: string, principal: Principal): void {
  if (principal.kind === 'developer' && principal.role === 'viewer' && !readOnlyMethods.has(method)) {
    throw new RoleForbiddenError('Viewers can only read: ask an owner or admin of your team');
  }
}

/**
 * After `authenticate()`: only developer credentials with at least `role` pass (owner > admin > viewer).
 * For reads that reveal secrets (a webhook signing secret) or start something on the tenant's behalf.
 *
 * @example
 * middleware: [authenticate(tokens), requireRole('admin')],
 */
export function requireRole(role: Exclude<Role, 'viewer'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.var.principal;
    if (principal.kind !== 'developer' || roleRank[principal.role] < roleRank[role]) {
      throw new RoleForbiddenError(
        role === 'owner' ? 'Only the owner of the team can do this' : 'Only an owner or admin can do this',
      );
    }
    await next();
  });
}

/** Per request: the credential resolved and its outcome (a principal, or the error to throw). */
const resolvedByRequest = new WeakMap<
  Request,
  { kind: string; value: string; principal: Promise<Principal> }
>();

/**
 * `resolvePrincipal`, at most once per request and credential: the rate limiter resolves a presented
 * credential first (only one that verifies gets a bucket of its own) and `authenticate()` then reuses
 * that outcome instead of looking the credential up again. A viewer's credential is refused here on
 * every method but GET and HEAD (403 `role_forbidden`).
 */
export function resolvePrincipalOnce(
  c: Context<AppEnv>,
  tokens: TokenService,
  credential: NonNullable<ReturnType<typeof presentedCredential>>,
): Promise<Principal> {
  const known = resolvedByRequest.get(c.req.raw);
  let principal: Promise<Principal>;
  if (known !== undefined && known.kind === credential.kind && known.value === credential.value) {
    principal = known.principal;
  } else {
    principal = resolvePrincipal(c.var.deps, tokens, credential, pathUser.exec(c.req.path)?.[1]);
    // A refusal is thrown to whoever awaits it; until then it is not an unhandled rejection.
    principal.catch(() => {});
    resolvedByRequest.set(c.req.raw, { kind: credential.kind, value: credential.value, principal });
  }
  const method = c.req.method;
  return principal.then((resolved) => {
    checkMethodAllowed(method, resolved);
    return resolved;
  });
}

type Accept = 'developer' | 'developer_or_sdk';

/**
 * Authenticates the request. `developer_or_sdk` also admits a user-scoped SDK token, but only for the
 * user named in the `user_id` path parameter; everything else needs a developer credential.
 */
export function authenticate(
  tokens: TokenService,
  accept: Accept = 'developer',
  options = { queryToken: false },
) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = presentedCredential(
      (name) => c.req.header(name),
      options.queryToken ? (name) => c.req.query(name) : undefined,
    );
    if (credential === undefined) {
      throw new UnauthorizedError(
        'Missing credentials: send X-WearLink-API-Key or Authorization: Bearer <token>',
      );
    }
    const principal = await resolvePrincipalOnce(c, tokens, credential);
    // Every route under a user is fenced here, before its input is validated and whatever its schema
    // says: the id is a canonical (lowercase) UUID, since ids are compared as strings in places (the SDK
    // token's subject, the event bus's channels), and another tenant's user is a 404 whatever the request
    // carries. Paths are routed with UUID segments in lowercase (canonicalPath); a percent-encoded one
    // that still decodes to another spelling is refused rather than trusted.
    const userId = c.req.param('user_id');
    if (userId !== undefined && !canonicalUuid.test(userId)) {
      throw new ValidationError([
        { loc: ['path', 'user_id'], msg: 'user_id must be a UUID', type: 'invalid_format' },
      ]);
    }
    if (principal.kind === 'sdk') {
      if (accept !== 'developer_or_sdk')
        throw new ForbiddenError('SDK tokens are only valid for /sdk routes');
      if (userId !== principal.userId) {
        throw new ForbiddenError('This SDK token is scoped to a different user');
      }
    }
    c.set('principal', principal);
    if (userId !== undefined) {
      const known = ownsPathUser.get(principal);
      const owned =
        known?.userId === userId
          ? known.owned
          : (await findUser(c.var.deps.db, principal.developerId, userId)) !== undefined;
      if (!owned) throw new NotFoundError('User not found');
    }
    await next();
  });
}
