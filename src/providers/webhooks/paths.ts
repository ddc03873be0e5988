/**
 * The inbound vendor webhook routes, `/api/v1/webhooks/{provider}` and the `/v1/webhooks/{provider}`
 * alias (the URL developers register with vendors). Their bodies are signed as raw bytes, so the generic
 * input guard never reads them, and they get their own cap, PROVIDER_WEBHOOK_MAX_BYTES (src/http/app.ts).
 * `endpoints` is WearLink's own outgoing-webhook API (`/api/v1/webhooks/endpoints`), not a vendor;
 * `event-types` can never match a slug (slugs have no hyphen).
 */
export const providerWebhookPattern = /^\/(?:api\/)?v1\/webhooks\/(?!endpoints\/?$)[a-z][a-z0-9_]*\/?$/;

export const PROVIDER_WEBHOOK_PATHS = ['/api/v1/webhooks/{provider}', '/v1/webhooks/{provider}'] as const;
