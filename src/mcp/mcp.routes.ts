import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { TokenService } from '../auth/tokens.ts';
import { presentedCredential, resolvePrincipal } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, security } from '../http/openapi.ts';
import { UnauthorizedError } from '../shared/errors.ts';
import { createMcpServer } from './server.ts';
import type { ApiCaller, ToolScope } from './tools.ts';

/** The caller's own credential headers, forwarded unchanged to the in-process REST calls. */
const CREDENTIAL_HEADERS = ['authorization', 'x-wearlink-api-key', 'x-api-key'] as const;

/**
 * Who may call the endpoint: any developer credential (a viewer too: MCP is POST by protocol, but each
 * tool's REST call is checked as the viewer's own, so viewers read and cannot trigger syncs), or a
 * user-scoped SDK token, whose tools are confined to its user (ToolScope).
 */
function authenticateMcp(tokens: TokenService) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const credential = presentedCredential((name) => c.req.header(name));
    if (credential === undefined) {
      throw new UnauthorizedError(
        'Missing credentials: send X-WearLink-API-Key or Authorization: Bearer <token>',
      );
    }
    c.set('principal', await resolvePrincipal(c.var.deps, tokens, credential));
    await next();
  });
}

/**
 * Each tool call is served by the app itself (`app.request`), as the caller: the same authentication,
 * rate limits, tenant scoping, validation and serialisation as over HTTP. An SDK token is only valid on
 * /sdk routes, so its tools run on a session of its tenant minted here for this request alone (never
 * returned), and ToolScope confines every tool to the token's user.
 */
async function inProcessCaller(
  app: OpenAPIHono<AppEnv>,
  c: Context<AppEnv>,
  tokens: TokenService,
): Promise<{ call: ApiCaller; scope: ToolScope }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const principal = c.var.principal;
  let scope: ToolScope = {};
  if (principal.kind === 'sdk') {
    const session = await tokens.issue({ kind: 'developer', developerId: principal.developerId });
    headers.authorization = `Bearer ${session.access_token}`;
    scope = { userId: principal.userId };
  } else {
    for (const name of CREDENTIAL_HEADERS) {
      const value = c.req.header(name);
      if (value !== undefined) headers[name] = value;
    }
  }
  const forwardedFor = c.req.header('x-forwarded-for');
  if (forwardedFor !== undefined) headers['x-forwarded-for'] = forwardedFor;
  const call: ApiCaller = async ({ method, path, query, body }) => {
    const url = new URL(path, 'http://wearlink.internal');
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...headers, 'content-type': 'application/json' };
    }
    const env = (c.env ?? {}) as Record<string, unknown>;
    const response = await app.request(url.pathname + url.search, init, env);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return { call, scope };
}

/** JSON-RPC errors the transport answers with a 4xx carry `detail` too, as every WearLink 4xx does. */
async function withDetail(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { message: text };
  }
  const message =
    (body.error as { message?: string } | undefined)?.message ?? String(body.message ?? 'Bad request');
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return new Response(JSON.stringify({ detail: message, ...body }), { status: response.status, headers });
}

const JsonRpcMessage = z
  .union([
    z.looseObject({ jsonrpc: z.literal('2.0') }),
    z.array(z.looseObject({ jsonrpc: z.literal('2.0') })),
  ])
  .openapi('McpJsonRpcMessage', { example: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });

/**
 * The transport insists on `Accept: application/json, text/event-stream`; this endpoint always answers
 * JSON, so a client that sends only one of them (or none: curl) is served the same.
 */
function withMcpAccept(request: Request): Request {
  const accept = request.headers.get('accept') ?? '';
  if (accept.includes('application/json') && accept.includes('text/event-stream')) return request;
  const headers = new Headers(request.headers);
  headers.set('accept', 'application/json, text/event-stream');
  return new Request(request.url, { method: request.method, headers });
}

export function registerMcpRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/mcp',
      tags: ['MCP'],
      summary:
        'Model Context Protocol endpoint (streamable HTTP, stateless): tools over your users and their data',
      description:
        'For AI agents: `initialize`, `tools/list` and `tools/call` as JSON-RPC 2.0 over POST (responses as JSON). Authorised by an API key, a dashboard session, or a user-scoped SDK token (POST /users/{user_id}/token: its tools reach only that user); every tool runs the matching REST route as the caller, so tenant scoping is the same. Tools: list_users, get_daily_summaries, get_timeseries, list_workouts, list_sleep, get_scores, get_energy_balance, list_nutrition_logs, get_connections, trigger_sync.',
      security: security.developerOrSdk,
      middleware: authenticateMcp(tokens),
      request: { body: { required: true, content: { 'application/json': { schema: JsonRpcMessage } } } },
      responses: {
        200: {
          description: 'JSON-RPC response(s)',
          content: { 'application/json': { schema: z.unknown().openapi({ type: 'object' }) } },
        },
        202: { description: 'Notification accepted' },
        ...pickErrors(400, 401, 403, 413, 415, 422, 429),
      },
    }),
    async (c) => {
      const { call, scope } = await inProcessCaller(app, c, tokens);
      const server = createMcpServer(call, scope);
      // Stateless: a server and transport per request (no session to keep between nodes).
      const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
      await server.connect(transport);
      try {
        const response = await transport.handleRequest(withMcpAccept(c.req.raw), {
          parsedBody: c.req.valid('json'),
        });
        return (await withDetail(response)) as never;
      } finally {
        await server.close();
      }
    },
  );
  // Stateless: no server-initiated stream and no session to end.
  const notAllowed = (c: Context<AppEnv>) =>
    c.json({ detail: 'This MCP endpoint is stateless: send JSON-RPC with POST' }, 405, { allow: 'POST' });
  app.get('/api/v1/mcp', notAllowed);
  app.delete('/api/v1/mcp', notAllowed);
}
