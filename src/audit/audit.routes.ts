import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { boundedDate, boundedTimestamp } from '../health-data/date-range.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { cursorField, decodeCursor, encodeCursor } from '../http/cursor.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { ValidationError } from '../shared/errors.ts';
import {
  type AuditFilter,
  type AuditLogRow,
  auditHeadSeq,
  auditNdjsonPages,
  listAuditLogs,
} from './audit.repo.ts';
import { AUDIT_ACTIONS } from './audit-log.ts';

/** Rows per query of an export: one page is in memory at a time, whatever the trail's length. */
export const EXPORT_PAGE_ROWS = 1000;

const AuditLog = z
  .object({
    id: z.string().openapi({ description: 'Row id (a bigint, as a string)' }),
    seq: z.number().int().openapi({ description: "Position in your trail's hash chain: 1, 2, 3…" }),
    action: z.string().openapi({ example: 'api_key.created' }),
    actor: z.object({
      type: z.string().openapi({ example: 'api_key' }),
      id: z.string().nullable(),
    }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    request_id: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).openapi({ description: 'What changed; never a secret' }),
    created_at: z.string(),
    hash: z.string().openapi({ description: 'sha256(prev_hash + "\\n" + canonical JSON of the row)' }),
    prev_hash: z.string(),
  })
  .openapi('AuditLog');
type AuditLogItem = z.infer<typeof AuditLog>;

function toItem(row: AuditLogRow): AuditLogItem {
  return {
    id: String(row.id),
    seq: Number(row.seq),
    action: row.action,
    actor: { type: row.actor_type, id: row.actor_id },
    target:
      row.target_type === null || row.target_id === null
        ? null
        : { type: row.target_type, id: row.target_id },
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>,
    created_at: row.created_at.toISOString(),
    hash: row.hash,
    prev_hash: row.prev_hash,
  };
}

const actionGroups = [...new Set(AUDIT_ACTIONS.map((a) => a.slice(0, a.lastIndexOf('.'))))];

/** Every prefix an `action=` wildcard can name: `nutrition.review.approved` gives `nutrition.*` and `nutrition.review.*`. */
const actionWildcards = [
  ...new Set(
    AUDIT_ACTIONS.flatMap((a) => {
      const parts = a.split('.');
      return parts.slice(1).map((_, i) => `${parts.slice(0, i + 1).join('.')}.*`);
    }),
  ),
].sort();

/**
 * `action=`: one catalogued action, or a group wildcard (`api_key.*`, `nutrition.review.*`) that stands
 * for every catalogued action under that prefix. Expanded here, so SQL compares exact names.
 */
function actionsOf(filter: string | undefined): string[] | undefined {
  if (filter === undefined) return undefined;
  if ((AUDIT_ACTIONS as readonly string[]).includes(filter)) return [filter];
  if (filter.endsWith('.*')) {
    const prefix = filter.slice(0, -1);
    const matching = AUDIT_ACTIONS.filter((a) => a.startsWith(prefix));
    if (matching.length > 0) return matching;
  }
  throw new ValidationError([
    {
      loc: ['query', 'action'],
      msg: `Unknown action '${filter}': one of ${AUDIT_ACTIONS.join(', ')}, or a group wildcard (${actionGroups.map((g) => `${g}.*`).join(', ')})`,
      type: 'value_error.action',
    },
  ]);
}

const Instant = z.union([boundedDate, boundedTimestamp]);

const FilterQuery = z.object({
  since: Instant.optional().openapi({
    description: 'Rows at or after this instant; a date (YYYY-MM-DD) is its midnight UTC',
    example: '2026-01-01',
  }),
  until: Instant.optional().openapi({
    description: 'Rows before this instant; a date (YYYY-MM-DD) includes that whole day (UTC)',
    example: '2026-01-31',
  }),
  action: z.string().max(100).optional().openapi({
    description: 'A catalogued action, or a group wildcard such as `api_key.*`',
    example: 'api_key.*',
  }),
});
type Filters = z.infer<typeof FilterQuery>;

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The caller's filter, in instants; a window that ends before it starts is a 422. */
function filterOf(developerId: string, q: Filters): AuditFilter {
  const since =
    q.since === undefined ? undefined : new Date(isDate(q.since) ? `${q.since}T00:00:00Z` : q.since);
  const until =
    q.until === undefined
      ? undefined
      : isDate(q.until)
        ? new Date(Date.parse(`${q.until}T00:00:00Z`) + 86_400_000)
        : new Date(q.until);
  if (since !== undefined && until !== undefined && until < since) {
    throw new ValidationError([
      { loc: ['query', 'until'], msg: 'until is before since', type: 'value_error' },
    ]);
  }
  return { developerId, since, until, actions: actionsOf(q.action) };
}

