import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { adminPrincipal, superuserRoute } from '../admin/guard.ts';
import { auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { findDeveloperById } from '../developers/developers.repo.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, UuidParam } from '../http/openapi.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import {
  type AnnouncementRow,
  type AnnouncementWithPublisher,
  activeAnnouncement,
  announcementHistory,
  deactivateAnnouncement,
  findAnnouncement,
  publishAnnouncement,
} from './announcements.repo.ts';

const Severity = z.enum(['info', 'warning', 'critical']);

const Announcement = z
  .object({
    id: z.uuid(),
    severity: Severity,
    title: z.string(),
    body: z.string(),
    cta_label: z.string().nullable(),
    cta_url: z.string().nullable(),
    published_at: z.string(),
  })
  .openapi('Announcement');

const AnnouncementRecord = Announcement.extend({
  active: z.boolean(),
  deactivated_at: z.string().nullable(),
  published_by: z.uuid().nullable(),
  published_by_email: z.string().nullable(),
}).openapi('AnnouncementRecord');

/** Text shown in every developer's dashboard: trimmed, single-purpose, short enough for a banner. */
const bannerText = (max: number) => z.string().trim().min(1).max(max);

const PublishBody = z
  .strictObject({
    severity: Severity,
    title: bannerText(120),
    body: bannerText(1000),
    cta_label: bannerText(40).optional(),
    // Only http(s): the dashboard renders it as a link, and a javascript: or data: URL there would run
    // in every signed-in developer's session.
    cta_url: z
      .url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'cta_url must be an http(s) URL' })
      .max(2000)
      .optional(),
  })
  .refine((b) => b.cta_label === undefined || b.cta_url !== undefined, {
    path: ['cta_url'],
    message: 'cta_label needs a cta_url to link to',
  })
  .openapi('AnnouncementPublish');

const AnnouncementParams = z.object({ announcement_id: UuidParam('announcement_id') });

function toAnnouncement(row: AnnouncementRow): z.infer<typeof Announcement> {
  return {
    id: row.id,
    severity: row.severity,
    title: row.title,
    body: row.body,
    cta_label: row.cta_label,
    cta_url: row.cta_url,
    published_at: row.published_at.toISOString(),
  };
}

function toRecord(row: AnnouncementWithPublisher): z.infer<typeof AnnouncementRecord> {
  return {
    ...toAnnouncement(row),
    active: row.active,
    deactivated_at: row.deactivated_at?.toISOString() ?? null,
    published_by: row.published_by,
    published_by_email: row.published_by_email,
  };
}

/**
 * Platform-wide banners (spec 001, Admin → Support, announcements): at most one active; publishing a new
 * one deactivates the previous in the same transaction. The active one is public (the dashboard shows
 * it before sign-in); everything else is for superusers, audited on the admin's own trail.
 */
export function registerAnnouncementRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const admin = {
    ...superuserRoute(tokens),
    description: 'Superusers only (SUPERUSER_EMAILS or is_superuser); 404 for everyone else.',
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/admin/announcements/active',
      tags: ['Admin'],
      summary: 'The current platform announcement, or null (public: no credential needed)',
      responses: {
        200: {
          description: 'The active announcement',
          content: {
            'application/json': { schema: z.object({ announcement: Announcement.nullable() }) },
          },
        },
      },
    }),
    async (c) => {
      const row = await activeAnnouncement(c.var.deps.db);
      // Not cached by browsers or proxies: a dismissed or replaced banner must go away on the next read.
      c.header('Cache-Control', 'no-store');
      return c.json({ announcement: row === undefined ? null : toAnnouncement(row) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/announcements/history',
      summary: 'Every announcement published, newest first (active and past)',
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).max(100_000).default(0),
        }),
      },
      responses: {
        200: {
          description: 'A page of announcements',
          content: {
            'application/json': {
              schema: z.object({
                data: z.array(AnnouncementRecord),
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
      const page = c.req.valid('query');
      const { rows, total } = await announcementHistory(c.var.deps.db, page);
      return c.json(
        {
          data: rows.map(toRecord),
          pagination: { ...page, total_count: total, has_more: page.offset + rows.length < total },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/api/v1/admin/announcements/publish',
      summary: 'Publish a banner; the previously active one is deactivated',
      request: {
        body: { required: true, content: { 'application/json': { schema: PublishBody } } },
      },
      responses: {
        201: {
          description: 'The new active announcement',
          content: { 'application/json': { schema: AnnouncementRecord } },
        },
        ...pickErrors(404, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const principal = adminPrincipal(c.var.principal);
      const body = c.req.valid('json');
      try {
        const row = await c.var.deps.db.transaction().execute(async (trx) => {
          const { row, replaced } = await publishAnnouncement(trx, {
            severity: body.severity,
            title: body.title,
            body: body.body,
            cta_label: body.cta_label ?? null,
            cta_url: body.cta_url ?? null,
            published_by: principal.accountId,
          });
          await recordAudit(trx, {
            developerId: principal.developerId,
            actor: { type: 'admin', id: principal.accountId },
            action: 'admin.announcement.published',
            target: { type: 'announcement', id: row.id },
            request: auditRequest(c),
            detail: { severity: row.severity, title: row.title, replaced },
          });
          return row;
        });
        const email = (await findDeveloperById(c.var.deps.db, principal.accountId))?.email ?? null;
        return c.json(toRecord({ ...row, published_by_email: email }), 201);
      } catch (error) {
        // Two admins publishing at the same instant: both saw no active row, the index lets one win.
        if (isUniqueViolation(error)) {
          throw new ConflictError('Another announcement was published at the same moment: reload and retry');
        }
        throw error;
      }
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/api/v1/admin/announcements/{announcement_id}/dismiss',
      summary: 'Deactivate an announcement (an inactive one is left as is, and not audited again)',
      request: { params: AnnouncementParams },
      responses: {
        200: {
          description: 'The announcement, now inactive',
          content: { 'application/json': { schema: AnnouncementRecord } },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const principal = adminPrincipal(c.var.principal);
      const { announcement_id: id } = c.req.valid('param');
      const { db } = c.var.deps;
      const row = await db.transaction().execute(async (trx) => {
        const current = await findAnnouncement(trx, id, { forUpdate: true });
        if (current === undefined) throw new NotFoundError('Announcement not found');
        if (!current.active) return current;
        const dismissed = await deactivateAnnouncement(trx, id);
        if (dismissed === undefined) return current;
        await recordAudit(trx, {
          developerId: principal.developerId,
          actor: { type: 'admin', id: principal.accountId },
          action: 'admin.announcement.dismissed',
          target: { type: 'announcement', id },
          request: auditRequest(c),
          detail: { title: dismissed.title },
        });
        return dismissed;
      });
      const publisher = row.published_by === null ? undefined : await findDeveloperById(db, row.published_by);
      return c.json(toRecord({ ...row, published_by_email: publisher?.email ?? null }), 200);
    },
  );
}
