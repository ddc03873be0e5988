import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { adminPrincipal, superuserRoute } from '../admin/guard.ts';
import { auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { findDeveloperByEmail } from '../developers/developers.repo.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, UuidParam } from '../http/openapi.ts';
import { clientIp } from '../http/rate-limit-middleware.ts';
import { NotFoundError, RateLimitedError } from '../shared/errors.ts';
import {
  createTicket,
  findTicket,
  findTicketListed,
  listTickets,
  type SupportTicketListed,
  setTicketResolved,
} from './support.repo.ts';

const HOUR_MS = 3_600_000;

const ContactBody = z
  .strictObject({
    email: z.email({ error: 'email must be an email address' }).max(254),
    name: z.string().trim().max(120).optional(),
    subject: z.string().trim().min(1).max(200),
    message: z.string().trim().min(1).max(5000),
  })
  .openapi('SupportContact');

const ContactReceipt = z
  .object({ id: z.uuid(), status: z.literal('open'), created_at: z.string() })
  .openapi('SupportContactReceipt');

const Ticket = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    subject: z.string(),
    message: z.string(),
    status: z.enum(['open', 'resolved']),
    developer_id: z.uuid().nullable().openapi({
      description: 'The developer account whose email the sender gave (unverified: anyone can type it)',
    }),
    developer_email: z.string().nullable(),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
    resolved_by: z.uuid().nullable(),
    resolved_by_email: z.string().nullable(),
  })
  .openapi('SupportTicket');

const TicketParams = z.object({ ticket_id: UuidParam('ticket_id') });

function toTicket(row: SupportTicketListed): z.infer<typeof Ticket> {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    subject: row.subject,
    message: row.message,
    status: row.status,
    developer_id: row.developer_id,
    developer_email: row.developer_email,
    created_at: row.created_at.toISOString(),
    resolved_at: row.resolved_at?.toISOString() ?? null,
    resolved_by: row.resolved_by,
    resolved_by_email: row.resolved_by_email,
  };
}

/**
 * Support (spec 001, Admin → Support): a public contact form that files tickets, and the superusers'
 * list with resolve / reopen.
 */
export function registerSupportRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const admin = {
    ...superuserRoute(tokens),
    description: 'Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else.',
  };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/support/contact',
      tags: ['Support'],
      summary: 'Contact the operator: files a support ticket (public; CONTACT_FORM_PER_HOUR per address)',
      request: {
        body: { required: true, content: { 'application/json': { schema: ContactBody } } },
      },
      responses: {
        201: {
          description: 'The ticket was filed',
          content: { 'application/json': { schema: ContactReceipt } },
        },
        ...pickErrors(413, 415, 422, 429),
      },
    }),
    async (c) => {
      const { db, config, rateLimiter, logger } = c.var.deps;
      const body = c.req.valid('json');
      // Counted per client address (as the login limit is) and only for well-formed submissions, so a
      // typo does not use up a sender's hour; the general per-minute limit still applies to every request.
      try {
        const hit = await rateLimiter.hit(`contact:ip:${clientIp(c, config)}`, HOUR_MS);
        if (hit.count > config.CONTACT_FORM_PER_HOUR) {
          throw new RateLimitedError(Math.max(1, Math.ceil((hit.resetAt - Date.now()) / 1000)));
        }
      } catch (error) {
        if (error instanceof RateLimitedError) throw error;
        // As the global limiter does: a limiter outage must not take the form down; say so in the log.
        logger.warn({ err: error }, 'rate limiter unavailable; contact form submission not counted');
      }
      const email = body.email.trim();
      const developer = await findDeveloperByEmail(db, email);
      const ticket = await db.transaction().execute(async (trx) => {
        const ticket = await createTicket(trx, {
          email,
          name: body.name === undefined || body.name === '' ? null : body.name,
          subject: body.subject,
          message: body.message,
          developerId: developer?.id ?? null,
        });
        // Audit rows live in a tenant's hash chain. A sender whose email is a developer account's goes into
        // that account's tenant trail, with an anonymous actor and the request's address: the address is
        // typed, not proven, so the row records "a ticket was filed under this address", and carries the
        // ticket id only (never the sender's text). Any other sender has no tenant, hence no chain to join:
        // the ticket row itself (with its created_at) is the record, and no audit row is written.
        if (developer !== undefined) {
          await recordAudit(trx, {
            developerId: developer.tenant_id ?? developer.id,
            actor: { type: 'anonymous', id: null },
            action: 'contact.submit',
            target: { type: 'support_ticket', id: ticket.id },
            request: auditRequest(c),
            detail: { ticket_id: ticket.id, account_id: developer.id },
          });
        }
        return ticket;
      });
      return c.json(
        { id: ticket.id, status: 'open' as const, created_at: ticket.created_at.toISOString() },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/support',
      summary: 'Support tickets, newest first, with filters (status, q over email/name/subject/message)',
      request: {
        query: z.object({
          status: z.enum(['open', 'resolved']).optional(),
          q: z.string().trim().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
      },
      responses: {
        200: {
          description: 'A page of tickets',
          content: {
            'application/json': {
              schema: z.object({
                data: z.array(Ticket),
                open_count: z.number().int().openapi({ description: 'Open tickets overall (any filter)' }),
                pagination: z.object({
                  total_count: z.number().int(),
                  limit: z.number().int(),
                  offset: z.number().int(),
                  has_more: z.boolean(),
                }),
              }),
            },
          },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { rows, total, open } = await listTickets(c.var.deps.db, query);
      return c.json(
        {
          data: rows.map(toTicket),
          open_count: open,
          pagination: {
            limit: query.limit,
            offset: query.offset,
            total_count: total,
            has_more: query.offset + rows.length < total,
          },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/api/v1/admin/support/{ticket_id}/resolve',
      summary: 'Resolve a ticket ({resolved: true}) or reopen it ({resolved: false})',
      description: `${admin.description} A ticket already in the asked state is returned unchanged, with no audit row.`,
      request: {
        params: TicketParams,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.strictObject({ resolved: z.boolean() }).openapi('SupportResolve'),
            },
          },
        },
      },
      responses: {
        200: { description: 'The ticket', content: { 'application/json': { schema: Ticket } } },
        ...pickErrors(404, 413, 415, 422),
      },
    }),
    async (c) => {
      const principal = adminPrincipal(c.var.principal);
      const { ticket_id: id } = c.req.valid('param');
      const { resolved } = c.req.valid('json');
      const { db } = c.var.deps;
      await db.transaction().execute(async (trx) => {
        const current = await findTicket(trx, id, { forUpdate: true });
        if (current === undefined) throw new NotFoundError('Ticket not found');
        if ((current.status === 'resolved') === resolved) return;
        await setTicketResolved(trx, id, resolved ? { by: principal.accountId } : null);
        // On the admin's own trail (issue 21 design: admin mutations are attributed to the admin).
        await recordAudit(trx, {
          developerId: principal.developerId,
          actor: { type: 'admin', id: principal.accountId },
          action: resolved ? 'admin.support.resolved' : 'admin.support.reopened',
          target: { type: 'support_ticket', id },
          request: auditRequest(c),
          detail: { email: current.email, subject: current.subject },
        });
      });
      const row = await findTicketListed(db, id);
      if (row === undefined) throw new NotFoundError('Ticket not found');
      return c.json(toTicket(row), 200);
    },
  );
}
