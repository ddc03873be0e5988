import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { TokenService } from '../auth/tokens.ts';
import type { Config } from '../config/load-config.ts';
import { authenticate } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { type ShutdownBindings, sseResponse } from '../http/sse.ts';
import { ValidationError } from '../shared/errors.ts';
import { UserIdParams } from '../users/schemas.ts';
import { compareIds, isEventId, type LoggedEvent, type SyncEventBus } from './event-bus.ts';
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

const OPENING = ': connected\n\nretry: 3000\n\n';
const HEARTBEAT = ': heartbeat\n\n';
const BYE = ': shutting down\n\n';

/** Where a stream's text goes: Node's ServerResponse itself, or an adapter over hono's SSE stream. */
interface Out {
  write(text: string): unknown;
  end(text: string): unknown;
  /** Written but not yet taken by the socket (Node's response), and how to drop the connection. */
  readonly writableLength?: number;
  destroy?(): unknown;
}

/**
 * One open stream. Everything else a stream needs (the bus subscription, the heartbeat timer, the
 * shutdown listener) is shared by all streams of the process (`StreamHub`): a stream is this object and
 * its response, nothing more.
 */
class Stream {
  /** Events that arrived before the opening was written (they go out with it); undefined once live. */
  early: LoggedEvent[] | undefined = [];
  slot = 0;
  closed = false;
  /** The least the response has had waiting since it went live (see StreamHub#fallenBehind). */
  floor = 0;

  constructor(
    readonly out: Out,
    readonly userId: string,
    /** The newest event id this stream has sent (or the client had: Last-Event-ID). */
    public lastSent: string | undefined,
    readonly shutdown: AbortSignal | undefined,
  ) {}

  /** The event's frame unless this stream already sent it (or something newer); moves `lastSent`. */
  next(logged: LoggedEvent): string | undefined {
    if (this.lastSent !== undefined && compareIds(logged.id, this.lastSent) <= 0) return undefined;
    this.lastSent = logged.id;
    return frameOf(logged);
  }

  deliver(logged: LoggedEvent): void {
    if (this.early !== undefined) {
      this.early.push(logged);
      return;
    }
    const frame = this.next(logged);
    if (frame !== undefined) this.out.write(frame);
  }
}

/** Heartbeats go out in this many groups spread over the period, not to every stream in one tick. */
const HEARTBEAT_SLOTS = 16;

/**
 * The streams of one bus in this process: one bus subscription per user (not per stream), one heartbeat
 * timer and one shutdown listener per server. A per-stream subscription closure, interval timer and
 * promise chain were a good part of the 30–34 KiB a stream held (bench:sse); the heartbeats are sent in
 * HEARTBEAT_SLOTS groups, so 10,000 streams never get 10,000 writes in one tick (a latency spike).
 */
class StreamHub {
  readonly #users = new Map<string, { streams: Set<Stream>; unsubscribe: () => void }>();
  readonly #slots: Set<Stream>[];
  #tick = 0;
  #timer: NodeJS.Timeout | undefined;
  #open = 0;
  readonly #listening = new WeakSet<AbortSignal>();

  constructor(
    private readonly bus: SyncEventBus,
    private readonly heartbeatMs: number,
    private readonly maxBufferedBytes: number,
  ) {
    const slots = Math.max(1, Math.min(HEARTBEAT_SLOTS, Math.floor(heartbeatMs / 250)));
    this.#slots = Array.from({ length: slots }, () => new Set<Stream>());
  }

