import { z } from '@hono/zod-openapi';

export const ProviderAppParams = z.object({
  provider: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'provider', in: 'path' }, example: 'oura' }),
});

// Vendors issue ids and secrets without whitespace: a space or newline is a copy-and-paste accident
// that would only surface later as the vendor refusing every token exchange.
const noSpaces = /^[^\s\p{Cc}]+$/u;

const Secret = z
  .string()
  .min(1)
  .max(2000)
  .regex(noSpaces, 'must not contain spaces, line breaks or control characters')
  .nullable()
  .optional();

export const PutProviderApp = z
  .strictObject({
    client_id: z
      .string()
      .min(1)
      .max(500)
      .regex(noSpaces, 'must not contain spaces, line breaks or control characters')
      .openapi({ example: 'a1b2c3d4-client' }),
    client_secret: Secret.openapi({
      description: 'Write-only. Left out: the stored secret is kept; null: cleared',
      example: 'client-secret-from-the-vendor-portal',
    }),
    webhook_secret: Secret.openapi({
      description:
        "Write-only. The vendor's webhook signing secret or verify token (Polar's signature_secret_key, Strava's verify_token); left out: kept; null: cleared",
      example: 'webhook-secret-or-verify-token',
    }),
    scopes: z
      .array(
        z
          .string()
          .min(1)
          .max(200)
          .regex(/^[^\s,\p{Cc}]+$/u, 'a scope is one name, without spaces or commas'),
      )
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .openapi({
        description: "Scopes to request; left out or null: the vendor's defaults",
        example: ['daily', 'heartrate'],
      }),
  })
  .openapi('PutProviderAppRequest');

export const ProviderApp = z
  .object({
    provider: z.string().openapi({ example: 'oura' }),
    source: z.enum(['developer', 'instance']).openapi({
      description: "`developer`: your own app; `instance`: the operator's default from the environment",
    }),
    client_id: z.string(),
    client_secret_set: z.boolean(),
    webhook_secret_set: z.boolean(),
    scopes: z
      .array(z.string())
      .openapi({ description: 'Requested at authorize (the defaults unless you set some)' }),
    created_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .openapi('ProviderApp');

const Budget = z.object({
  limit: z.number().int(),
  window_seconds: z.number().int(),
  used: z.number().int(),
  resets_at: z.string().nullable(),
});

export const CatalogueEntry = z
  .object({
    slug: z.string().openapi({ example: 'oura' }),
    name: z.string(),
    kind: z.enum(['oauth', 'sdk', 'builtin']),
    available: z.boolean().openapi({ description: 'This WearLink build can sync it' }),
    is_configured: z.boolean().openapi({
      description:
        'Your users can connect it: SDK and built-in providers always; OAuth vendors once an app with a client id and secret applies',
    }),
    app_source: z.enum(['developer', 'instance']).nullable(),
    callback_url: z
      .string()
      .nullable()
      .openapi({ description: "Register as the redirect URI in the vendor's portal" }),
    webhook_url: z.string().nullable().openapi({ description: "Register as the vendor's webhook endpoint" }),
    developer_portal: z.string().nullable(),
    historical_days: z.number().int().nullable(),
    capabilities: z
      .object({ pull: z.boolean(), webhook_ping: z.boolean(), webhook_push: z.boolean() })
      .nullable(),
    resources: z
      .array(z.object({ name: z.string(), families: z.array(z.string()), historical_days: z.number().int() }))
      .nullable(),
    budget: z
      .array(Budget)
      .nullable()
      .openapi({ description: "The app's vendor request budgets and their use" }),
  })
  .openapi('ProviderCatalogueEntry');

export const ProviderCatalogue = z.object({ data: z.array(CatalogueEntry) }).openapi('ProviderCatalogue');
