import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { sseResponse } from '../http/sse.ts';
import { ValidationError } from '../shared/errors.ts';
import { UserIdParams } from '../users/schemas.ts';
import { compareIds, isEventId, type LoggedEvent } from './event-bus.ts';
import { SyncEvent } from './sync-event.ts';
import { SyncRun, toSyncRun } from './sync-runs.routes.ts';

/** Resuming from Last-Event-ID replays at most this many events (24 h of one user's syncs fit easily). */
const RESUME_LIMIT = 10_000;

/**
 * An event's SSE frame (as hono's writeSSE wrote it: event, data, id), built once per event however many
 * streams of its user are open: the bus hands the same object to every listener of this process.
 */
const frames = new WeakMap<LoggedEvent, string>();
function frameOf(logged: LoggedEvent): string {
  let frame = frames.get(logged);
  if (frame === undefined) {
    frame = `event: sync.status\ndata: ${JSON.stringify(logged.event)}\nid: ${logged.id}\n\n`;
    frames.set(logged, frame);
  }
  return frame;
}

export function registerSyncStreamRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/sync/stream',
      tags: ['Sync'],
      summary: 'Live sync events (SSE): `: connected`, the last N events, then every event as it happens',
      description:
        'Each event is `event: sync.status` with an `id:`; reconnect with `Last-Event-ID` to receive exactly the events after it (no gap, no duplicate). `: heartbeat` every 15 s. Auth: API key header, Bearer JWT, or the JWT in `access_token` (browser EventSource cannot send headers).',
      security: [...security.developerOrSdk, { AccessTokenQuery: [] }],
      middleware: authenticate(tokens, 'developer_or_sdk', { queryToken: true }),
      request: {
        params: UserIdParams,
        query: z.object({
          replay: z.coerce.number().int().min(1).max(200).default(20),
          access_token: z.string().optional(),
        }),
      },
      responses: {
        200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: z.string() } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { user_id } = c.req.valid('param');
      const { replay } = c.req.valid('query');
      const lastEventId = c.req.header('last-event-id')?.trim();
      if (lastEventId && !isEventId(lastEventId)) {
        throw new ValidationError([
          { loc: ['header', 'Last-Event-ID'], msg: 'not an event id', type: 'invalid_id' },
        ]);
      }
      const { events, config } = c.var.deps;
      return sseResponse(c, async (stream) => {
        let lastSent = lastEventId || undefined;
        let live = false;
        const buffered: LoggedEvent[] = [];
        /** The event's frame unless this stream already sent it (or something newer); moves `lastSent`. */
        const next = (logged: LoggedEvent) => {
          if (lastSent !== undefined && compareIds(logged.id, lastSent) <= 0) return undefined;
          lastSent = logged.id;
          return frameOf(logged);
        };
        // Writes go one after another, whatever order listeners fire in.
        let writing: Promise<unknown> = Promise.resolve();
        // Listen before reading the log, so nothing published in between is lost; `next` drops repeats.
        const unsubscribe = events.subscribe(user_id, (logged) => {
          if (!live) {
            buffered.push(logged);
            return;
          }
          const frame = next(logged);
          if (frame !== undefined) writing = writing.then(() => stream.write(frame));
        });
        let heartbeat: NodeJS.Timeout | undefined;
        const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
        try {
          const backlog = lastEventId
            ? await events.after(user_id, lastEventId, RESUME_LIMIT)
            : (await events.recent(user_id, replay)).reverse();
          // The opening, the backlog and what arrived meanwhile go out as one write (one chunk, one
          // syscall): four writes per connect were a good part of its cost under a connect storm
          // (bench:sse). Nothing awaits between draining `buffered` and going live, so nothing slips.
          let opening = ': connected\n\nretry: 3000\n\n';
          for (const logged of [...backlog, ...buffered.splice(0)]) opening += next(logged) ?? '';
          live = true;
          writing = stream.write(opening);
          heartbeat = setInterval(() => {
            writing = writing.then(() => stream.write(': heartbeat\n\n'));
          }, config.SSE_HEARTBEAT_MS);
          await closed;
        } finally {
          clearInterval(heartbeat);
          unsubscribe();
        }
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/sync/recent',
      tags: ['Sync'],
      summary: 'The last N sync events of the past 24 h, newest first',
      security: security.developerOrSdk,
      middleware: authenticate(tokens, 'developer_or_sdk'),
      request: {
        params: UserIdParams,
        query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      },
      responses: {
        200: { description: 'Events', content: { 'application/json': { schema: z.array(SyncEvent) } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const logged = await c.var.deps.events.recent(c.req.valid('param').user_id, c.req.valid('query').limit);
      return c.json(
        logged.map((l) => l.event),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/users/{user_id}/sync/runs',
      tags: ['Sync'],
      summary: 'Latest state of each recent sync run, newest first (kept beyond the 24 h event log)',
      security: security.developerOrSdk,
      middleware: authenticate(tokens, 'developer_or_sdk'),
      request: {
        params: UserIdParams,
        query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) }),
      },
      responses: {
        200: { description: 'Runs', content: { 'application/json': { schema: z.array(SyncRun) } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const rows = await c.var.deps.db
        .selectFrom('sync_runs')
        .selectAll()
        .where('user_id', '=', c.req.valid('param').user_id)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(c.req.valid('query').limit)
        .execute();
      return c.json(rows.map(toSyncRun), 200);
    },
  );
}
