/**
 * Server-Sent Events over fetch + ReadableStream. EventSource cannot send an Authorization header (the
 * dashboard's session is a bearer JWT), and it does not say why a connection failed; this client can do
 * both. It parses the stream as the HTML standard describes, remembers the last event id, and after any
 * drop (network error, the server closing, a 5xx, a silent socket) reconnects with `Last-Event-ID`, so
 * the server sends exactly the events after it. Events whose id was already delivered are dropped, so
 * a server that replays more than asked never shows an event twice.
 *
 * Only fetch, ReadableStream, TextDecoder, AbortController and timers are used: it runs unchanged in the
 * browser and in Node 20 (the unit tests drive it against a real server).
 */

export interface SseMessage {
  /** The `id:` in effect for this message (the last one seen on the stream), if any. */
  id: string | undefined;
  /** `event:` or `message`. */
  event: string;
  data: string;
}

/**
 * An incremental SSE parser: feed it decoded text as it arrives, in chunks cut anywhere; it returns
 * the messages completed by that chunk. A message cut off by the end of the stream never comes out.
 */
export class SseParser {
  #buffer = '';
  /** The previous chunk ended in `\r`: a `\n` starting the next one belongs to the same line end. */
  #pendingCr = false;
  #data: string[] = [];
  #hasData = false;
  #event = '';
  #lastEventId: string | undefined;
  /** `retry:` as the server last set it (milliseconds). */
  retryMs: number | undefined;
  /** Comment lines (`: connected`, `: heartbeat`), for callers that care. */
  onComment: ((text: string) => void) | undefined;

  constructor(lastEventId?: string) {
    this.#lastEventId = lastEventId;
  }

  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  feed(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const cr = this.#buffer.indexOf('\r', start);
      const lf = this.#buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      const line = this.#buffer.slice(start, end);
      if (end === cr && this.#buffer[end + 1] === '\n') start = end + 2;
      else {
        start = end + 1;
        // A `\r` at the very end of the text: its `\n` may be the first byte of the next chunk.
        if (end === cr && end === this.#buffer.length - 1) this.#pendingCr = true;
      }
      const message = this.#line(line);
      if (message !== undefined) out.push(message);
    }
    this.#buffer = this.#buffer.slice(start);
    return out;
  }

  /** Forgets a half-received message (the stream ended): the next connection starts clean. */
  reset(): void {
    this.#buffer = '';
    this.#pendingCr = false;
    this.#data = [];
    this.#hasData = false;
    this.#event = '';
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) {
      this.onComment?.(line.slice(1).trimStart());
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        this.#hasData = true;
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const event = this.#event || 'message';
    const hasData = this.#hasData;
    const data = this.#data.join('\n');
    this.#data = [];
    this.#hasData = false;
    this.#event = '';
    if (!hasData) return undefined;
    return { id: this.#lastEventId, event, data };
  }
}

export type SseState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface SseStatus {
  state: SseState;
  /** Connections made after the first one. */
  reconnects: number;
  lastEventId: string | undefined;
  /** Why the last connection ended or failed, when it did. */
  error: string | undefined;
}

export class SseHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
  }
}

export interface SseOptions {
  url: string;
  /** Headers for each connection attempt (called every time, so a refreshed token is used). */
  headers?: () => Record<string, string> | Promise<Record<string, string>>;
  onMessage: (message: SseMessage) => void;
  onStatus?: (status: SseStatus) => void;
  /**
   * A 401: resolve once the credentials are fresh (the dashboard asks the user to sign in again) and
   * the client reconnects; reject (or leave unset) to stop.
   */
  onUnauthorized?: () => Promise<void>;
  /** Start after this id (a page that already showed events up to it). */
  lastEventId?: string;
  /** Backoff between reconnects: doubles from min to max; back to min once a connection has opened. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * No byte (not even a heartbeat comment) for this long: the connection is taken as dead and replaced.
   * The WearLink stream sends `: heartbeat` every 15 s.
   */
  idleTimeoutMs?: number;
  /** Ids remembered for de-duplication (the most recent ones). */
  dedupeWindow?: number;
  fetch?: typeof fetch;
}

