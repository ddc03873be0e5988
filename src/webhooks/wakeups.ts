import pg from 'pg';
import type { NotificationSource } from '../db/database.ts';
import type { Logger } from '../shared/logger.ts';

/** First wait before reconnecting a dropped LISTEN connection; doubled per failed try up to the max. */
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;
/**
 * A LISTEN connection that went silent (a link that hangs, not one that closes) is noticed by a query
 * this often; one that has no answer within HEARTBEAT_TIMEOUT_MS is dropped and opened again.
 */
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

export interface DeliveryWakeups {
  close(): Promise<void>;
}

/**
 * Calls `wake` for each notification on `channel`, and once each time listening (re)starts, since
 * whatever was committed while nobody listened was not heard. Never throws: while listening is down,
 * the delivery loop's polling alone keeps deliveries going.
 */
export function listenForWakeups(
  source: NotificationSource,
  channel: string,
  wake: () => void,
  logger: Logger,
): DeliveryWakeups {
  if (source.kind === 'pglite') {
    const listening = source.listen(channel, wake).then(
      (unlisten) => {
        wake();
        return unlisten;
      },
      (error: unknown) => {
        logger.warn({ err: error }, 'webhook wake-ups unavailable; delivery relies on polling');
        return undefined;
      },
    );
    return {
      async close() {
        await (await listening)?.().catch(() => {});
      },
    };
  }
  return new PostgresListener(source.url, channel, wake, logger);
}

/**
 * One dedicated `pg.Client` per delivery process holding `LISTEN <channel>` (a pooled connection would
 * drop its LISTEN when released), opened again with backoff whenever it is lost.
 */
class PostgresListener implements DeliveryWakeups {
  #client: pg.Client | undefined;
  #closed = false;
  #retryMs = RECONNECT_MIN_MS;
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly wake: () => void,
    private readonly logger: Logger,
  ) {
    void this.#connect();
  }

  async #connect(): Promise<void> {
    this.#timer = undefined;
    if (this.#closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 10_000,
      query_timeout: HEARTBEAT_TIMEOUT_MS,
      keepAlive: true,
    });
    this.#client = client;
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      clearInterval(this.#heartbeat);
      client.end().catch(() => {});
      if (this.#closed || this.#client !== client) return;
      this.#client = undefined;
      this.logger.warn(
        { err: error && { code: (error as { code?: string }).code, message: error.message } },
        'webhook LISTEN connection lost; polling until it is back',
      );
      this.#retry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel === this.channel) this.wake();
    });
    try {
      await client.connect();
      await client.query(`listen ${this.channel}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (this.#closed || lost) return;
    this.#retryMs = RECONNECT_MIN_MS;
    this.#heartbeat = setInterval(() => {
      client.query('select 1').catch((error: Error) => onLost(error));
    }, HEARTBEAT_MS);
    this.#heartbeat.unref();
    // Whatever was committed while this connection was down was not heard.
    this.wake();
  }

  #retry(): void {
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
    this.#timer = setTimeout(() => void this.#connect(), delay);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