/** A page cursor: the last seq returned, and the filters it belongs to (reused with others it would skip rows). */
const CursorShape = z.object({ s: cursorField.bigintId(), q: cursorField.fingerprint() });

export function registerAuditRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = {
    tags: ['Audit log'],
    security: security.session,
    middleware: authenticate(tokens),
  };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/audit-logs',
      summary: 'Your audit trail, newest first',
      description:
        'Every privileged action of your account (logins, keys, provider apps, users, connections, webhook endpoints, exports, retention) is one append-only row, scoped to you. Each row carries a hash chained to your previous row (`wearlink audit verify` checks the chain).',
      request: {
        query: FilterQuery.extend({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(500).optional(),
        }),
      },
      responses: {
        200: {
          description: 'A page of rows',
          content: {
            'application/json': {
              schema: z
                .object({
                  data: z.array(AuditLog),
                  pagination: z.object({ next_cursor: z.string().nullable(), has_more: z.boolean() }),
                })
                .openapi('AuditLogPage'),
            },
          },
        },
        ...pickErrors(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const filter = filterOf(c.var.principal.developerId, q);
      const fingerprint = `${q.since ?? ''}|${q.until ?? ''}|${q.action ?? ''}`;
      let beforeSeq: number | undefined;
      if (q.cursor !== undefined) {
        const cursor = decodeCursor(q.cursor, CursorShape);
        if (cursor.q !== fingerprint) {
          throw new ValidationError([
            {
              loc: ['query', 'cursor'],
              msg: 'This cursor belongs to a different query',
              type: 'invalid_cursor',
            },
          ]);
        }
        beforeSeq = cursor.s;
      }
      const rows = await listAuditLogs(c.var.deps.db, filter, { limit: q.limit + 1, beforeSeq });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      const hasMore = rows.length > q.limit && last !== undefined;
      return c.json(
        {
          data: page.map(toItem),
          pagination: {
            next_cursor: hasMore ? encodeCursor({ s: Number(last.seq), q: fingerprint }) : null,
            has_more: hasMore,
          },
        },
        200,
      );
    },
  );

  // The catalogue behind `action=`, so a filter picker (the dashboard's) never offers a stale list.
  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/audit-logs/actions',
      summary: 'The audited actions and the group wildcards the `action` filter accepts',
      responses: {
        200: {
          description: 'Action names and wildcards',
          content: {
            'application/json': {
              schema: z
                .object({
                  data: z.array(z.string()).openapi({ example: ['api_key.created', 'api_key.deleted'] }),
                  groups: z.array(z.string()).openapi({ example: ['api_key.*', 'nutrition.review.*'] }),
                })
                .openapi('AuditActionCatalogue'),
            },
          },
        },
        ...pickErrors(401, 403),
      },
    }),
    (c) => c.json({ data: [...AUDIT_ACTIONS], groups: actionWildcards }, 200),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/audit-logs/export',
      summary: 'Download your audit trail as newline-delimited JSON, oldest first',
      description:
        'One row (as in GET /api/v1/audit-logs) per line, streamed with bounded memory however long the trail; ends at your newest row when the request started. `Content-Disposition: attachment` makes browsers save it.',
      request: { query: FilterQuery },
      responses: {
        200: {
          description: 'NDJSON stream',
          content: { 'application/x-ndjson': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...pickErrors(401, 403, 422),
      },
    }),
    async (c) => {
      const { db, logger } = c.var.deps;
      const filter = filterOf(c.var.principal.developerId, c.req.valid('query'));
      const throughSeq = await auditHeadSeq(db, filter.developerId);
      const pages = auditNdjsonPages(db, filter, { pageSize: EXPORT_PAGE_ROWS, throughSeq });
      const encoder = new TextEncoder();
      // Pulled: the next page is read only when the client has taken the previous one (the server
      // writes a chunk, waits for the socket to drain, then pulls), so a slow reader holds one page.
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const next = await pages.next();
              if (next.done) {
                controller.close();
                return;
              }
              controller.enqueue(encoder.encode(next.value));
            } catch (error) {
              // Headers are sent: the client sees a truncated body (no final newline guarantee), not a 500.
              logger.error({ err: error, developer_id: filter.developerId }, 'audit log export failed');
              controller.error(error);
            }
          },
          async cancel() {
            await pages.return(undefined);
          },
        },
        { highWaterMark: 1 },
      );
      const date = new Date().toISOString().slice(0, 10);
      // The router types `application/…json` bodies as JSON, and `x-ndjson` (not JSON) as nothing at all.
      return c.body(body, 200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="wearlink-audit-log-${date}.ndjson"`,
        'cache-control': 'no-store',
      }) as never;
    },
  );
}
