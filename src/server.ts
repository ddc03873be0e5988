import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createAdaptorServer } from '@hono/node-server';
import { countDevelopers } from './developers/developers.repo.ts';
import { createApp } from './http/app.ts';
import type { ShutdownBindings } from './http/sse.ts';
import type { Platform } from './platform.ts';

export interface RunningServer {
  url: string;
  port: number;
  /**
   * Stops accepting connections, ends open SSE streams (clients reconnect elsewhere) and waits for
   * in-flight requests (up to the timeout). Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

const LISTEN_BACKLOG = 65_535;

export async function startServer(platform: Platform): Promise<RunningServer> {
  const { config } = platform;
  const app = createApp(platform.deps, { ping: platform.database.ping });
  // Every request sees this signal (`sseResponse` ends its stream on it); close() aborts it.
  const shutdown = new AbortController();
  const handle = (request: Request, env: object) =>
    app.fetch(request, { ...env, shutdown: shutdown.signal } satisfies ShutdownBindings);
  // Without `createServer` options, this is a node:http server.
  const server = createAdaptorServer({ fetch: handle, hostname: config.HOST }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Node's default accept backlog is 511: a connect storm (bench:sse, 2,000 SSE clients/s) overflowed it
    // and clients saw resets. The kernel clamps this to net.core.somaxconn (4096 on Linux since 5.4).
    server.listen({ host: config.HOST, port: config.PORT, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('clientError', answerClientError);
  const port = (server.address() as AddressInfo).port;
  const url = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          platform.logger.warn('shutdown timeout reached; closing remaining connections');
          server.closeAllConnections();
        }, config.SHUTDOWN_TIMEOUT_MS);
        timer.unref();
        // Keep-alive connections fall idle as their last response (an ended stream among them) finishes.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        idle.unref();
        server.close(() => {
          clearTimeout(timer);
          clearInterval(idle);
          resolve();
        });
        shutdown.abort();
        server.closeIdleConnections();
      })),
  };
}

/**
 * Node's HTTP parser refuses a malformed request (bad request line, NUL or control bytes in a header,
 * headers too large) before any route runs, and by default answers an empty 400. Answer it as every
 * other error is answered, `{detail}`, and close the connection: its byte stream cannot be trusted.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A response already under way on this connection cannot be followed by another.
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, detail] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'Request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request was not received in time']
        : [400, 'Bad Request', 'Malformed HTTP request'];
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** What a newcomer sees on start: where it runs, and the next command to type. */
export async function welcomeBanner(platform: Platform, url: string): Promise<string> {
  const { config } = platform;
  const storage =
    config.mode === 'embedded'
      ? `embedded PGlite database ${config.dataDir ? `in ${config.dataDir}` : 'in memory (nothing is kept)'}`
      : `PostgreSQL (schema "${config.DATABASE_SCHEMA}")`;
  const lines = [
    '',
    `  WearLink is running at ${url}`,
    `  Storage:  ${storage}${platform.redis ? ', Redis for rate limits and events' : ''}`,
    `  Dashboard: ${url}/   API docs: ${url}/docs   OpenAPI: ${url}/api/v1/openapi.json`,
  ];
  const noAccountYet = (await countDevelopers(platform.deps.db)) === 0;
  if (noAccountYet && config.REGISTRATION_MODE === 'closed') {
    lines.push(
      '',
      '  No developer account yet, and registration is closed (REGISTRATION_MODE=closed). Create one with:',
      '',
      '    wearlink developer create --email you@example.com --name "Your Name"',
    );
  } else if (noAccountYet) {
    lines.push(
      '',
      `  No developer account yet. Sign up at ${url}/signup, or create the first one from a shell`,
      '  (it returns your API key once):',
      '',
      `    curl -X POST ${url}/api/v1/auth/register \\`,
      `      -H 'Content-Type: application/json' \\`,
      `      -d '{"email": "you@example.com", "password": "choose-a-long-password", "name": "Your Name"}'`,
    );
  }
  lines.push('', '  Stop with Ctrl+C.', '');
  return lines.join('\n');
}
