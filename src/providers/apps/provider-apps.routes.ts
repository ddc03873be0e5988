import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { auditActor, auditRequest, recordAudit } from '../../audit/audit-log.ts';
import type { TokenService } from '../../auth/tokens.ts';
import { PROVIDERS } from '../../catalog/providers.ts';
import type { ProviderAppRow } from '../../db/schema.ts';
import { authenticate } from '../../http/auth.ts';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors, security } from '../../http/openapi.ts';
import { AppError, NotFoundError } from '../../shared/errors.ts';
import { findProviderModule } from '../registry.ts';
import { checkAppSubscriptionsSoon } from '../webhooks/subscriptions.ts';
import { providerCatalogue } from './catalogue.ts';
import { defaultScopes, instanceApp, instanceAppVariables } from './instance-app.ts';
import {
  deleteProviderApp,
  findProviderApp,
  StaleClientSecretError,
  saveProviderApp,
} from './provider-apps.repo.ts';
import {
  ProviderApp,
  ProviderAppParams,
  ProviderCatalogue,
  PutProviderApp,
} from './provider-apps.schemas.ts';

/** A slug WearLink does not know: 404 `{detail, code: 'unknown_provider'}`. */
class UnknownProviderError extends NotFoundError {
  override readonly code = 'unknown_provider';
}

/** SDK and built-in providers have no vendor app to configure: 422 `{detail, code}`. */
class ProviderNeedsNoAppError extends AppError {
  readonly kind = 'validation';
  override readonly code = 'provider_needs_no_app';
}

/** A client id changed but the old client secret would be kept: 422 `{detail, code}`. */
class ClientSecretRequiredError extends AppError {
  readonly kind = 'validation';
  override readonly code = 'client_secret_required';
}

/** The OAuth vendor a path names, or the refusal a client can branch on. */
function oauthProvider(slug: string): (typeof PROVIDERS)[number] {
  const provider = PROVIDERS.find((p) => p.slug === slug);
  if (provider === undefined)
    throw new UnknownProviderError(`Unknown provider '${slug}' (GET /api/v1/providers lists them)`);
  if (provider.kind !== 'oauth') {
    const how =
      provider.kind === 'sdk'
        ? 'its data arrives from your app through the WearLink mobile SDK'
        : 'it is built into WearLink';
    throw new ProviderNeedsNoAppError(`${provider.name} (${slug}) has no vendor app to configure: ${how}`);
  }
  return provider;
}

