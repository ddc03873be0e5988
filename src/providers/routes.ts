import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TokenService } from '../auth/tokens.ts';
import type { AppEnv } from '../http/context.ts';
import { registerProviderAppRoutes } from './apps/provider-apps.routes.ts';
import { registerBackfillRoutes } from './backfill/routes.ts';
import { registerOAuthRoutes } from './oauth/oauth.routes.ts';
import { registerInboundWebhookRoutes } from './webhooks/inbound.routes.ts';

/** Every route of the provider platform: the catalogue and apps, OAuth connect, vendor webhooks. */
export function registerProviderRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  registerProviderAppRoutes(app, tokens);
  registerOAuthRoutes(app, tokens);
  registerInboundWebhookRoutes(app);
  registerBackfillRoutes(app, tokens);
}
