import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { isSuperuserAccount } from '../admin/guard.ts';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config/load-config.ts';
import type { DeveloperRow } from '../db/schema.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv, Role } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { BadRequestError, UnauthorizedError } from '../shared/errors.ts';
import { Me } from '../team/schemas.ts';
import { toApiKeyWithSecret } from './api-keys.routes.ts';
import {
  findDeveloperByEmail,
  findDeveloperById,
  isLocked,
  markEmailVerified,
  recordFailedLogin,
  resetFailedLogins,
  updateProfile,
} from './developers.repo.ts';
import { registerInviteRoutes } from './invites.routes.ts';
import { checkInvite } from './invites.ts';
import { AccountLocked, accountLockedBody } from './lockout.ts';
import { checkRegistrationAllowed, createDeveloperAccount } from './registration.ts';
import {
  AccessToken,
  LoginForm,
  RegisterBody,
  RegisterResponse,
  UpdateProfileBody,
  VerificationResent,
  VerifyEmailQuery,
  VerifyEmailResult,
} from './schemas.ts';
import { checkVerificationToken, sendVerificationLink, tokenDeveloperId } from './verification.ts';

const toDeveloper = (row: DeveloperRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  plan: row.plan,
  organization: row.organization,
  email_verified: row.email_verified_at !== null,
  email_verified_at: row.email_verified_at?.toISOString() ?? null,
  created_at: row.created_at.toISOString(),
});

/** `GET/PATCH /auth/me`: the acting account, with its tenant's plan, its role and whether it is a superuser. */
const toMe = (config: Config, account: DeveloperRow, tenant: DeveloperRow, role: Role) => ({
  ...toDeveloper(account),
  plan: tenant.plan,
  tenant_id: tenant.id,
  role,
  is_superuser: isSuperuserAccount(config, account),
});

/** A verification link that is not (or no longer) valid: 400 `{detail, code: verification_invalid}`. */
class VerificationInvalidError extends BadRequestError {
  override readonly code = 'verification_invalid';
}

const register = createRoute({
  method: 'post',
  path: '/api/v1/auth/register',
  tags: ['Auth'],
  summary: 'Create a developer account and its default API key (the key is shown once)',
  description:
    "Allowed by the instance's REGISTRATION_MODE: `open` (anyone), `first` (only the first account), `closed` (never). Where the mode refuses, an `invite_token` from POST /api/v1/developer/invites (for this email) admits one account, as does `wearlink developer create`. A refusal is 403 with `code: registration_closed` (or `invite_invalid`).",
  request: { body: { required: true, content: { 'application/json': { schema: RegisterBody } } } },
  responses: {
    201: { description: 'Account created', content: { 'application/json': { schema: RegisterResponse } } },
    ...pickErrors(400, 403, 409, 413, 415, 422, 429),
  },
});

const login = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags: ['Auth'],
  summary: 'Exchange email and password for a 60-minute dashboard JWT',
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': { schema: LoginForm },
        'application/x-www-form-urlencoded': { schema: LoginForm },
      },
    },
  },
  responses: {
    200: { description: 'Session token', content: { 'application/json': { schema: AccessToken } } },
    403: {
      description:
        'The account is locked (LOGIN_LOCKOUT_THRESHOLD failed logins in a row, or an administrator): `locked_until` says when it unlocks. Answered whatever the password.',
      content: { 'application/json': { schema: AccountLocked } },
    },
    ...pickErrors(401, 413, 415, 422, 429),
  },
});