function ownView(row: ProviderAppRow): z.infer<typeof ProviderApp> {
  return {
    provider: row.provider,
    source: 'developer',
    client_id: row.client_id,
    client_secret_set: row.client_secret_sealed !== null,
    webhook_secret_set: row.webhook_secret_sealed !== null,
    scopes: row.scopes ?? defaultScopes(row.provider),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export function registerProviderAppRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const base = { tags: ['Providers'], security: security.developer, middleware: authenticate(tokens) };

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/providers',
      summary: 'The provider catalogue, with whether your users can connect each one (is_configured)',
      description:
        'OAuth vendors are configured by your own app (PUT /api/v1/developer/providers/{provider}) or by the ' +
        "instance's default app from the environment. `callback_url` and `webhook_url` are what to register " +
        "in the vendor's developer portal; `budget` is how much of the app's vendor request budget is spent.",
      responses: { 200: json(ProviderCatalogue, 'Catalogue'), ...pickErrors(401, 403) },
    }),
    async (c) => c.json({ data: await providerCatalogue(c.var.deps, c.var.principal.developerId) }, 200),
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'get',
      path: '/api/v1/developer/providers/{provider}',
      summary:
        'The vendor app your users connect through (yours, else the instance default); secrets are never shown',
      request: { params: ProviderAppParams },
      responses: { 200: json(ProviderApp, 'App'), ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { slug, name } = oauthProvider(c.req.valid('param').provider);
      const row = await findProviderApp(c.var.deps.db, c.var.principal.developerId, slug);
      if (row !== undefined) return c.json(ownView(row), 200);
      const instance = instanceApp(c.var.deps.config, slug);
      if (instance === undefined) {
        const variables = instanceAppVariables(slug);
        throw new NotFoundError(
          `No ${name} app is configured: PUT /api/v1/developer/providers/${slug} with your client_id and client_secret` +
            (variables ? ` (or the operator sets ${variables.slice(0, 2).join(' and ')})` : ''),
        );
      }
      return c.json(
        {
          provider: slug,
          source: 'instance' as const,
          client_id: instance.clientId,
          client_secret_set: instance.clientSecret !== undefined,
          webhook_secret_set: instance.webhookSecret !== undefined,
          scopes: instance.scopes,
          created_at: null,
          updated_at: null,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'put',
      path: '/api/v1/developer/providers/{provider}',
      summary: 'Register or replace your own app with a vendor (Settings → Providers)',
      description:
        'A secret left out keeps the stored one; `null` clears it. Scopes left out (or null) are the ' +
        "vendor's defaults. Changing client_id needs its client_secret too. Your app wins over the instance default.",
      request: {
        params: ProviderAppParams,
        body: { required: true, content: { 'application/json': { schema: PutProviderApp } } },
      },
      responses: {
        200: json(ProviderApp, 'Replaced'),
        201: json(ProviderApp, 'Created'),
        ...pickErrors(401, 403, 404, 415, 422),
      },
    }),
    async (c) => {
      const { slug } = oauthProvider(c.req.valid('param').provider);
      const body = c.req.valid('json');
      try {
        const developerId = c.var.principal.developerId;
        const { row, created } = await c.var.deps.db.transaction().execute(async (trx) => {
          const saved = await saveProviderApp(
            { db: trx, secrets: c.var.deps.secrets },
            {
              developerId,
              provider: slug,
              clientId: body.client_id,
              clientSecret: body.client_secret,
              webhookSecret: body.webhook_secret,
              scopes: body.scopes ?? null,
            },
          );
          // What happened to each secret, never the secret: set, cleared, or kept as stored.
          const secretChange = (change: string | null | undefined) =>
            change === undefined ? 'kept' : change === null ? 'cleared' : 'set';
          await recordAudit(trx, {
            developerId,
            actor: auditActor(c),
            action: 'provider_app.saved',
            target: { type: 'provider_app', id: slug },
            request: auditRequest(c),
            detail: {
              provider: slug,
              created: saved.created,
              client_id: body.client_id,
              client_secret: secretChange(body.client_secret),
              webhook_secret: secretChange(body.webhook_secret),
              scopes: body.scopes ?? null,
            },
          });
          return saved;
        });
        // A vendor subscribed per app (Oura, Strava, Polar) gets its subscription now, not at the next hourly check.
        if (findProviderModule(slug)?.manifest.webhook?.subscription === 'per_app_api')
          await checkAppSubscriptionsSoon(c.var.deps.queue);
        return created ? c.json(ownView(row), 201) : c.json(ownView(row), 200);
      } catch (error) {
        if (!(error instanceof StaleClientSecretError)) throw error;
        throw new ClientSecretRequiredError(
          'client_id changed: send its client_secret too (the stored secret belongs to the previous client_id)',
        );
      }
    },
  );

  app.openapi(
    createRoute({
      ...base,
      method: 'delete',
      path: '/api/v1/developer/providers/{provider}',
      summary: 'Remove your own app with a vendor (the instance default, if any, applies again)',
      request: { params: ProviderAppParams },
      responses: { 204: { description: 'Removed' }, ...pickErrors(401, 403, 404, 422) },
    }),
    async (c) => {
      const { slug, name } = oauthProvider(c.req.valid('param').provider);
      const developerId = c.var.principal.developerId;
      const deleted = await c.var.deps.db.transaction().execute(async (trx) => {
        if (!(await deleteProviderApp(trx, developerId, slug))) return false;
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'provider_app.deleted',
          target: { type: 'provider_app', id: slug },
          request: auditRequest(c),
          detail: { provider: slug },
        });
        return true;
      });
      if (!deleted) throw new NotFoundError(`You have no ${name} app of your own to remove`);
      return c.body(null, 204);
    },
  );
}
