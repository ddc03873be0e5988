import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line, whatever object they appear in. */
const redactPaths = [
  'password',
  '*.password',
  'password_hash',
  '*.password_hash',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'key',
  '*.key',
  'key_hash',
  '*.key_hash',
  'api_key',
  '*.api_key',
  'secret',
  '*.secret',
  'previous_secret',
  '*.previous_secret',
  'jwtSecret',
  '*.jwtSecret',
  'encryptionKey',
  '*.encryptionKey',
  'params',
  '*.params',
  'parameters',
  '*.parameters',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["x-wearlink-api-key"]',
  '*.headers["x-wearlink-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
];

/**
 * What database drivers attach to an error about the statement that failed, dropped from every logged
 * error at any depth: PGlite adds the bound `params` (names, emails, password and API-key hashes,
 * webhook secrets), and PostgreSQL's `detail`/`where` quote row values ("Key (email)=(…) already exists",
 * "Failing row contains (…)", "COPY samples, line 3, column value: …"). The message, code, constraint and
 * table stay, which is what a reader of the log needs.
 */
const droppedErrorKeys = new Set([
  'params',
  'parameters',
  'values',
  'bindings',
  'queryOptions',
  'detail',
  'where',
  'internalQuery',
]);

/** Keys whose values are credentials wherever they sit inside a logged error (e.g. a request config). */
const sensitiveKeys = new Set([
  'password',
  'password_hash',
  'passwordhash',
  'access_token',
  'refresh_token',
  'token',
  'key',
  'key_hash',
  'api_key',
  'apikey',
  'secret',
  'previous_secret',
  'jwtsecret',
  'encryptionkey',
  'authorization',
  'cookie',
  'x-api-key',
  'x-wearlink-api-key',
]);

const MAX_QUERY_CHARS = 2000;
const MAX_DEPTH = 8;

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  if (depth > MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) {
    if (droppedErrorKeys.has(name)) continue;
    if (sensitiveKeys.has(name.toLowerCase())) out[name] = '[redacted]';
    else if (name === 'query' && typeof inner === 'string' && inner.length > MAX_QUERY_CHARS) {
      out[name] = `${inner.slice(0, MAX_QUERY_CHARS)}…`;
    } else out[name] = scrub(inner, depth + 1, seen);
  }
  return out;
}

/**
 * The serializer of every logged error (`err`, `error`, `cause`): pino's own (type, message, stack,
 * causes), then the statement data above removed, so that no call site can leak it by logging an error.
 */
export function serializeError(error: unknown): unknown {
  const serialized = error instanceof Error ? pino.stdSerializers.errWithCause(error) : error;
  return scrub(serialized, 0, new WeakSet());
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError, cause: serializeError },
      base: { service: 'wearlink' },
    },
    destination,
  );
}

/** Strips credentials that may ride in a query string (SSE `access_token`) before a URL is logged. */
export function redactUrl(pathAndQuery: string): string {
  return pathAndQuery.replace(/([?&](?:access_token|token|key)=)[^&]*/gi, '$1[redacted]');
}
