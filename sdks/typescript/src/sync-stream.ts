import { errorFromResponse, type WearLinkError } from './errors.ts';
import type { components } from './generated/openapi.ts';
import type { Transport } from './http.ts';

export type SyncStatusEvent = components['schemas']['SyncStatusEvent'];

export interface ReconnectInfo {
  /** Reconnects so far in this subscription, this one included. */
  attempt: number;
  /** Sent as Last-Event-ID: the stream resumes right after it. */
  lastEventId: string | undefined;
  /** Why the previous connection ended (undefined when the server closed it normally). */
  error: unknown;
  /** How long the subscription waits before connecting again. */
  delayMs: number;
}

export interface SyncStreamOptions {
  /** Each sync event, once, in order (`id` is the SSE event id). */
  onEvent: (event: SyncStatusEvent, id: string) => void;
  /** Each time a connection is established (`reconnect` false for the first). */
  onOpen?: ((info: { reconnect: boolean; lastEventId: string | undefined }) => void) | undefined;
  /** Each time the connection dropped and the subscription is about to connect again. */
  onReconnect?: ((info: ReconnectInfo) => void) | undefined;
  /** A refusal that reconnecting cannot fix (401, 403, 404, 422): the subscription ends. */
  onError?: ((error: WearLinkError) => void) | undefined;
  /** Ends the subscription. */
  signal?: AbortSignal | undefined;
  /** Resume after this event id instead of replaying the latest events. */
  lastEventId?: string | undefined;
  /** Events replayed on the first connection (server default 20, max 200); ignored with lastEventId. */
  replay?: number | undefined;
  /** First reconnect delay; default the server's `retry:` hint (3 s), doubling while attempts fail. */
  reconnectDelayMs?: number | undefined;
  maxReconnectDelayMs?: number | undefined;
  /** Give up after this many reconnects in a row without getting through (default: never). */
  maxReconnects?: number | undefined;
  /** A connection silent this long (the server sends a heartbeat every 15 s) is dropped and reopened. */
  idleTimeoutMs?: number | undefined;
}

export interface SyncSubscription {
  /** Ends the subscription (same as aborting `signal`). */
  close(): void;
  /** Settles when the subscription ends: resolves on close, rejects with the error given to onError. */
  readonly done: Promise<void>;
  /** The id of the last event delivered. */
  readonly lastEventId: string | undefined;
  /** Reconnects so far. */
  readonly reconnects: number;
}

/** Refusals that reconnecting cannot fix; everything else (network, 5xx, 429, a closed stream) is retried. */
const FATAL_STATUSES = new Set([400, 401, 403, 404, 422]);
/** Ids remembered for de-duplication: more than a replay or a resume can repeat. */
const SEEN_LIMIT = 20_000;

interface SseMessage {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * An incremental Server-Sent Events parser (the WHATWG algorithm): fed text chunks, calls back per message
 * and per `retry:` field. The last event id carries over between messages, as the spec says.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  private sawCr = false;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => {},
  ) {}

  feed(chunk: string): void {
    let text = chunk;
    // A CRLF split across chunks: the LF belongs to the CR already handled.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.sawCr = false;
    this.buffer += text;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (match === null) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (match[0] === '\r' && this.buffer === '') this.sawCr = true;
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === '') {
      if (this.data.length > 0) {
        this.onMessage({ event: this.event || 'message', data: this.data.join('\n'), id: this.id });
      }
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** `client.sync.stream(userId, options)`: see SyncStreamOptions. */
export function subscribeSyncStream(
  transport: Transport,
  userId: string,
  options: SyncStreamOptions,
): SyncSubscription {
  const controller = new AbortController();
  const stop = () => controller.abort();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });

  const seen = new Set<string>();
  let lastEventId = options.lastEventId;
  let reconnects = 0;
  let failuresInARow = 0;
  let serverRetryMs: number | undefined;
  const baseDelay = () => options.reconnectDelayMs ?? serverRetryMs ?? 1000;
  const maxDelay = options.maxReconnectDelayMs ?? 30_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  const path = `/api/v1/users/${encodeURIComponent(userId)}/sync/stream`;

  const deliver = (message: SseMessage) => {
    if (message.event !== 'sync.status') return;
    const id = message.id ?? '';
    if (id !== '') {
      if (seen.has(id)) return;
      seen.add(id);
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
      lastEventId = id;
    }
    options.onEvent(JSON.parse(message.data) as SyncStatusEvent, id);
  };

  /** One connection: resolves when it ends (normally or not), with why; throws only fatal refusals. */
  const connect = async (reconnect: boolean): Promise<unknown> => {
    const connection = new AbortController();
    const abortConnection = () => connection.abort();
    controller.signal.addEventListener('abort', abortConnection, { once: true });
    let idle: ReturnType<typeof setTimeout> | undefined;
    const armIdle = () => {
      clearTimeout(idle);
      idle = setTimeout(() => connection.abort(new Error('stream idle')), idleTimeoutMs);
    };
    try {
      const headers: Record<string, string> = { Accept: 'text/event-stream', ...transport.authHeaders() };
      if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
      const query =
        lastEventId === undefined && options.replay !== undefined ? { replay: options.replay } : {};
      armIdle();
      const response = await transport.fetchImpl(transport.url(path, query), {
        headers,
        signal: connection.signal,
      });
      if (!response.ok) {
        const error = errorFromResponse(response, await response.text().catch(() => ''));
        if (FATAL_STATUSES.has(response.status)) throw error;
        if (error.status === 429 && 'retryAfter' in error && typeof error.retryAfter === 'number') {
          serverRetryMs = error.retryAfter * 1000;
        }
        return error;
      }
      if (response.body === null) return new Error('empty stream');
      failuresInARow = 0;
      options.onOpen?.({ reconnect, lastEventId });
      const parser = new SseParser(deliver, (ms) => {
        serverRetryMs = ms;
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        armIdle();
        parser.feed(value);
      }
    } catch (error) {
      if (isFatal(error)) throw error;
      return error;
    } finally {
      clearTimeout(idle);
      controller.signal.removeEventListener('abort', abortConnection);
      connection.abort();
    }
  };

  const run = async () => {
    let reconnect = false;
    while (!controller.signal.aborted) {
      const ended = await connect(reconnect);
      if (controller.signal.aborted) return;
      failuresInARow += 1;
      if (options.maxReconnects !== undefined && failuresInARow > options.maxReconnects) {
        throw ended instanceof Error ? ended : new Error('The sync stream could not be reopened');
      }
      // The first reconnect after a working connection waits the base delay; failures in a row back off.
      const delayMs = Math.min(maxDelay, baseDelay() * 2 ** Math.max(0, failuresInARow - 1));
      reconnects += 1;
      options.onReconnect?.({ attempt: reconnects, lastEventId, error: ended, delayMs });
      await sleep(delayMs, controller.signal);
      reconnect = true;
    }
  };

  const done = run().then(
    () => undefined,
    (error: unknown) => {
      if (isFatal(error)) options.onError?.(error);
      throw error;
    },
  );
  // Whoever awaits `done` sees a failure; nobody awaiting it is not an unhandled rejection.
  done.catch(() => {});
  done.finally(() => options.signal?.removeEventListener('abort', stop)).catch(() => {});

  return {
    close: stop,
    done,
    get lastEventId() {
      return lastEventId;
    },
    get reconnects() {
      return reconnects;
    },
  };
}

function isFatal(error: unknown): error is WearLinkError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'status' in error &&
    FATAL_STATUSES.has((error as WearLinkError).status)
  );
}
