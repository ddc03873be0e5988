import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The webhook half of the Oura mock: the subscription admin API (`/v2/webhook/subscription…`,
 * authenticated by the app's `x-client-id`/`x-client-secret` headers, which runs the GET verification
 * challenge against the callback before it answers 201) and a notifier that signs deliveries as Oura
 * does and retries them, stopping when the receiver answers 410.
 */

export interface OuraSubscription {
  id: string;
  callback_url: string;
  verification_token: string;
  event_type: string;
  data_type: string;
  expiration_time: string;
}

export interface OuraNotification {
  event_type: 'create' | 'update' | 'delete';
  data_type: string;
  object_id: string;
  user_id: string;
  event_time?: string;
}

/** Oura's signature: upper-case hex HMAC-SHA256 under the client secret of timestamp + raw body. */
export function ouraSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(timestamp).update(body).digest('hex').toUpperCase();
}

export class OuraWebhookAdmin {
  readonly subscriptions = new Map<string, OuraSubscription>();
  /** Admin calls by kind, and challenges run against callbacks (with what they answered). */
  readonly counts = { list: 0, create: 0, renew: 0, update: 0, delete: 0, refused: 0 };
  readonly challenges: { url: string; status: number; ok: boolean }[] = [];
  /** Every delivery attempt: where, status (0: no answer), and whether it was a retry. */
  readonly deliveries: { url: string; status: number; attempt: number }[] = [];
  /** How long a subscription lives (Oura's real expiry is undocumented; 90 days per open-wearables). */
  ttlMs = 90 * 86_400_000;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** Answers `/v2/webhook/subscription…`, or undefined when the path is not the admin API's. */
  async handle(
    req: IncomingMessage,
    path: string,
    body: string,
  ): Promise<{ status: number; body?: unknown } | undefined> {
    if (!path.startsWith('/v2/webhook/subscription')) return undefined;
    if (
      req.headers['x-client-id'] !== this.clientId ||
      req.headers['x-client-secret'] !== this.clientSecret
    ) {
      this.counts.refused++;
      return { status: 401, body: { detail: 'Invalid client credentials' } };
    }
    const method = req.method ?? 'GET';
    if (path === '/v2/webhook/subscription') {
      if (method === 'GET') {
        this.counts.list++;
        return { status: 200, body: [...this.subscriptions.values()].map(publicView) };
      }
      if (method === 'POST') return this.#create(body);
    }
    const renew = /^\/v2\/webhook\/subscription\/renew\/([^/]+)$/.exec(path);
    if (renew && method === 'PUT') {
      this.counts.renew++;
      const sub = this.subscriptions.get(decodeURIComponent(renew[1] as string));
      if (!sub) return { status: 403, body: { detail: 'Webhook with specified id does not exist.' } };
      sub.expiration_time = new Date(Date.now() + this.ttlMs).toISOString();
      return { status: 200, body: publicView(sub) };
    }
    const one = /^\/v2\/webhook\/subscription\/([^/]+)$/.exec(path);
    const sub = one ? this.subscriptions.get(decodeURIComponent(one[1] as string)) : undefined;
    if (one && !sub) return { status: 403, body: { detail: 'Webhook with specified id does not exist.' } };
    if (sub && method === 'GET') return { status: 200, body: publicView(sub) };
    if (sub && method === 'DELETE') {
      this.counts.delete++;
      this.subscriptions.delete(sub.id);
      return { status: 204 };
    }
    return { status: 405, body: { detail: 'Method not allowed' } };
  }

  async #create(text: string): Promise<{ status: number; body: unknown }> {
    this.counts.create++;
    let input: Partial<OuraSubscription>;
    try {
      input = JSON.parse(text) as Partial<OuraSubscription>;
    } catch {
      return { status: 422, body: { detail: 'body is not JSON' } };
    }
    const { callback_url, verification_token, event_type, data_type } = input;
    if (!callback_url || !verification_token || !event_type || !data_type)
      return {
        status: 422,
        body: { detail: 'callback_url, verification_token, event_type, data_type required' },
      };
    // Oura verifies the callback before it creates anything.
    const challenge = randomUUID();
    const url = new URL(callback_url);
    url.searchParams.set('verification_token', verification_token);
    url.searchParams.set('challenge', challenge);
    let status = 0;
    let echoed: unknown;
    try {
      const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      status = answer.status;
      echoed = await answer.json().catch(() => undefined);
    } catch {
      status = 0;
    }
    const ok = status === 200 && (echoed as { challenge?: unknown } | undefined)?.challenge === challenge;
    this.challenges.push({ url: callback_url, status, ok });
    if (!ok) return { status: 400, body: { detail: `Callback verification failed (status ${status})` } };
    const sub: OuraSubscription = {
      id: randomUUID(),
      callback_url,
      verification_token,
      event_type,
      data_type,
      expiration_time: new Date(Date.now() + this.ttlMs).toISOString(),
    };
    this.subscriptions.set(sub.id, sub);
    return { status: 201, body: publicView(sub) };
  }

  /** Makes every subscription expire in `ms` from now (to test renewal). */
  expireIn(ms: number): void {
    for (const s of this.subscriptions.values()) s.expiration_time = new Date(Date.now() + ms).toISOString();
  }

  /**
   * POSTs one notification to `url`, signed like Oura (`x-oura-timestamp` in epoch seconds — the unit
   * is undocumented — and `x-oura-signature`). `secret`, `timestamp`, `signature: null` forge it.
   */
  async deliver(
    url: string,
    event: OuraNotification,
    options: { secret?: string; timestamp?: string; signature?: string | null; rawBody?: string } = {},
  ): Promise<Response> {
    const body =
      options.rawBody ??
      JSON.stringify({ ...event, event_time: event.event_time ?? new Date().toISOString() });
    const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-oura-timestamp': timestamp,
    };
    if (options.signature !== null)
      headers['x-oura-signature'] =
        options.signature ?? ouraSignature(options.secret ?? this.clientSecret, timestamp, body);
    return fetch(url, { method: 'POST', headers, body });
  }

  /**
   * What Oura does when data changes: every subscription of the event's (event type, data type) gets
   * the notification, retried up to `attempts` times on a non-2xx answer or no answer; 410 cancels
   * that subscription and stops its retries. Returns the final status per callback.
   */
  async notify(event: OuraNotification, attempts = 3, retryDelayMs = 50): Promise<Record<string, number>> {
    const results: Record<string, number> = {};
    const eventTime = event.event_time ?? new Date().toISOString();
    for (const sub of [...this.subscriptions.values()]) {
      if (sub.event_type !== event.event_type || sub.data_type !== event.data_type) continue;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        let status = 0;
        try {
          status = (await this.deliver(sub.callback_url, { ...event, event_time: eventTime })).status;
        } catch {
          status = 0;
        }
        this.deliveries.push({ url: sub.callback_url, status, attempt });
        results[sub.callback_url] = status;
        if (status === 410) this.subscriptions.delete(sub.id);
        if (status === 410 || (status >= 200 && status < 300)) break;
        await new Promise((r) => setTimeout(r, retryDelayMs));
      }
    }
    return results;
  }
}

/** What Oura shows of a subscription (the verification token is never returned). */
function publicView(s: OuraSubscription) {
  const { verification_token: _token, ...rest } = s;
  return rest;
}