  /** From now on the stream gets its user's events (into `early` until it goes live). */
  add(stream: Stream): void {
    let user = this.#users.get(stream.userId);
    if (user === undefined) {
      const streams = new Set<Stream>();
      const unsubscribe = this.bus.subscribe(stream.userId, (logged) => {
        for (const each of streams) each.deliver(logged);
      });
      user = { streams, unsubscribe };
      this.#users.set(stream.userId, user);
    }
    user.streams.add(stream);
    // The group that just had its heartbeat: this stream's first comes one period from now.
    stream.slot = this.#tick;
    this.#slots[this.#tick]?.add(stream);
    if (this.#open++ === 0) {
      this.#timer = setInterval(() => this.#beat(), this.heartbeatMs / this.#slots.length);
      // The open connections keep the process alive, not this timer.
      this.#timer.unref();
    }
    const signal = stream.shutdown;
    if (signal !== undefined && !this.#listening.has(signal)) {
      this.#listening.add(signal);
      signal.addEventListener('abort', () => this.#shutDown(signal), { once: true });
    }
  }

  remove(stream: Stream): void {
    if (stream.closed) return;
    stream.closed = true;
    const user = this.#users.get(stream.userId);
    if (user?.streams.delete(stream) && user.streams.size === 0) {
      user.unsubscribe();
      this.#users.delete(stream.userId);
    }
    this.#slots[stream.slot]?.delete(stream);
    if (--this.#open === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #beat(): void {
    this.#tick = (this.#tick + 1) % this.#slots.length;
    for (const stream of this.#slots[this.#tick] ?? []) {
      if (stream.early !== undefined) continue;
      if (this.#fallenBehind(stream)) {
        this.remove(stream);
        stream.out.destroy?.();
      } else stream.out.write(HEARTBEAT);
    }
  }

  /**
   * Whether a stream's client stopped reading, checked once a heartbeat period (from a timer, when no
   * write is corked: Node sends a response's writes of one tick together, so a burst of events is
   * briefly all "waiting"). Otherwise every later event would be held for it in this process without
   * bound. A stream has fallen behind once what waits for it has grown maxBufferedBytes past the least
   * it has had waiting (a resumed stream's opening may be megabytes of backlog, which a reading client
   * works down); its connection is then dropped, and its EventSource reconnects with the Last-Event-ID of
   * the last event it did read and is sent the rest.
   */
  #fallenBehind(stream: Stream): boolean {
    const waiting = stream.out.writableLength ?? 0;
    if (waiting < stream.floor) stream.floor = waiting;
    return waiting - stream.floor > this.maxBufferedBytes;
  }

  /**
   * The server is closing: every live stream of it gets a last `: shutting down` comment and ends, so an
   * EventSource reconnects (to another node) instead of holding the shutdown up. A stream still opening
   * sees the aborted signal itself once its log read is back.
   */
  #shutDown(signal: AbortSignal): void {
    for (const { streams } of [...this.#users.values()]) {
      for (const stream of [...streams]) {
        if (stream.shutdown !== signal || stream.early !== undefined) continue;
        this.remove(stream);
        stream.out.end(BYE);
      }
    }
  }
}

const hubs = new WeakMap<SyncEventBus, StreamHub>();
function hubOf(
  bus: SyncEventBus,
  config: Pick<Config, 'SSE_HEARTBEAT_MS' | 'SSE_MAX_BUFFERED_BYTES'>,
): StreamHub {
  let hub = hubs.get(bus);
  if (hub === undefined) {
    hub = new StreamHub(bus, config.SSE_HEARTBEAT_MS, config.SSE_MAX_BUFFERED_BYTES);
    hubs.set(bus, hub);
  }
  return hub;
}

/** What @hono/node-server passes to a request (beside `shutdown`, see startServer). */
type NodeBindings = ShutdownBindings & { incoming?: IncomingMessage; outgoing?: ServerResponse };

/**
 * The Node response to write this request's stream to, when the request is the one Node is serving (not
 * one the app makes of itself, as the MCP route does with `app.request`, whose bindings are its caller's).
 */
function nodeResponse(c: Context<AppEnv>): ServerResponse | undefined {
  const { incoming, outgoing } = (c.env ?? {}) as NodeBindings;
  if (outgoing === undefined || incoming?.url === undefined || outgoing.headersSent) return undefined;
  return c.req.raw.url.endsWith(incoming.url) ? outgoing : undefined;
}

/** The header that tells @hono/node-server the response is written to Node's ServerResponse directly. */
const ALREADY_SENT = 'x-hono-already-sent';

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
      const hub = hubOf(events, config);
      const readLog = () =>
        lastEventId
          ? events.after(user_id, lastEventId, RESUME_LIMIT)
          : events.recent(user_id, replay).then((newest) => newest.reverse());
      const res = nodeResponse(c);
      if (res === undefined) {
        // Not served by Node directly: through hono's web stream (the same frames, slower).
        return sseResponse(c, async (sse) => {
          let writing: Promise<unknown> = Promise.resolve();
          const out: Out = {
            write: (text) => {
              writing = writing.then(() => sse.write(text));
            },
            end: (text) => out.write(text),
          };
          const stream = new Stream(out, user_id, lastEventId || undefined, undefined);
          const closed = new Promise<void>((resolve) => sse.onAbort(resolve));
          hub.add(stream);
          try {
            const backlog = await readLog();
            let opening = OPENING;
            for (const logged of [...backlog, ...(stream.early ?? [])]) opening += stream.next(logged) ?? '';
            stream.early = undefined;
            out.write(opening);
            await closed;
          } finally {
            hub.remove(stream);
          }
        });
      }
      /*
       * Written to Node's ServerResponse directly, not through hono's ReadableStream response (which
       * @hono/node-server then pumps into it): per connect that layer cost about as much server CPU as
       * everything else (bench:sse, 2,000 clients: 5.0 -> 2.5 ms per connection, 36 -> 8 KiB held per
       * stream), and per event it was a promise chain, a TextEncoder and a web-stream write per stream.
       */
      const shutdown = (c.env as NodeBindings).shutdown;
      const stream = new Stream(res, user_id, lastEventId || undefined, shutdown);
      // Listen before reading the log, so nothing published in between is lost; `next` drops repeats.
      hub.add(stream);
      res.once('close', () => hub.remove(stream));
      let backlog: LoggedEvent[] = [];
      if (!shutdown?.aborted) {
        try {
          backlog = await readLog();
        } catch (error) {
          // Nothing is written yet: the error is answered as any other (503 {detail} while Redis is away).
          hub.remove(stream);
          throw error;
        }
      }
      // The head is written once the middleware is done with the response (the rate-limit headers and
      // X-Request-Id are set on it after this handler returns): the middleware does not wait on I/O after
      // `next()`, so by the next turn of the event loop it is done.
      setImmediate(() => {
        if (stream.closed) return; // the client went away meanwhile
        const headers: Record<string, string> = {};
        c.res.headers.forEach((value, name) => {
          if (name !== ALREADY_SENT) headers[name] = value;
        });
        headers['content-type'] = 'text/event-stream';
        headers['cache-control'] = 'no-cache, no-transform';
        headers['x-accel-buffering'] = 'no';
        res.writeHead(200, headers);
        if (shutdown?.aborted) {
          hub.remove(stream);
          res.end(BYE);
          return;
        }
        // The opening, the backlog and what arrived meanwhile go out as one write, with the headers (one
        // chunk, one syscall). Nothing awaits between draining `early` and going live, so nothing slips.
        let opening = OPENING;
        for (const logged of backlog) opening += stream.next(logged) ?? '';
        for (const logged of stream.early ?? []) opening += stream.next(logged) ?? '';
        stream.early = undefined;
        res.write(opening);
        stream.floor = res.writableLength;
      });
      return new Response(null, { headers: { [ALREADY_SENT]: 'true' } });
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
      // From the log: what was published before this request, even if the fan-out has not brought it yet.
      const logged = await c.var.deps.events.recent(
        c.req.valid('param').user_id,
        c.req.valid('query').limit,
        {
          fromLog: true,
        },
      );
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
