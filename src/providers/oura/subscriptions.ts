import { z } from 'zod';
import { ProviderResponseError } from '../errors.ts';
import type { SubscriptionAdapter, VendorHttp } from '../types.ts';
import { OURA_WEBHOOK_DATA_TYPES, OURA_WEBHOOK_EVENT_TYPES, ouraManifest } from './manifest.ts';

/**
 * Oura webhook subscriptions: per app, by API with the app's `x-client-id`/`x-client-secret`, one per
 * (event type × data type), each expiring at its `expiration_time` and renewed by
 * `PUT /v2/webhook/subscription/renew/{id}`. The platform keeps one `provider_subscriptions` row per
 * app; its `details.subscriptions` lists Oura's ids and `expiresAt` is the earliest expiry.
 */

const PATH = '/v2/webhook/subscription';

const Subscription = z.looseObject({
  id: z.string().min(1),
  callback_url: z.string(),
  event_type: z.string(),
  data_type: z.string(),
  expiration_time: z.string().refine((v) => Number.isFinite(Date.parse(v)), 'not a date-time'),
});
type Subscription = z.infer<typeof Subscription>;

function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ProviderResponseError(
    `Oura ${what}: unexpected answer (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
  );
}

async function create(
  http: VendorHttp,
  callbackUrl: string,
  verificationToken: string,
  eventType: string,
  dataType: string,
): Promise<Subscription> {
  // Oura calls the callback with the verification challenge before it answers 201.
  const body = await http.json({
    method: 'POST',
    path: PATH,
    auth: 'client_headers',
    json: {
      callback_url: callbackUrl,
      verification_token: verificationToken,
      event_type: eventType,
      data_type: dataType,
    },
  });
  return parse(Subscription, body, `subscription ${eventType} ${dataType}`);
}

const renewMs = (ouraManifest.webhook?.renew_before_days ?? 7) * 86_400_000;

export const ouraSubscriptions: SubscriptionAdapter = {
  async ensure({ http, app, callbackUrl, existing }) {
    const verificationToken = app.webhookSecret;
    if (verificationToken === undefined || verificationToken === '')
      throw new Error(
        "Oura webhooks need a verification token: set the app's webhook_secret (or OURA_WEBHOOK_SECRET)",
      );
    const listed = parse(
      z.array(Subscription),
      await http.json({ path: PATH, auth: 'client_headers' }),
      'subscription list',
    ).filter((s) => s.callback_url === callbackUrl);

    let changed = false;
    const kept: Subscription[] = [];
    const renewBy = Date.now() + renewMs;
    for (const dataType of OURA_WEBHOOK_DATA_TYPES) {
      for (const eventType of OURA_WEBHOOK_EVENT_TYPES) {
        let sub = listed.find((s) => s.data_type === dataType && s.event_type === eventType);
        if (sub !== undefined && Date.parse(sub.expiration_time) <= renewBy) {
          // 403: "Webhook with specified id does not exist" (it lapsed meanwhile): create it again.
          const renewed = await http.request({
            method: 'PUT',
            path: `${PATH}/renew/${encodeURIComponent(sub.id)}`,
            auth: 'client_headers',
            accept: [403],
          });
          sub =
            renewed.status === 403 ? undefined : parse(Subscription, renewed.body, `renewal of ${sub.id}`);
          changed = true;
        }
        if (sub === undefined) {
          sub = await create(http, callbackUrl, verificationToken, eventType, dataType);
          changed = true;
        }
        kept.push(sub);
      }
    }

    const ids = kept.map((s) => s.id).sort();
    const before = (existing?.details.subscriptions as { id?: unknown }[] | undefined)?.map((s) => s.id);
    if (!changed && existing !== undefined && JSON.stringify(before?.slice().sort()) === JSON.stringify(ids))
      return undefined;
    const earliest = Math.min(...kept.map((s) => Date.parse(s.expiration_time)));
    return {
      vendorSubscriptionId: null,
      expiresAt: new Date(earliest),
      details: {
        subscriptions: kept.map((s) => ({
          id: s.id,
          event_type: s.event_type,
          data_type: s.data_type,
          expiration_time: s.expiration_time,
        })),
      },
    };
  },
};
