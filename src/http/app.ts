import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { registerAdminCoreRoutes } from '../admin/admin.routes.ts';
import { registerAnnouncementRoutes } from '../announcements/announcements.routes.ts';
import { registerAuditRoutes } from '../audit/audit.routes.ts';
import { TokenService } from '../auth/tokens.ts';
import { billingWebhookPattern, registerBillingRoutes } from '../billing/billing.routes.ts';
import { registerConnectionRoutes } from '../connections/connections.routes.ts';
import { registerDashboardOverviewRoutes } from '../dashboard/overview.routes.ts';
import { dashboardIndex, isDashboardPath, registerDashboard } from '../dashboard/static.ts';
import { registerDeletionRoutes } from '../data-rights/deletion/deletion.routes.ts';
import { registerExportRoutes } from '../data-rights/export/export.routes.ts';
import { registerRetentionRoutes } from '../data-rights/retention/retention.routes.ts';
import { registerApiKeyRoutes } from '../developers/api-keys.routes.ts';
import { registerAuthRoutes } from '../developers/auth.routes.ts';
import { registerDataSummaryRoutes } from '../health-data/data-summary.routes.ts';
import { registerEnergyBalanceRoutes } from '../health-data/energy-balance.routes.ts';
import { registerEventsRoutes } from '../health-data/events.routes.ts';
import { registerHealthScoresRoutes } from '../health-data/health-scores.routes.ts';
import { registerSourcePriorityRoutes } from '../health-data/source-priority.routes.ts';
import { registerSummaryRoutes } from '../health-data/summaries.routes.ts';
import { registerTimeseriesRoutes } from '../health-data/timeseries.routes.ts';
import { registerWearmetricsOutRoutes } from '../health-data/wearmetrics-out.routes.ts';
import {
  DIRECT_UPLOAD_BODY_LIMIT_BYTES,
  directUploadPattern,
  isStreamedUpload,
  LARGE_UPLOAD_MAX_BYTES,
  largeUploadPattern,
  registerAppleImportRoutes,
  registerSnsNotificationRoutes,
  uploadBodyLimit,
} from '../importers/apple-health/import.routes.ts';
import {
  INGEST_BODY_LIMIT_BYTES,
  ingestBodyLimitPattern,
  registerIngestRoutes,
} from '../ingest/ingest.routes.ts';
import { registerMcpRoutes } from '../mcp/mcp.routes.ts';
import {
  NUTRITION_IMAGE_BODY_LIMIT_BYTES,
  nutritionImagePattern,
  registerNutritionRoutes,
} from '../nutrition/nutrition.routes.ts';
import { registerNutritionReviewRoutes } from '../nutrition/review/review.routes.ts';
import { registerProviderRoutes } from '../providers/routes.ts';
import { providerWebhookPattern } from '../providers/webhooks/paths.ts';
import { PayloadTooLargeError } from '../shared/errors.ts';
import { registerSupportRoutes } from '../support/support.routes.ts';
import { registerSyncJobRoutes } from '../sync/sync-jobs.routes.ts';
import { registerSyncRunRoutes } from '../sync/sync-runs.routes.ts';
import { registerSyncStreamRoutes } from '../sync/sync-stream.routes.ts';
import { registerTeamRoutes } from '../team/team.routes.ts';
import { registerUserRoutes } from '../users/users.routes.ts';
import { registerWebhookRoutes } from '../webhooks/webhooks.routes.ts';
import type { AppDeps, AppEnv } from './context.ts';
import { renderDocsPage } from './docs-page.ts';
import { errorResponse, validationResponse } from './error-handler.ts';
import { registerHealthRoutes } from './health.routes.ts';
import { canonicalPath, inputGuard } from './input-guard.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from './openapi.ts';
import { rateLimit } from './rate-limit-middleware.ts';
import { requestContext } from './request-context.ts';
import { API_VERSION } from './version.ts';

export { API_VERSION };

/** Routes that take bulk uploads get their own body cap; everything else gets the default. */
export interface BodyLimitRule {
  pattern: RegExp;
  bytes: number;
}

function tooLarge(bytes: number): never {
  throw new PayloadTooLargeError(
    `Request body exceeds the ${Math.round(bytes / 1024)} KiB limit of this route`,
  );
}

