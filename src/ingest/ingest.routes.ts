import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { ValidationError } from '../shared/errors.ts';
import type { MappedBatch, PayloadKind } from './payload-kinds.ts';
import { payloadKinds } from './payload-kinds.ts';
import { RejectedEntry, SdkSyncBody } from './sdk/sdk-payload.ts';
import { WearMetricsBatchBody } from './wearmetrics/map-wearmetrics.ts';

/** Bulk ingest routes take bodies up to this size; the default elsewhere is 1 MiB. */
export const INGEST_BODY_LIMIT_BYTES = 32 * 1024 * 1024;
export const ingestBodyLimitPattern = /^\/api\/v1\/(sdk\/users\/[^/]+\/sync|users\/[^/]+\/wearmetrics)$/;

const UserParams = z.object({
  user_id: z.uuid({ error: 'user_id must be a UUID' }).openapi({ param: { name: 'user_id', in: 'path' } }),
});

const Accepted = z
  .object({
    status_code: z.literal(202),
    response: z.string(),
    user_id: z.uuid(),
    run_id: z
      .string()
      .openapi({ description: 'Poll GET /users/{user_id}/sync/runs/{run_id} for the outcome' }),
    accepted: z.record(z.string(), z.number().int()),
    kept_raw: z.record(z.string(), z.number().int()),
    rejected_count: z.number().int(),
    rejected: z.array(RejectedEntry),
  })
  .openapi('IngestAccepted');

function acceptedCounts(mapped: MappedBatch): Record<string, number> {
  const b = mapped.batch;
  return { samples: b.samples.length, workouts: b.workouts.length, sleep_intervals: b.sleep.length };
}

/** Maps, checks and queues one push payload (validated by the route's schema); the body of its 202. */
async function acceptPayload(
  c: Context<AppEnv>,
  kind: PayloadKind,
  userId: string,
  provider: string,
  payload: unknown,
) {
  const developerId = c.var.principal.developerId;
  // The text the validator parsed, cached by Hono: read again, it costs nothing.
  const text = await c.req.text();
  const mapped = payloadKinds[kind].mapValid(payload, text);
  const receivedTotal = Object.values(mapped.received).reduce((a, b) => a + b, 0);
  // One bad entry never drops a batch; a batch with nothing valid in it is a plain validation error.
  if (
    receivedTotal > 0 &&
    mapped.rejected.length > 0 &&
    acceptedTotal(mapped) === 0 &&
    Object.keys(mapped.keptRaw).length === 0
  ) {
    throw new ValidationError(
      mapped.rejected.slice(0, 100).map((r) => ({ loc: r.loc, msg: r.msg, type: 'invalid_entry' })),
    );
  }
  const body = payloadKinds[kind].archived(payload, text);
  const { runId } = await c.var.deps.ingest.accept({ kind, developerId, userId, provider, body, mapped });
  return {
    status_code: 202 as const,
    response: 'Import task queued successfully',
    user_id: userId,
    run_id: runId,
    accepted: acceptedCounts(mapped),
    kept_raw: mapped.keptRaw,
    rejected_count: mapped.rejected.length,
    rejected: mapped.rejected.slice(0, 100),
  };
}

export function registerIngestRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/sdk/users/{user_id}/sync',
      tags: ['Ingest'],
      summary: 'Push a batch of Apple Health / Samsung Health / Health Connect records, workouts and sleep',
      description:
        'Accepts the batch (202) and processes it in the background as a sync run with source "sdk". Entries are validated one by one: invalid ones are listed in `rejected` (with their index) and the rest are stored. Re-sending a batch stores nothing twice.',
      security: security.developerOrSdk,
      middleware: authenticate(tokens, 'developer_or_sdk'),
      request: {
        params: UserParams,
        body: { required: true, content: { 'application/json': { schema: SdkSyncBody } } },
      },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: Accepted } } },
        ...pickErrors(400, 401, 403, 404, 413, 415, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(
        await acceptPayload(c, 'sdk_sync', c.req.valid('param').user_id, body.provider, body),
        202,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/wearmetrics',
      tags: ['Ingest'],
      summary: 'Push WearMetrics samples (spec 003)',
      description:
        'Unknown metric keys and sources are accepted and kept raw; `rr_ms` is stored as rr_interval samples within [200, 6000] ms; `meta` is kept with the archived payload.',
      security: security.developer,
      middleware: authenticate(tokens),
      request: {
        params: UserParams,
        body: { required: true, content: { 'application/json': { schema: WearMetricsBatchBody } } },
      },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: Accepted } } },
        ...pickErrors(400, 401, 403, 404, 413, 415, 422),
      },
    }),
    async (c) =>
      c.json(
        await acceptPayload(
          c,
          'wearmetrics',
          c.req.valid('param').user_id,
          'wearmetrics',
          c.req.valid('json'),
        ),
        202,
      ),
  );
}

function acceptedTotal(mapped: MappedBatch): number {
  return Object.values(acceptedCounts(mapped)).reduce((a, b) => a + b, 0);
}
