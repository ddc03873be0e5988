import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TokenService } from '../../auth/tokens.ts';
import type { AppEnv } from '../../http/context.ts';

// Being written (issue 16); registered from src/providers/routes.ts.
export function registerOAuthRoutes(_app: OpenAPIHono<AppEnv>, _tokens: TokenService): void {}
