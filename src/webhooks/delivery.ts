import { isIP } from 'node:net';
import { sql } from 'kysely';
import { Agent, type Dispatcher } from 'undici';
import type { Config } from '../config/load-config.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import type { DatabaseHandle, Db } from '../db/database.ts';
import { isForeignKeyViolation } from '../db/errors.ts';
import type { Platform } from '../platform.ts';
import type { Logger } from '../shared/logger.ts';
import { enqueueWebhookEvents, webhookChannel } from './outbox.ts';
import { signatureHeader } from './signing.ts';
import { addressRefusal, guardedLookup } from './ssrf.ts';
import { listenForWakeups } from './wakeups.ts';
import { openEndpointSecrets } from './webhooks.repo.ts';

/** While requests are in flight, outcomes are recorded and new work claimed this often. */
const BATCH_TICK_MS = 10;
/** Characters of a receiver's response kept with each attempt. */
const EXCERPT_CHARS = 1024;
/** Bytes of a response read at most; the rest is dropped with the connection. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** An outcome with what it makes of its delivery. */
interface RecordedOutcome {
  o: Outcome;
  attempt: number;
  ok: boolean;
  next: string | null;
  status: 'succeeded' | 'failed' | 'pending';
}

interface Claimed {
  id: number;
  attempts: number;
  lease_id: string;
  message_id: string;
  payload: string;
  endpoint_id: string;
  url: string;
  /** Sealed (see openEndpointSecrets), as the row holds them. */
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

export interface SendResult {
  statusCode: number | null;
  excerpt: string | null;
  error: string | null;
  durationMs: number;
}

interface Outcome extends SendResult {
  delivery: Claimed;
}

/**
 * undici's dispatcher instead of node:http's ClientRequest: a CPU profile of bench:webhooks put most of
 * the server's own time per delivery in ClientRequest, the http Agent and socket writes. Each Agent keeps
 * a keep-alive pool per origin (no cap of its own: the loop caps requests per endpoint) and drops an
 * origin's pool when its last connection closes. The guarded one refuses private addresses at connect
 * time, after DNS, in the same lookup node:http used.
 */
const dispatcherOptions = {
  // postWebhook's own deadline bounds the whole exchange; undici's header and body timers, refreshed
  // per request and per chunk, were 5% of the server's busy time delivering a backlog (CPU profile).
  headersTimeout: 0,
  bodyTimeout: 0,
};
const dispatchers = {
  guarded: new Agent({ ...dispatcherOptions, connect: { lookup: guardedLookup } }),
  open: new Agent(dispatcherOptions),
};

/**
 * One POST with a hard deadline over the whole exchange. Private addresses are refused at connect time
 * (after DNS) unless allowed, so neither a URL edited in the database nor a DNS change gets around the
 * check made when the endpoint was created. Redirects are not followed (a 3xx is the answer), and at most
 * MAX_RESPONSE_BYTES of the response are read.
 */
export function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (statusCode: number | null, excerpt: string | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ statusCode, excerpt, error, durationMs: Math.round(performance.now() - started) });
    };
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      finish(null, null, 'invalid URL');
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      finish(null, null, `unsupported protocol ${url.protocol}`);
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An address literal never reaches the lookup, so it is judged here.
    const refusal = !options.allowPrivate && isIP(host) !== 0 ? addressRefusal(host) : undefined;
    if (refusal !== undefined) {
      finish(null, null, `refused: ${host} is a ${refusal}`);
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let timedOut: Error | undefined;
    let statusCode: number | null = null;
    const chunks: Buffer[] = [];
    let size = 0;
    const excerpt = () => Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS);
    timer = setTimeout(() => {
      timedOut = new Error(`timed out after ${options.timeoutMs} ms`);
      // A request still waiting for its connection has no controller yet: it is aborted as it starts
      // (and its connect attempt is bounded by undici's connect timeout).
      controller?.abort(timedOut);
      // As when the exchange is cut short otherwise: an answer whose status came stands.
      if (statusCode !== null) finish(statusCode, excerpt(), null);
      else finish(null, null, timedOut.message);
    }, options.timeoutMs);
    const dispatcher = options.allowPrivate ? dispatchers.open : dispatchers.guarded;
    dispatcher.dispatch(
      { origin: url.origin, path: url.pathname + url.search, method: 'POST', headers, body },
      {
        onRequestStart(c) {
          controller = c;
          if (timedOut !== undefined) c.abort(timedOut);
        },
        onResponseStart(_c, status) {
          statusCode = status;
        },
        onResponseData(c, chunk) {
          if (size < EXCERPT_CHARS * 4) chunks.push(chunk);
          size += chunk.length;
          // The rest is dropped with the connection; the status and excerpt stand.
          if (size > MAX_RESPONSE_BYTES) {
            finish(statusCode, excerpt(), null);
            c.abort(new Error('response too large'));
          }
        },
        onResponseEnd() {
          finish(statusCode, excerpt(), null);
        },
        onResponseError(_c, error) {
          // A response cut short after its status line still says how the receiver answered.
          if (statusCode !== null) finish(statusCode, excerpt(), null);
          else finish(null, null, error.message);
        },
      },
    );
  });
}

