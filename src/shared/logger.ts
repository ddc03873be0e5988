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
  'key',
  '*.key',
  'api_key',
  '*.api_key',
  'secret',
  '*.secret',
  'jwtSecret',
  '*.jwtSecret',
  'encryptionKey',
  '*.encryptionKey',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-api-key"]',
  '*.headers["x-api-key"]',
  'headers["x-wearlink-api-key"]',
  '*.headers["x-wearlink-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { service: 'wearlink' } },
    destination,
  );
}

/** Strips credentials that may ride in a query string (SSE `access_token`) before a URL is logged. */
export function redactUrl(pathAndQuery: string): string {
  return pathAndQuery.replace(/([?&](?:access_token|token|key)=)[^&]*/gi, '$1[redacted]');
}
