import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { auditRequest, recordAudit } from '../audit/audit-log.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { DeveloperRow } from '../db/schema.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { UnauthorizedError } from '../shared/errors.ts';
import { Me } from '../team/schemas.ts';
import { toApiKeyWithSecret } from './api-keys.routes.ts';
import { findDeveloperByEmail, findDeveloperById } from './developers.repo.ts';
import { registerInviteRoutes } from './invites.routes.ts';
import { checkInvite } from './invites.ts';
import { checkRegistrationAllowed, createDeveloperAccount } from './registration.ts';
import { AccessToken, LoginForm, RegisterBody, RegisterResponse } from './schemas.ts';

const toDeveloper = (row: DeveloperRow) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  plan: row.plan,
  created_at: row.created_at.toISOString(),
});

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
    ...pickErrors(401, 413, 415, 422, 429),
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
    return c.json({ ...toDeveloper(developer), api_key: toApiKeyWithSecret(key) }, 201);
  });

  app.openapi(login, async (c) => {
    const form = c.req.valid('form');
    const developer = await findDeveloperByEmail(c.var.deps.db, form.username);
    const ok = await verifyPassword(developer?.password_hash, form.password);
    // A failed login joins the trail of the account it tried (actor anonymous: nobody proved who they
    // are). An email with no account has no trail to join and is not recorded: storing it would keep
    // whatever strangers type, and the rate limiter already bounds guessing.
    // A team member's login joins its tenant's trail, with the member as actor.
    if (developer !== undefined) {
      await c.var.deps.db.transaction().execute((trx) =>
        recordAudit(trx, {
          developerId: developer.tenant_id ?? developer.id,
          actor: ok ? { type: 'developer', id: developer.id } : { type: 'anonymous', id: null },
          action: ok ? 'developer.login' : 'developer.login_failed',
          target: { type: 'developer', id: developer.id },
          request: auditRequest(c),
          detail: ok ? {} : { reason: 'wrong_password' },
        }),
      );
    }
    if (!ok || developer === undefined) throw new UnauthorizedError('Incorrect email or password');
    return c.json(await tokens.issue({ kind: 'developer', developerId: developer.id }), 200);
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
      return c.json(
        { ...toDeveloper(account), plan: tenant.plan, tenant_id: tenant.id, role: principal.role },
        200,
      );
    },
  );
}
