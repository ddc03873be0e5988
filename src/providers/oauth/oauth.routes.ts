import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditRequest } from '../../audit/audit-log.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { authenticate, requireRole } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security, UserIdField } from '../../http/openapi.ts';
import { NotFoundError } from '../../shared/errors.ts';
import { findUser } from '../../users/users.repo.ts';
import { completeAuthorization } from './callback.ts';
import { registerConnectRoutes } from './connect.routes.ts';
import { authorizeFor } from './provider-lookup.ts';
import { callbackUrl } from './public-url.ts';

const ProviderParam = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,49}$/, 'provider must be a provider slug')
  .openapi({ param: { name: 'provider', in: 'path' }, example: 'oura' });

const AuthorizeQuery = z.object({
  user_id: UserIdField.openapi({ param: { name: 'user_id', in: 'query' } }),
  redirect_uri: z
    .string()
    .min(1)
    .max(2000)
    .openapi({
      param: { name: 'redirect_uri', in: 'query' },
      description: 'Where the user returns after consent (http or https), with the outcome in its query',
      example: 'https://app.example.com/connected',
    }),
});

const AuthorizationStart = z
  .object({
    authorization_url: z
      .url()
      .openapi({ description: "The vendor's consent page: send the user's browser here" }),
    state: z.string().openapi({ description: 'Single-use, bound to this developer, user and provider' }),
    expires_at: z.string().openapi({ description: 'After this the consent must be started again' }),
  })
  .openapi('AuthorizationStart');

const CALLBACK_PATHS = [
  '/api/v1/providers/{provider}/callback',
  '/v1/providers/{provider}/callback',
] as const;

/**
 * OAuth connect: `GET /api/v1/providers/{provider}/authorize` (developer auth) starts a consent for one
 * user; the vendor sends the browser to the callback (no WearLink credential: the state is the
 * credential), which connects and redirects to the developer's `redirect_uri`. The hosted connect page
 * (`POST /api/v1/users/{user_id}/connect-link`, `GET /connect/{token}`) is registered here too.
 */
export function registerOAuthRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/providers/{provider}/authorize',
      tags: ['Providers'],
      security: security.developer,
      middleware: [authenticate(tokens), requireRole('admin')], // starts a connection: not for viewers
      summary: "Start connecting a user: the vendor's consent URL",
      description:
        "Send the user's browser to `authorization_url`. After consent the vendor returns to WearLink's callback, which stores the connection, starts the historical sync and redirects to `redirect_uri` with `status=success&provider&connection_id` or `status=error&error&detail`. The state is single-use and expires after OAUTH_STATE_TTL_SECONDS.",
      request: { params: z.object({ provider: ProviderParam }), query: AuthorizeQuery },
      responses: {
        200: { description: 'Consent URL', content: { 'application/json': { schema: AuthorizationStart } } },
        ...pickErrors(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { provider } = c.req.valid('param');
      const { user_id, redirect_uri } = c.req.valid('query');
      const { developerId } = c.var.principal;
      if ((await findUser(c.var.deps.db, developerId, user_id)) === undefined)
        throw new NotFoundError('User not found');
      const start = await authorizeFor(c.var.deps, {
        provider,
        developerId,
        userId: user_id,
        redirectUri: redirect_uri,
        callbackUrl: callbackUrl(c, provider),
      });
      return c.json(start, 200);
    },
  );

  for (const path of CALLBACK_PATHS) {
    const alias = path.startsWith('/v1/');
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['Providers'],
      summary: alias ? 'OAuth callback (the URL to register with vendors)' : 'OAuth callback',
      description:
        "Where the vendor returns the user's browser after consent. Redirects (302) to the developer's `redirect_uri` with the outcome; a missing, forged or already used `state` is a 400 (`state_missing`, `state_unknown`, `state_used`), since no redirect target can be trusted for it.",
      request: {
        params: z.object({ provider: ProviderParam }),
        query: z.object({
          state: z.string().optional(),
          code: z.string().optional(),
          error: z.string().optional(),
          error_description: z.string().optional(),
          scope: z.string().optional(),
        }),
      },
      responses: { 302: { description: "To the developer's redirect_uri" }, ...pickErrors(400) },
    });
    app.get(path.replace('{provider}', ':provider'), callback);
  }

  registerConnectRoutes(app, tokens);
}

async function callback(c: Context<AppEnv>): Promise<Response> {
  const provider = c.req.param('provider') ?? '';
  const q = (name: string) => c.req.query(name)?.slice(0, 4096);
  const target = await completeAuthorization(c.var.deps, {
    provider,
    query: {
      state: q('state'),
      code: q('code'),
      error: q('error'),
      error_description: q('error_description'),
      scope: q('scope'),
    },
    callbackUrl: callbackUrl(c, provider),
    request: auditRequest(c),
  });
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  return c.redirect(target, 302);
}
