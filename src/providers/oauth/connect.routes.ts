import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { TokenService } from '../../auth/tokens.ts';
import { listConnections } from '../../connections/connections.repo.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import { AppError } from '../../shared/errors.ts';
import { UserIdParams } from '../../users/schemas.ts';
import { findUser } from '../../users/users.repo.ts';
import { resolveProviderApp } from '../apps/provider-apps.repo.ts';
import { providerModules } from '../registry.ts';
import { type ConnectLinkClaims, signConnectLink, verifyConnectLink } from './connect-link.ts';
import {
  type ConnectPageNotice,
  PAGE_HEADERS,
  renderConnectPage,
  renderMessagePage,
} from './connect-page.ts';
import { authorizeFor } from './provider-lookup.ts';
import { callbackUrl, publicOrigin } from './public-url.ts';

const ConnectLink = z
  .object({
    url: z.url().openapi({ description: 'The hosted connect page: give it to the user' }),
    expires_at: z.string(),
  })
  .openapi('ConnectLink');

/**
 * The hosted connect page: `POST /api/v1/users/{user_id}/connect-link` (developer auth) makes a
 * short-lived link; `GET /connect/{token}` lists the developer's configured OAuth providers with the
 * user's connection state; `GET /connect/{token}/{provider}` starts that provider's consent, whose
 * callback comes back to the page with the outcome.
 */
export function registerConnectRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/users/{user_id}/connect-link',
      tags: ['Providers'],
      security: security.developer,
      middleware: authenticate(tokens),
      summary: 'A hosted page where the user connects their providers',
      description:
        "A link (valid for CONNECT_LINK_TTL_SECONDS) to a WearLink page listing your configured providers with the user's connection state and a Connect button each: connect a user without building a UI.",
      request: { params: UserIdParams },
      responses: {
        201: { description: 'Link', content: { 'application/json': { schema: ConnectLink } } },
        ...pickErrors(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const exp = Math.floor(Date.now() / 1000) + c.var.deps.config.CONNECT_LINK_TTL_SECONDS;
      const token = signConnectLink(c.var.deps.config.jwtSecret, {
        developerId: c.var.principal.developerId,
        userId: c.req.valid('param').user_id,
        exp,
      });
      return c.json(
        { url: `${publicOrigin(c)}/connect/${token}`, expires_at: new Date(exp * 1000).toISOString() },
        201,
      );
    },
  );

  app.get('/connect/:token', async (c) => {
    const claims = await claimsOf(c);
    if (claims instanceof Response) return claims;
    const { deps } = c.var;
    const connections = await listConnections(deps.db, claims.developerId, claims.userId);
    const base = `${publicOrigin(c)}/connect/${c.req.param('token')}`;
    const providers = [];
    for (const module of providerModules.values()) {
      if (module.manifest.oauth === undefined) continue;
      const app = await resolveProviderApp(deps, claims.developerId, module.manifest.slug);
      if (app?.clientSecret === undefined) continue;
      providers.push({
        slug: module.manifest.slug,
        name: module.manifest.name,
        status: connections.find((row) => row.provider === module.manifest.slug)?.status ?? null,
        connectUrl: `${base}/${module.manifest.slug}`,
      });
    }
    providers.sort((a, b) => a.name.localeCompare(b.name));
    return page(
      c,
      200,
      renderConnectPage({ providers, notice: noticeOf(c), expiresAt: new Date(claims.exp * 1000) }),
    );
  });

  app.get('/connect/:token/:provider', async (c) => {
    const claims = await claimsOf(c);
    if (claims instanceof Response) return claims;
    const provider = c.req.param('provider');
    try {
      const start = await authorizeFor(c.var.deps, {
        provider,
        developerId: claims.developerId,
        userId: claims.userId,
        redirectUri: `${publicOrigin(c)}/connect/${c.req.param('token')}`,
        callbackUrl: callbackUrl(c, provider),
      });
      for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
      return c.redirect(start.authorization_url, 302);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return page(c, 400, renderMessagePage('Cannot connect', error.message));
    }
  });
}

/** The link's claims, or the page saying why the link does not work (404 forged, 410 expired, user gone). */
async function claimsOf(c: Context<AppEnv>): Promise<ConnectLinkClaims | Response> {
  const verified = verifyConnectLink(c.var.deps.config.jwtSecret, c.req.param('token') ?? '');
  if (!verified.ok)
    return verified.reason === 'expired'
      ? page(c, 410, renderMessagePage('Link expired', 'This connect link has expired. Ask for a new one.'))
      : page(c, 404, renderMessagePage('Link not valid', 'This connect link is not valid.'));
  if ((await findUser(c.var.deps.db, verified.claims.developerId, verified.claims.userId)) === undefined)
    return page(c, 404, renderMessagePage('Link not valid', 'This connect link is not valid.'));
  return verified.claims;
}

/** The outcome the OAuth callback appended when it sent the user back here. */
function noticeOf(c: Context<AppEnv>): ConnectPageNotice | undefined {
  const status = c.req.query('status');
  const provider = c.req.query('provider') ?? 'the provider';
  const name = providerModules.get(provider)?.manifest.name ?? provider;
  if (status === 'success') return { kind: 'success', text: `${name} is connected.` };
  if (status === 'error') {
    const error = c.req.query('error');
    const text =
      error === 'access_denied' ? `Access to ${name} was not granted.` : `Connecting ${name} failed`;
    const detail = c.req.query('detail');
    return {
      kind: 'error',
      text: error === 'access_denied' || !detail ? text : `${text}: ${detail.slice(0, 300)}`,
    };
  }
  return undefined;
}

function page(c: Context<AppEnv>, status: ContentfulStatusCode, html: string): Response {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
  return c.html(html, status);
}