const verifyEmail = createRoute({
  method: 'get',
  path: '/api/v1/auth/verify-email',
  tags: ['Auth'],
  summary: "Confirm an account's email address with the mailed link (valid 72 hours)",
  description:
    'The link from the registration mail (or POST /api/v1/auth/verify-email/resend). A browser (Accept: text/html) is redirected to the dashboard: `/?verified=1`, or `/?verified=0&reason=invalid|expired`. Other clients get JSON; a bad or expired token is 400 `code: verification_invalid`. Using a link twice is harmless.',
  request: { query: VerifyEmailQuery },
  responses: {
    200: {
      description: 'The address is verified',
      content: { 'application/json': { schema: VerifyEmailResult } },
    },
    302: { description: 'A browser: redirected to the dashboard with the outcome' },
    ...pickErrors(400, 422, 429),
  },
});

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(register, async (c) => {
    const body = c.req.valid('json');
    const { db, config } = c.var.deps;
    const mode = config.REGISTRATION_MODE;
    // An invite opens what the mode closes; with registration open it is not needed, and not checked.
    const invited = mode !== 'open' && body.invite_token !== undefined;
    if (invited) await checkInvite(db, config.jwtSecret, body.invite_token ?? '', body.email);
    else await checkRegistrationAllowed(db, mode);
    const { developer, key } = await createDeveloperAccount(db, body, {
      onlyIfFirst: mode === 'first' && !invited,
      plan: config.DEFAULT_PLAN,
      via: invited ? 'invite' : 'self_service',
      request: auditRequest(c),
    });
    c.var.logger.info({ developer_id: developer.id }, 'developer registered');
    // The address is confirmed by a signed link (mailed, or logged without SMTP); an unsent link does
    // not fail the registration: the account can ask again.
    await sendVerificationLink(config, c.var.logger, developer);
    return c.json({ ...toDeveloper(developer), api_key: toApiKeyWithSecret(key) }, 201);
  });

  app.openapi(login, async (c) => {
    const form = c.req.valid('form');
    const { db, config } = c.var.deps;
    const developer = await findDeveloperByEmail(db, form.username);
    const ok = await verifyPassword(developer?.password_hash, form.password);
    // A failed login joins the trail of the account it tried (actor anonymous: nobody proved who they
    // are). An email with no account has no trail to join and is not recorded: storing it would keep
    // whatever strangers type, and the rate limiter already bounds guessing.
    // A team member's login joins its tenant's trail, with the member as actor.
    if (developer === undefined) throw new UnauthorizedError('Incorrect email or password');
    const trail = developer.tenant_id ?? developer.id;
    const target = { type: 'developer', id: developer.id };
    const request = auditRequest(c);
    // A locked account is refused whatever the password (the password is still checked above, so the
    // answer takes as long either way); the attempt is recorded but neither counts nor extends the lock.
    if (developer.locked_until !== null && isLocked(developer)) {
      await db.transaction().execute((trx) =>
        recordAudit(trx, {
          developerId: trail,
          actor: { type: 'anonymous', id: null },
          action: 'developer.login_failed',
          target,
          request,
          detail: { reason: 'account_locked' },
        }),
      );
      return c.json(accountLockedBody(developer.locked_until), 403);
    }
    if (!ok) {
      const failed = await db.transaction().execute(async (trx) => {
        const counted = await recordFailedLogin(trx, developer.id, {
          threshold: config.LOGIN_LOCKOUT_THRESHOLD,
          minutes: config.LOGIN_LOCKOUT_MINUTES,
        });
        await recordAudit(trx, {
          developerId: trail,
          actor: { type: 'anonymous', id: null },
          action: 'developer.login_failed',
          target,
          request,
          detail: { reason: counted === undefined ? 'account_locked' : 'wrong_password' },
        });
        if (counted?.lockedNow) {
          await recordAudit(trx, {
            developerId: trail,
            actor: { type: 'system', id: 'login_lockout' },
            action: 'developer.locked',
            target,
            request,
            detail: {
              reason: 'failed_logins',
              failed_login_count: counted.account.failed_login_count,
              locked_until: counted.account.locked_until?.toISOString() ?? null,
            },
          });
        }
        return counted;
      });
      // This failure locked the account (or a concurrent one did): say so now, not at the next try.
      const lockedUntil =
        failed === undefined
          ? (await findDeveloperById(db, developer.id))?.locked_until
          : failed.account.locked_until;
      if (lockedUntil != null && lockedUntil.getTime() > Date.now()) {
        return c.json(accountLockedBody(lockedUntil), 403);
      }
      throw new UnauthorizedError('Incorrect email or password');
    }
    await db.transaction().execute(async (trx) => {
      await resetFailedLogins(trx, developer.id);
      await recordAudit(trx, {
        developerId: trail,
        actor: { type: 'developer', id: developer.id },
        action: 'developer.login',
        target,
        request,
        detail: {},
      });
    });
    return c.json(await tokens.issue({ kind: 'developer', developerId: developer.id }), 200);
  });

  app.openapi(verifyEmail, async (c) => {
    const { token } = c.req.valid('query');
    const { db, config } = c.var.deps;
    const browser = /text\/html/i.test(c.req.header('accept') ?? '');
    const id = tokenDeveloperId(token);
    const account = id === undefined ? undefined : await findDeveloperById(db, id);
    const check = checkVerificationToken(config.jwtSecret, token, account);
    if (!check.ok || account === undefined) {
      const reason = check.ok ? 'invalid' : check.reason;
      if (browser) return c.redirect(`/?verified=0&reason=${reason}`, 302);
      throw new VerificationInvalidError(
        reason === 'expired'
          ? 'This verification link has expired: ask for a new one (POST /api/v1/auth/verify-email/resend)'
          : 'This verification link is not valid',
      );
    }
    const verified = await db.transaction().execute(async (trx) => {
      const row = await markEmailVerified(trx, account.id, account.email);
      if (row !== undefined) {
        await recordAudit(trx, {
          developerId: account.tenant_id ?? account.id,
          actor: { type: 'developer', id: account.id },
          action: 'developer.email_verified',
          target: { type: 'developer', id: account.id },
          request: auditRequest(c),
          detail: { email: row.email },
        });
      }
      return row ?? (await findDeveloperById(trx, account.id));
    });
    if (browser) return c.redirect('/?verified=1', 302);
    return c.json(
      {
        id: account.id,
        email: account.email,
        email_verified_at: (verified?.email_verified_at ?? new Date()).toISOString(),
      },
      200,
    );
  });

  registerInviteRoutes(app, tokens);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/auth/me',
      tags: ['Auth'],
      summary: 'The account behind the credential: its tenant and its role in the team',
      description:
        "`id`, `email`, `name` and `created_at` are the account's (a team member's own); `plan` is the tenant's. An API key answers as the tenant's owner account with role `admin`.",
      security: security.session,
      middleware: authenticate(tokens),
      responses: {
        200: { description: 'Current account', content: { 'application/json': { schema: Me } } },
        ...pickErrors(401, 403),
      },
    }),
    async (c) => {
      const principal = c.var.principal;
      if (principal.kind !== 'developer') throw new UnauthorizedError('Invalid token');
      const { db } = c.var.deps;
      const account = await findDeveloperById(db, principal.accountId);
      const tenant =
        principal.accountId === principal.developerId
          ? account
          : await findDeveloperById(db, principal.developerId);
      if (account === undefined || tenant === undefined) throw new UnauthorizedError('Invalid token');
      return c.json(toMe(c.var.deps.config, account, tenant, principal.role), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/verify-email/resend',
      tags: ['Auth'],
      summary: "Send the acting account's email verification link again",
      description:
        'Mailed when the instance has SMTP_URL, logged for the operator otherwise. An account already verified is told so and nothing is sent.',
      security: security.session,
      middleware: authenticate(tokens),
      responses: {
        200: {
          description: 'What was done',
          content: { 'application/json': { schema: VerificationResent } },
        },
        ...pickErrors(401, 403, 429),
      },
    }),
    async (c) => {
      const principal = c.var.principal;
      if (principal.kind !== 'developer') throw new UnauthorizedError('Invalid token');
      const account = await findDeveloperById(c.var.deps.db, principal.accountId);
      if (account === undefined) throw new UnauthorizedError('Invalid token');
      if (account.email_verified_at !== null) {
        return c.json({ email: account.email, already_verified: true, emailed: false }, 200);
      }
      const sent = await sendVerificationLink(c.var.deps.config, c.var.logger, account);
      return c.json({ email: account.email, already_verified: false, emailed: sent.ok }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/v1/auth/me',
      tags: ['Auth'],
      summary: "Change the acting account's name or organisation",
      description:
        'The account behind a session (a team member changes their own). `organization: null` clears it. Audited as `developer.profile_updated`.',
      security: security.session,
      middleware: authenticate(tokens),
      request: {
        body: { required: true, content: { 'application/json': { schema: UpdateProfileBody } } },
      },
      responses: {
        200: { description: 'The account', content: { 'application/json': { schema: Me } } },
        ...pickErrors(401, 403, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const principal = c.var.principal;
      if (principal.kind !== 'developer') throw new UnauthorizedError('Invalid token');
      const body = c.req.valid('json');
      const { db } = c.var.deps;
      const account = await db.transaction().execute(async (trx) => {
        const row = await updateProfile(trx, principal.accountId, body);
        if (row === undefined) throw new UnauthorizedError('Invalid token');
        const fields = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined);
        if (fields.length > 0) {
          await recordAudit(trx, {
            developerId: principal.developerId,
            actor: auditActor(c),
            action: 'developer.profile_updated',
            target: { type: 'developer', id: principal.accountId },
            request: auditRequest(c),
            detail: { fields },
          });
        }
        return row;
      });
      const tenant =
        principal.accountId === principal.developerId
          ? account
          : await findDeveloperById(db, principal.developerId);
      if (tenant === undefined) throw new UnauthorizedError('Invalid token');
      return c.json(toMe(c.var.deps.config, account, tenant, principal.role), 200);
    },
  );
}
