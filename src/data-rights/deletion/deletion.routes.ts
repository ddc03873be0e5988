import type { OpenAPIHono } from '@hono/zod-openapi';
import type { TokenService } from '../../auth/tokens.ts';
import type { AppEnv } from '../../http/context.ts';

export function registerDeletionRoutes(_app: OpenAPIHono<AppEnv>, _tokens: TokenService): void {}