export function signingSecrets(endpoint: {
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}): string[] {
  const secrets = [endpoint.secret];
  if (endpoint.previous_secret && (endpoint.previous_secret_expires_at?.getTime() ?? 0) > Date.now())
    secrets.push(endpoint.previous_secret);
  return secrets;
}

/**
 * The plaintext secrets an endpoint's deliveries are signed with: the current one, and the previous one
 * while its overlap lasts (an expired one is not even opened). Throws `SecretOpenError`.
 */
export function openSigningSecrets(
  secrets: SecretBox,
  endpoint: {
    id: string;
    secret: string;
    previous_secret: string | null;
    previous_secret_expires_at: Date | null;
  },
): string[] {
  const live = (endpoint.previous_secret_expires_at?.getTime() ?? 0) > Date.now();
  const opened = openEndpointSecrets(secrets, {
    id: endpoint.id,
    secret: endpoint.secret,
    previous_secret: live ? endpoint.previous_secret : null,
  });
  return signingSecrets({ ...endpoint, ...opened });
}

export function webhookHeaders(
  secrets: readonly string[],
  messageId: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'WearLink-Webhooks/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatureHeader(secrets, messageId, timestampSeconds, body),
  };
}

export interface WebhookDelivery {
  /** Stops claiming, waits for in-flight sends (up to the shutdown grace period) and records them. */
  stop(): Promise<void>;
}

/**
 * The delivery loop: claims due deliveries in small batches (`FOR UPDATE SKIP LOCKED`, so any number of
 * processes share the work), sends them concurrently with a per-request deadline, and records the
 * outcomes in batches. A claim is a lease: `next_attempt_at` moves past the request deadline, so a
 * process killed mid-send leaves deliveries that become due again by themselves (at-least-once).
 * No transaction is open while a request is in flight.
 */
export function startWebhookDelivery(
  platform: Pick<Platform, 'config' | 'logger'> & {
    deps: { db: Db; secrets: SecretBox };
    /** Where commits are heard (see wakeups.ts); without it, the loop only polls. */
    database?: Pick<DatabaseHandle, 'schema' | 'notifications'>;
  },
): WebhookDelivery {
  const loop = new DeliveryLoop(platform.deps.db, platform.deps.secrets, platform.config, platform.logger);
  const { database } = platform;
  const wakeups =
    database &&
    listenForWakeups(
      database.notifications,
      webhookChannel(database.schema),
      () => loop.notify(),
      platform.logger,
    );
  const running = loop.run();
  return {
    async stop() {
      loop.stopped = true;
      loop.wake();
      await wakeups?.close();
      await running;
      await loop.drain(platform.config.SHUTDOWN_TIMEOUT_MS);
    },
  };
}

