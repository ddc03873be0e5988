import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { auditActor, auditRequest, recordAudit } from '../../audit/audit-log.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import {
  findRetentionPolicy,
  KEEP_EVERYTHING,
  type RetentionPolicy,
  saveRetentionPolicy,
} from './retention.repo.ts';

/** A hundred years: past that a limit means nothing, and the cutoff arithmetic stays far from overflow. */
export const MAX_RETENTION_DAYS = 36_500;

const Days = (description: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_RETENTION_DAYS)
    .nullable()
    .openapi({ description: `${description} \`null\` (the default): kept for good.`, example: null });

const fields = {
  raw_payload_days: Days(
    'Raw payloads (the bytes an SDK batch, import or vendor pull sent, and processed vendor webhook bodies) are deleted this many days after they were received. A payload an unfinished run still needs is kept until the run ends.',
  ),
  sample_days: Days(
    'Raw samples older than this many days are dropped; their hourly aggregates (count, sum, min, max per local hour and source) stay, so `resolution=1hour` timeseries and daily summaries still answer for that period, while `raw` and sub-hour resolutions return nothing there.',
  ),
  delete_after_days: Days(
    'Every health row (samples, hourly aggregates, workouts with their routes, sleep, scores, raw payloads, finished sync runs) older than this many days is deleted.',
  ),
};

const PolicyBody = z
  .strictObject({
    raw_payload_days: fields.raw_payload_days.optional(),
    sample_days: fields.sample_days.optional(),
    delete_after_days: fields.delete_after_days.optional(),
  })
  .superRefine((body, ctx) => {
    const limit = body.delete_after_days;
    if (limit === undefined || limit === null) return;
    for (const key of ['raw_payload_days', 'sample_days'] as const) {
      const days = body[key];
      if (days !== undefined && days !== null && days > limit) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must not exceed delete_after_days (${limit}): everything goes after ${limit} days anyway`,
        });
      }
    }
  })
  .openapi('RetentionPolicyInput', {
    description:
      'The whole policy (PUT replaces it): an omitted or `null` field keeps that data for good. Days are whole days (1–36500); raw_payload_days and sample_days may not exceed delete_after_days.',
  });

const Policy = z
  .object({
    ...fields,
    updated_at: z
      .string()
      .nullable()
      .openapi({ description: 'When the policy was last set; `null`: never set.' }),
  })
  .openapi('RetentionPolicy', {
    description:
      'Your retention policy, applied to all your users by a job that runs every RETENTION_INTERVAL_MINUTES. The default keeps everything (every field `null`).',
  });

const view = (policy: RetentionPolicy, updatedAt: Date | null) => ({
  raw_payload_days: policy.raw_payload_days,
  sample_days: policy.sample_days,
  delete_after_days: policy.delete_after_days,
  updated_at: updatedAt === null ? null : new Date(updatedAt).toISOString(),
});

export function registerRetentionRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = {
    tags: ['Data rights'],
    security: security.developer,
    middleware: authenticate(tokens),
    path: '/api/v1/developer/data-retention',
  };
  const json = { 'application/json': { schema: Policy } };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      summary: 'Your data-retention policy (default: keep everything)',
      responses: { 200: { description: 'Policy', content: json }, ...pickErrors(401, 403) },
    }),
    async (c) => {
      const row = await findRetentionPolicy(c.var.deps.db, c.var.principal.developerId);
      return c.json(row ? view(row, row.updated_at) : view(KEEP_EVERYTHING, null), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'put',
      summary: 'Replace your data-retention policy',
      description:
        'Takes effect at the next retention pass. Shortening a limit deletes data for good; lengthening one does not bring deleted data back. Recorded in the audit log (`retention.updated`, with the old and new values).',
      request: { body: { required: true, content: { 'application/json': { schema: PolicyBody } } } },
      responses: { 200: { description: 'Saved', content: json }, ...pickErrors(401, 403, 415, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const policy: RetentionPolicy = {
        raw_payload_days: body.raw_payload_days ?? null,
        sample_days: body.sample_days ?? null,
        delete_after_days: body.delete_after_days ?? null,
      };
      const { developerId } = c.var.principal;
      // The policy and its audit row commit together.
      const saved = await c.var.deps.db.transaction().execute(async (trx) => {
        const before = await findRetentionPolicy(trx, developerId, { forUpdate: true });
        const row = await saveRetentionPolicy(trx, developerId, policy);
        const old = before ?? KEEP_EVERYTHING;
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'retention.updated',
          target: { type: 'developer', id: developerId },
          request: auditRequest(c),
          detail: {
            before: {
              raw_payload_days: old.raw_payload_days,
              sample_days: old.sample_days,
              delete_after_days: old.delete_after_days,
            },
            after: policy,
          },
        });
        return row;
      });
      return c.json(view(saved, saved.updated_at), 200);
    },
  );
}
