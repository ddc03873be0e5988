import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../../http/context.ts';
import { pickErrors } from '../../http/openapi.ts';
import type { InboundRequest } from '../types.ts';
import { PROVIDER_WEBHOOK_PATHS } from './paths.ts';
import { receiveWebhook } from './receive.ts';

const Ack = z
  .object({
    status: z.enum(['accepted', 'duplicate']),
    id: z.string().nullable().openapi({ description: 'The stored delivery' }),
  })
  .openapi('VendorWebhookAck');

const ProviderParam = z
  .string()
  .openapi({ param: { name: 'provider', in: 'path' }, example: 'oura', description: 'A provider slug' });

/**
 * Vendor webhooks: `POST|GET|HEAD /api/v1/webhooks/{provider}` and `/v1/webhooks/{provider}`. No
 * WearLink credentials (vendors have none): a signing vendor's signature is checked instead, and
 * everything else happens in `receiveWebhook`. Hono answers HEAD with the GET handler (no body), which
 * sees the request's real method.
 */
export function registerInboundWebhookRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const path of PROVIDER_WEBHOOK_PATHS) {
    const alias = path.startsWith('/v1/');
    app.openAPIRegistry.registerPath({
      method: 'post',
      path,
      tags: ['Provider webhooks'],
      summary: alias ? 'Vendor webhook (alias)' : 'Vendor webhook',
      description:
        "Where a vendor (Garmin, Oura, Fitbit via Google Health, WHOOP, Polar, Strava, Withings) sends its notifications; register this URL with the vendor. Signed vendors are verified against every configured app of the vendor (401 `invalid_signature` / `stale_timestamp` otherwise); Garmin must name a configured app in `garmin-client-id` and Google must echo an app's webhook secret in `Authorization` (401 `unknown_app` / `invalid_secret`). The raw request is stored before the answer and processed as a job: a notification pulls what it names, pushed data (Garmin) is mapped from the stored body, a deauthorization revokes the connection. A repeated delivery is answered 200 `duplicate` and not processed again. Bodies above PROVIDER_WEBHOOK_MAX_BYTES get 413.",
      request: { params: z.object({ provider: ProviderParam }) },
      responses: {
        200: { description: 'Stored (or already stored)', content: { 'application/json': { schema: Ack } } },
        ...pickErrors(400, 401, 404, 413),
      },
    });
    app.openAPIRegistry.registerPath({
      method: 'get',
      path,
      tags: ['Provider webhooks'],
      summary: alias ? 'Vendor webhook handshake (alias)' : 'Vendor webhook handshake',
      description:
        "The vendor's check of the callback URL: Oura's `verification_token`/`challenge`, Strava's `hub.challenge` (echoed when the verify token is one of an app's), Withings' HEAD probe.",
      request: { params: z.object({ provider: ProviderParam }) },
      responses: {
        200: { description: 'Handshake answered' },
        ...pickErrors(403, 404),
      },
    });
    app.on(['GET', 'POST'], path.replace('{provider}', ':provider'), handle);
  }
}

async function handle(c: Context<AppEnv>): Promise<Response> {
  const method = c.req.method.toUpperCase();
  const request: InboundRequest = {
    method,
    headers: Object.fromEntries(c.req.raw.headers),
    query: c.req.query(),
    // Read here, within the route's body cap (src/http/app.ts); an overrun throws 413.
    body: method === 'POST' ? new Uint8Array(await c.req.arrayBuffer()) : new Uint8Array(),
  };
  const answer = await receiveWebhook(c.var.deps, c.req.param('provider') ?? '', request);
  if (answer.body === undefined) return new Response(null, { status: answer.status });
  const status = answer.status as ContentfulStatusCode;
  if (answer.contentType !== undefined && !/json/i.test(answer.contentType))
    return c.body(String(answer.body), status, { 'Content-Type': answer.contentType });
  return c.json(answer.body as object, status);
}