export function createApp(
  deps: AppDeps,
  options: { ping: () => Promise<void>; bodyLimits?: BodyLimitRule[] },
) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) =>
      result.success ? undefined : validationResponse(c, result.target, result.error),
    // UUID-shaped path segments are routed in lowercase, so every id in a path param is canonical.
    getPath: canonicalPath,
  });
  const tokens = new TokenService(
    deps.config.jwtSecret,
    deps.config.JWT_TTL_SECONDS,
    deps.config.SDK_TOKEN_TTL_SECONDS,
  );

  app.use('*', requestContext(deps));
  app.use('*', rateLimit(deps.config, tokens));
  const limits: BodyLimitRule[] = [
    { pattern: ingestBodyLimitPattern, bytes: INGEST_BODY_LIMIT_BYTES },
    { pattern: directUploadPattern, bytes: DIRECT_UPLOAD_BODY_LIMIT_BYTES },
    { pattern: largeUploadPattern, bytes: LARGE_UPLOAD_MAX_BYTES },
    { pattern: providerWebhookPattern, bytes: deps.config.PROVIDER_WEBHOOK_MAX_BYTES },
    { pattern: nutritionImagePattern, bytes: NUTRITION_IMAGE_BODY_LIMIT_BYTES },
  ];
  const limiters = new Map<number, ReturnType<typeof bodyLimit>>();
  app.use('*', (c, next) => {
    // A GET or HEAD has no body a route reads, and asking for one makes @hono/node-server build a whole
    // web Request for it (~4 % of a GET /health's server CPU in a profile): those skip the cap.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // Upload routes stream their bodies to disk and cap them there: never buffered here.
    if (isStreamedUpload(c.req.path)) return uploadBodyLimit(c, next);
    const bytes = limits.find((rule) => rule.pattern.test(c.req.path))?.bytes ?? DEFAULT_BODY_LIMIT_BYTES;
    // A declared length is checked from the header, as Hono's bodyLimit does too, but without its first
    // step, reading `c.req.raw.body`: that makes @hono/node-server build a web Request whose text() then
    // reads the body through web streams instead of its direct read of the socket's chunks (a profile of
    // bench:ingest: ~9% of the server's CPU on 2.3 MB SDK batches). Node's parser delivers no more body
    // than Content-Length declares.
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > bytes) return tooLarge(bytes);
      return next();
    }
    let limiter = limiters.get(bytes);
    if (limiter === undefined) {
      limiter = bodyLimit({ maxSize: bytes, onError: () => tooLarge(bytes) });
      limiters.set(bytes, limiter);
    }
    return limiter(c, next);
  });
  // After the body caps (so a body is read only within them), before every route. Push-ingest batches'
  // strings are checked entry by entry (src/ingest/entry-guard.ts): one bad entry is rejected with its
  // index and the rest of the batch stored, not the whole batch refused.
  app.use(
    '*',
    // Vendor webhooks are signed as raw bytes and only parsed once verified (src/providers/webhooks).
    inputGuard({
      skipBody: [directUploadPattern, largeUploadPattern, providerWebhookPattern, billingWebhookPattern],
      depthOnly: [ingestBodyLimitPattern],
    }),
  );
  app.onError(errorResponse);
  // A reload or deep link into the dashboard's client-side routes gets its page; anything else a JSON 404.
  app.notFound((c) =>
    c.req.method === 'GET' && isDashboardPath(c.req.path, c.req.header('accept'))
      ? dashboardIndex(c)
      : c.json({ detail: 'Not found' }, 404),
  );

  registerHealthRoutes(app, options.ping);
  registerAuthRoutes(app, tokens);
  registerApiKeyRoutes(app, tokens);
  registerUserRoutes(app, tokens);
  registerIngestRoutes(app, tokens);
  registerSyncRunRoutes(app, tokens);
  registerSyncStreamRoutes(app, tokens);
  registerConnectionRoutes(app, tokens);
  registerSyncJobRoutes(app, tokens);
  registerDataSummaryRoutes(app, tokens);
  registerEventsRoutes(app, tokens);
  registerHealthScoresRoutes(app, tokens);
  registerWearmetricsOutRoutes(app, tokens);
  registerSummaryRoutes(app, tokens);
  registerSourcePriorityRoutes(app, tokens);
  registerEnergyBalanceRoutes(app, tokens);
  registerTimeseriesRoutes(app, tokens);
  registerAppleImportRoutes(app, tokens);
  registerSnsNotificationRoutes(app);
  registerWebhookRoutes(app, tokens);
  registerProviderRoutes(app, tokens);
  registerExportRoutes(app, tokens);
  registerDeletionRoutes(app, tokens);
  registerRetentionRoutes(app, tokens);
  registerAuditRoutes(app, tokens);
  registerNutritionRoutes(app, tokens);
  registerNutritionReviewRoutes(app, tokens);
  registerTeamRoutes(app, tokens);
  registerMcpRoutes(app, tokens);
  registerDashboardOverviewRoutes(app, tokens);
  registerAnnouncementRoutes(app, tokens);
  registerSupportRoutes(app, tokens);
  registerAdminCoreRoutes(app, tokens);
  registerBillingRoutes(app, tokens);

  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-WearLink-API-Key',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'ApiKeyAlt', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'AccessTokenQuery', {
    type: 'apiKey',
    in: 'query',
    name: 'access_token',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });

  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'WearLink',
      version: API_VERSION,
      description:
        'One API over wearable health data: users, provider connections, timeseries, workouts, sleep, daily summaries, scores, webhooks and sync observability.',
    },
    servers: [{ url: deps.config.publicUrl }],
  };
  app.doc31('/api/v1/openapi.json', documentConfig);
  let docsHtml: string | undefined;
  const docs = (c: Context<AppEnv>) => {
    docsHtml ??= renderDocsPage(
      app.getOpenAPI31Document(documentConfig) as unknown as Record<string, unknown>,
    );
    return c.html(docsHtml);
  };
  app.get('/docs', docs);
  app.get('/api/v1/docs', docs);
  registerDashboard(app);

  return app;
}

export type App = ReturnType<typeof createApp>;
