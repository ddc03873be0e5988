import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../http/context.ts';

// Being written (issue 16); registered from src/providers/routes.ts.
export function registerInboundWebhookRoutes(_app: OpenAPIHono<AppEnv>): void {}