export interface SseConnection {
  readonly status: SseStatus;
  close(): void;
  /** Drops the current connection now (as a network failure would); the client reconnects. */
  reconnect(): void;
}

/** HTTP statuses that will not change by retrying: the client stops. */
const fatalStatuses = new Set([400, 403, 404, 405, 410, 422]);

export function openSse(options: SseOptions): SseConnection {
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 5000;
  const idleTimeout = options.idleTimeoutMs ?? 45_000;
  const dedupeWindow = options.dedupeWindow ?? 5000;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const seen = new Set<string>();
  const status: SseStatus = {
    state: 'connecting',
    reconnects: 0,
    lastEventId: options.lastEventId,
    error: undefined,
  };
  let closed = false;
  let attempt: AbortController | undefined;
  let wake: (() => void) | undefined;

  const report = (patch: Partial<SseStatus>) => {
    Object.assign(status, patch);
    options.onStatus?.({ ...status });
  };

  const remember = (id: string) => {
    seen.add(id);
    if (seen.size > dedupeWindow) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };

  /** One connection: resolves when it ends (any way); throws SseHttpError for a refused request. */
  const connectOnce = async (controller: AbortController): Promise<boolean> => {
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      ...(await options.headers?.()),
    };
    if (status.lastEventId !== undefined) headers['last-event-id'] = status.lastEventId;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(new Error('no data from the stream')), idleTimeout);
    };
    touch();
    let opened = false;
    try {
      const response = await doFetch(options.url, { headers, signal: controller.signal });
      if (!response.ok || response.body === null) {
        const body = await response.text().catch(() => '');
        throw new SseHttpError(response.status, body.slice(0, 500));
      }
      opened = true;
      report({ state: 'open', error: undefined });
      const parser = new SseParser(status.lastEventId);
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          touch();
          for (const message of parser.feed(decoder.decode(value, { stream: true }))) {
            // The id moves on even for a message already delivered: resuming starts after it.
            if (message.id) {
              status.lastEventId = message.id;
              if (seen.has(message.id)) continue;
              remember(message.id);
            }
            if (closed) return opened;
            options.onMessage(message);
          }
        }
      } finally {
        reader.cancel().catch(() => {});
      }
      return opened;
    } catch (error) {
      if (error instanceof SseHttpError) throw error;
      // A network failure, an abort (idle, reconnect()) or a broken body: reconnect.
      return opened;
    } finally {
      clearTimeout(idle);
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const run = async () => {
    let delay = minDelay;
    for (let first = true; !closed; first = false) {
      if (!first) report({ reconnects: status.reconnects + 1 });
      const controller = new AbortController();
      attempt = controller;
      let opened = false;
      try {
        opened = await connectOnce(controller);
        if (!closed) report({ error: 'The connection dropped' });
      } catch (error) {
        if (closed) break;
        const http = error as SseHttpError;
        if (http.status === 401 && options.onUnauthorized) {
          try {
            report({ state: 'reconnecting', error: 'Signed out' });
            await options.onUnauthorized();
            continue; // fresh credentials: at once
          } catch {
            closed = true;
            report({ state: 'closed', error: 'Not signed in' });
            return;
          }
        }
        if (fatalStatuses.has(http.status) || http.status === 401) {
          closed = true;
          report({ state: 'closed', error: `${http.message}${http.body ? `: ${http.body}` : ''}` });
          return;
        }
        report({ error: http.message });
      }
      if (closed) break;
      if (opened) delay = minDelay;
      report({ state: 'reconnecting' });
      await sleep(delay);
      delay = Math.min(maxDelay, delay * 2);
    }
  };

  void run();

  return {
    get status() {
      return { ...status };
    },
    close() {
      if (closed) return;
      closed = true;
      attempt?.abort();
      wake?.();
      report({ state: 'closed' });
    },
    reconnect() {
      attempt?.abort();
    },
  };
}
