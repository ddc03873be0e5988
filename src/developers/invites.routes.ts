import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { createInvite, INVITE_TTL_HOURS } from './invites.ts';

const CreateInviteBody = z
  .strictObject({
    email: z.email().max(254),
    expires_in_hours: z.number().int().min(1).max(INVITE_TTL_HOURS.max).default(INVITE_TTL_HOURS.default),
  })
  .openapi('CreateInviteRequest');

const Invite = z
  .object({
    email: z.string(),
    invite_token: z
      .string()
      .openapi({ description: 'Pass as `invite_token` to POST /api/v1/auth/register with this email.' }),
    expires_at: z.string(),
  })
  .openapi('Invite');

export function registerInviteRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/developer/invites',
      tags: ['Auth'],
      summary: 'Invite someone to register, whatever REGISTRATION_MODE says (one account, for this email)',
      security: security.session,
      middleware: authenticate(tokens),
      request: { body: { required: true, content: { 'application/json': { schema: CreateInviteBody } } } },
      responses: {
        201: { description: 'Invite', content: { 'application/json': { schema: Invite } } },
        ...pickErrors(401, 403, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const developerId = c.var.principal.developerId;
      const invite = await createInvite(
        c.var.deps.config.jwtSecret,
        developerId,
        body.email,
        body.expires_in_hours,
      );
      // Invites are stateless (signed tokens): the trail row is the only record one was made. The
      // token itself admits an account, so only its email and expiry are kept.
      await c.var.deps.db.transaction().execute((trx) =>
        recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'developer.invite_created',
          target: { type: 'invite', id: body.email.toLowerCase() },
          request: auditRequest(c),
          detail: { email: body.email.toLowerCase(), expires_at: invite.expiresAt.toISOString() },
        }),
      );
      c.var.logger.info({ developer_id: c.var.principal.developerId }, 'developer invite created');
      return c.json(
        {
          email: body.email.toLowerCase(),
          invite_token: invite.token,
          expires_at: invite.expiresAt.toISOString(),
        },
        201,
      );
    },
  );
}