class DeliveryLoop {
  stopped = false;
  #inFlight = 0;
  readonly #perEndpoint = new Map<string, number>();
  #outcomes: Outcome[] = [];
  #wake: (() => void) | undefined;
  /** A notification came since the current claim pass began (see notify). */
  #notified = false;
  /** When the outbox may next be asked for due deliveries (0: at the next turn). */
  #nextClaimAt = 0;
  readonly #leaseMs: number;
  /** Slots refilled together: claiming per finished request would cost a query per delivery. */
  readonly #batch: number;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {
    // Past the request deadline plus time to record the outcome; then a dead worker's claim lapses.
    this.#leaseMs = config.WEBHOOK_TIMEOUT_MS * 2 + 1000;
    this.#batch = Math.max(1, Math.floor(config.WEBHOOK_CONCURRENCY / 4));
  }

  /**
   * A commit made deliveries due (a notification): the next turn claims, at once when the loop is idle.
   * Bursts coalesce: however many arrive during a claim pass, they schedule exactly one more pass.
   */
  notify(): void {
    this.#notified = true;
    this.#nextClaimAt = 0;
    // Waking a loop with free slots costs at most one pass at a time (a pass in progress takes note
    // and runs once more); a loop without free slots claims when some free up.
    if (this.#inFlight < this.config.WEBHOOK_CONCURRENCY) this.wake();
  }

  wake(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async run(): Promise<void> {
    const concurrency = this.config.WEBHOOK_CONCURRENCY;
    while (!this.stopped) {
      try {
        await this.#flush();
        const free = concurrency - this.#inFlight;
        // A committed message (notified) is claimed at once, however few slots are free: that is its
        // latency. Otherwise slots are refilled a batch at a time (see #send).
        const mayClaim =
          free > 0 &&
          (free >= this.#batch || this.#inFlight === 0 || this.#notified) &&
          Date.now() >= this.#nextClaimAt;
        if (mayClaim) this.#notified = false;
        const claimed = mayClaim ? await this.#claim(free) : 0;
        // Nothing claimable: the outbox is asked again after the poll interval, once a request
        // finishes (see #send) or a commit is notified, not at every tick while requests are in flight:
        // a receiver that hangs would otherwise cost a query every BATCH_TICK_MS. A notification that
        // came during the pass may be for rows the pass did not see: one more pass.
        if (mayClaim)
          this.#nextClaimAt =
            claimed === 0 && !this.#notified ? Date.now() + this.config.WEBHOOK_POLL_INTERVAL_MS : 0;
        if (this.stopped) break;
        // A backlog with a batch of slots free again (or a notification meanwhile) goes on without a
        // tick's pause: the tick bounded throughput at WEBHOOK_CONCURRENCY per BATCH_TICK_MS + a pass.
        const freeNow = concurrency - this.#inFlight;
        const more =
          freeNow > 0 &&
          (this.#notified || (claimed > 0 && freeNow >= this.#batch)) &&
          Date.now() >= this.#nextClaimAt;
        if (more) continue;
        if (this.#inFlight > 0) await this.#sleep(BATCH_TICK_MS);
        else if (claimed === 0) await this.#sleep(Math.max(BATCH_TICK_MS, this.#nextClaimAt - Date.now()));
      } catch (error) {
        this.logger.error({ err: error }, 'webhook delivery loop failed; retrying');
        await this.#sleep(this.config.WEBHOOK_POLL_INTERVAL_MS * 5);
      }
    }
  }

  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#inFlight > 0 && Date.now() < deadline) await this.#sleep(50);
    await this.#flush().catch((error: unknown) =>
      this.logger.warn({ err: error }, 'webhook outcomes not recorded at shutdown; they will be retried'),
    );
  }

  async #claim(limit: number): Promise<number> {
    const perEndpoint = this.config.WEBHOOK_CONCURRENCY_PER_ENDPOINT;
    const held = [...this.#perEndpoint];
    // Endpoints are visited in random order and each gives at most what is left of its share (the cap
    // minus what this process already has in flight to it), so a backlog or a hanging receiver on one
    // endpoint never takes more than WEBHOOK_CONCURRENCY_PER_ENDPOINT slots and never starves the others.
    const { rows } = await sql<Claimed>`
      with held as (
        select * from unnest(${held.map(([id]) => id)}::text[], ${held.map(([, n]) => n)}::int4[]) as h(id, n)
      ),
      due as (
        select d.id
        from (
          select e.id, ${perEndpoint}::int4 - coalesce(h.n, 0) as share
          from webhook_endpoints e left join held h on h.id = e.id
          where e.enabled and coalesce(h.n, 0) < ${perEndpoint}::int4
          order by random()
        ) ep
        cross join lateral (
          select d.id from webhook_deliveries d
          where d.endpoint_id = ep.id and d.status = 'pending' and d.next_attempt_at <= now()
          order by d.next_attempt_at
          limit ep.share
          for update skip locked
        ) d
        limit ${limit}
      )
      update webhook_deliveries d
      set next_attempt_at = clock_timestamp() + ${this.#leaseMs} * interval '1 millisecond',
          lease_id = gen_random_uuid(), updated_at = clock_timestamp()
      from due, webhook_messages m, webhook_endpoints e
      where d.id = due.id and m.id = d.message_id and e.id = d.endpoint_id
      returning d.id, d.attempts, d.lease_id, d.message_id, m.payload, e.id as endpoint_id, e.url, e.secret,
                e.previous_secret, e.previous_secret_expires_at`.execute(this.db);
    // Each endpoint's secrets are opened once per batch, however many of its deliveries it holds.
    const signing = new Map<string, string[] | Error>();
    for (const delivery of rows) {
      let keys = signing.get(delivery.endpoint_id);
      if (keys === undefined) {
        try {
          keys = openSigningSecrets(this.secrets, { ...delivery, id: delivery.endpoint_id });
        } catch (error) {
          keys = error as Error;
          this.logger.error(
            { err: error, endpoint_id: delivery.endpoint_id },
            'webhook endpoint signing secret cannot be opened',
          );
        }
        signing.set(delivery.endpoint_id, keys);
      }
      if (keys instanceof Error) {
        // Never sent unsigned: recorded as a failed attempt, retried (and the endpoint disabled) as any failure.
        const error = `signing secret cannot be opened: ${keys.message}`;
        this.#outcomes.push({ statusCode: null, excerpt: null, error, durationMs: 0, delivery });
      } else this.#send(delivery, keys);
    }
    return rows.length;
  }

  #send(delivery: Claimed, secrets: string[]): void {
    this.#inFlight += 1;
    this.#perEndpoint.set(delivery.endpoint_id, (this.#perEndpoint.get(delivery.endpoint_id) ?? 0) + 1);
    const headers = webhookHeaders(secrets, delivery.message_id, delivery.payload);
    postWebhook(delivery.url, delivery.payload, headers, {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE_URLS,
    }).then((result) => {
      this.#inFlight -= 1;
      const left = (this.#perEndpoint.get(delivery.endpoint_id) ?? 1) - 1;
      if (left > 0) this.#perEndpoint.set(delivery.endpoint_id, left);
      else this.#perEndpoint.delete(delivery.endpoint_id);
      this.#outcomes.push({ ...result, delivery });
      // A freed slot (of this process, of the endpoint) may make due deliveries claimable again.
      this.#nextClaimAt = 0;
      // The loop wakes when it is idle or a batch of slots is free again; otherwise it collects
      // outcomes at its next tick.
      if (this.#inFlight === 0 || this.config.WEBHOOK_CONCURRENCY - this.#inFlight === this.#batch)
        this.wake();
    });
  }

  /** Records a batch of outcomes in one short transaction: attempts, deliveries, endpoint health. */
  async #flush(): Promise<void> {
    if (this.#outcomes.length === 0) return;
    const outcomes = this.#outcomes;
    this.#outcomes = [];
    const schedule = this.config.WEBHOOK_RETRY_SCHEDULE_SECONDS;
    const now = Date.now();
    const rows = outcomes.map((o): RecordedOutcome => {
      const attempt = o.delivery.attempts + 1;
      const ok = o.statusCode !== null && o.statusCode >= 200 && o.statusCode < 300;
      const delay = ok ? undefined : schedule[attempt];
      const next = delay === undefined ? null : new Date(now + delay * 1000).toISOString();
      return { o, attempt, ok, next, status: ok ? 'succeeded' : next === null ? 'failed' : 'pending' };
    });
    const healthy = new Set(rows.filter((r) => r.ok).map((r) => r.o.delivery.endpoint_id));
    const failures = new Map<string, number>();
    for (const r of rows) {
      const id = r.o.delivery.endpoint_id;
      if (!r.ok && !healthy.has(id)) failures.set(id, (failures.get(id) ?? 0) + 1);
    }
    for (let tries = 1; ; tries++) {
      try {
        // Without failures (the common case) the batch is one statement, atomic by itself: one round
        // trip instead of BEGIN, two or three writes and COMMIT. Failures may disable endpoints and
        // enqueue their events: a transaction then.
        if (failures.size === 0) await this.#record(this.db, rows, healthy);
        else
          await this.db.transaction().execute(async (trx) => {
            await this.#record(trx, rows, healthy);
            await this.#recordFailures(trx, failures);
          });
        return;
      } catch (error) {
        // An endpoint deleted between the filter and the insert: once more, and its deliveries are gone.
        if (tries === 1 && isForeignKeyViolation(error)) continue;
        // Unrecorded outcomes are not lost work: their leases lapse and they are sent again.
        this.logger.error({ err: error, outcomes: outcomes.length }, 'webhook outcomes not recorded');
        return;
      }
    }
  }

  /**
   * Writes a batch's attempts, delivery states and the health of endpoints that answered, in one
   * statement (its parts see the same snapshot and touch different tables).
   */
  async #record(db: Db, rows: RecordedOutcome[], healthy: Set<string>): Promise<void> {
    const col = <T>(f: (r: RecordedOutcome) => T) => rows.map(f);
    await sql`
      with u as (
        select * from unnest(${col((r) => r.o.delivery.id)}::int8[], ${col((r) => r.o.delivery.lease_id)}::uuid[],
                             ${col((r) => r.o.delivery.endpoint_id)}::text[], ${col((r) => r.o.delivery.message_id)}::text[],
                             ${col((r) => r.attempt)}::int4[], ${col((r) => r.o.statusCode)}::int4[],
                             ${col((r) => r.o.excerpt)}::text[], ${col((r) => r.o.error)}::text[],
                             ${col((r) => r.o.durationMs)}::int4[], ${col((r) => r.next)}::timestamptz[],
                             ${col((r) => r.status)}::text[])
          as u(delivery_id, lease, endpoint_id, message_id, attempt, status_code, response_excerpt, error,
               duration_ms, next_attempt_at, status)
      ),
      attempts as (
        insert into webhook_attempts (delivery_id, endpoint_id, message_id, attempt, status_code, response_excerpt,
                                      error, duration_ms, next_attempt_at)
        select delivery_id, endpoint_id, message_id, attempt, status_code, response_excerpt, error, duration_ms,
               next_attempt_at
        from u
        -- A delivery whose endpoint (or message) was deleted while it was in flight has nothing to record.
        where exists (select 1 from webhook_deliveries d where d.id = u.delivery_id)
      ),
      deliveries as (
        -- A lapsed lease (this process was too slow) leaves the delivery to whoever claimed it since.
        update webhook_deliveries d
        set status = u.status, attempts = u.attempt, next_attempt_at = u.next_attempt_at, lease_id = null,
            updated_at = clock_timestamp()
        from u
        where d.id = u.delivery_id and d.lease_id = u.lease
      ),
      endpoints as (
        update webhook_endpoints e
        set failing_since = null, consecutive_failures = 0
        where e.id = any(${[...healthy]}::text[])
          and (e.failing_since is not null or e.consecutive_failures > 0)
      )
      select 1`.execute(db);
  }

  async #recordFailures(trx: Db, failures: Map<string, number>): Promise<void> {
    await sql`
      update webhook_endpoints e
      set failing_since = coalesce(e.failing_since, clock_timestamp()),
          consecutive_failures = e.consecutive_failures + u.n
      from unnest(${[...failures.keys()]}::text[], ${[...failures.values()]}::int4[]) as u(id, n)
      where e.id = u.id`.execute(trx);
    const disabled = await trx
      .updateTable('webhook_endpoints')
      .set({
        enabled: false,
        disabled_reason: 'disabled after failing persistently',
        updated_at: new Date(),
      })
      .where('id', 'in', [...failures.keys()])
      .where('enabled', '=', true)
      .where('consecutive_failures', '>=', this.config.WEBHOOK_DISABLE_MIN_FAILURES)
      .where('failing_since', '<=', new Date(Date.now() - this.config.WEBHOOK_DISABLE_AFTER_SECONDS * 1000))
      .returning(['id', 'developer_id', 'url', 'failing_since', 'consecutive_failures'])
      .execute();
    for (const endpoint of disabled) {
      this.logger.warn({ endpoint_id: endpoint.id, url: endpoint.url }, 'webhook endpoint disabled');
    }
    await enqueueWebhookEvents(
      trx,
      disabled.map((endpoint) => ({
        type: 'endpoint.disabled',
        developerId: endpoint.developer_id,
        data: {
          endpoint_id: endpoint.id,
          url: endpoint.url,
          failing_since: endpoint.failing_since?.toISOString() ?? null,
          consecutive_failures: endpoint.consecutive_failures,
        },
      })),
    );
  }
}
