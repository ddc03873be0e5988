import type { ServerResponse } from 'node:http';
import { send } from './oauth.ts';
import { stravaText } from './strava-data.ts';

/**
 * Strava's push subscriptions for the Strava mock: `GET|POST /push_subscriptions` and
 * `DELETE /push_subscriptions/{id}` with the app's client credentials, one subscription per app, the
 * GET `hub.challenge` check of the callback before a creation is answered, and an event notifier
 * (unsigned, as Strava's events are) that makes up to 3 attempts.
 */

export interface StravaPushSubscription {
  id: string;
  callbackUrl: string;
  verifyToken: string;
}

export class StravaPushAdmin {
  readonly subscriptions: StravaPushSubscription[] = [];
  /** Every GET challenge made while creating a subscription, and whether it was answered right. */
  readonly challenges: { url: string; ok: boolean; status: number }[] = [];
  /** Every event delivery attempt: callback URL and the status it got (0: no answer). */
  readonly deliveries: { url: string; status: number; body: string }[] = [];
  #seq = 120_000;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** Answers a `/push_subscriptions` request (path without the `/api/v3` prefix). */
  handle(
    res: ServerResponse,
    method: string,
    path: string,
    q: URLSearchParams,
    body: string,
  ): void | Promise<void> {
    const form = method === 'POST' ? new URLSearchParams(body) : q;
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
      return send(res, 401, {
        message: 'Authorization Error',
        errors: [{ field: 'client_id', code: 'invalid' }],
      });
    const view = (s: StravaPushSubscription) => ({
      id: `#${s.id}`,
      resource_state: 2,
      application_id: `#${this.clientId.replace(/\D/g, '') || '1'}`,
      callback_url: s.callbackUrl,
    });
    if (method === 'GET' && path === '/push_subscriptions')
      return send(res, 200, stravaText(this.subscriptions.map(view)));
    const remove = /^\/push_subscriptions\/(\d+)$/.exec(path);
    if (method === 'DELETE' && remove !== null) {
      const index = this.subscriptions.findIndex((s) => s.id === remove[1]);
      if (index === -1) return send(res, 404, { message: 'Record Not Found', errors: [] });
      this.subscriptions.splice(index, 1);
      return void res.writeHead(204).end();
    }
    if (method !== 'POST' || path !== '/push_subscriptions')
      return send(res, 404, { message: 'Record Not Found', errors: [] });
    return this.#createSubscription(res, form);
  }

  async #createSubscription(res: ServerResponse, form: URLSearchParams): Promise<void> {
    const callbackUrl = form.get('callback_url') ?? '';
    const verifyToken = form.get('verify_token') ?? '';
    if (this.subscriptions.length > 0)
      return send(res, 400, {
        message: 'Bad Request',
        errors: [{ resource: 'PushSubscription', field: 'callback url', code: 'already exists' }],
      });
    // Strava checks the callback before answering: GET with a challenge that must be echoed (within 2 s).
    const challenge = `ch_${Math.random().toString(36).slice(2)}`;
    const probe = new URL(callbackUrl);
    probe.searchParams.set('hub.mode', 'subscribe');
    probe.searchParams.set('hub.challenge', challenge);
    probe.searchParams.set('hub.verify_token', verifyToken);
    let status = 0;
    let ok = false;
    try {
      const answer = await fetch(probe, { signal: AbortSignal.timeout(2000) });
      status = answer.status;
      const echoed = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
      ok = status === 200 && echoed['hub.challenge'] === challenge;
    } catch {
      ok = false;
    }
    this.challenges.push({ url: callbackUrl, ok, status });
    if (!ok)
      return send(res, 400, {
        message: 'Bad Request',
        errors: [
          {
            resource: 'PushSubscription',
            field: 'callback url',
            code: 'GET to callback URL does not return 200',
          },
        ],
      });
    const subscription = { id: String(++this.#seq), callbackUrl, verifyToken };
    this.subscriptions.push(subscription);
    send(res, 201, stravaText({ id: `#${subscription.id}` }));
  }

  /**
   * Sends an event (unsigned, as Strava does) to the subscription's callback, with up to 3 attempts
   * while the answer is not 2xx. Ids written `'#123'` go out as bare numbers. Returns the last status.
   */
  async notify(event: Record<string, unknown>, url?: string): Promise<number> {
    const target = url ?? this.subscriptions[0]?.callbackUrl;
    if (target === undefined) throw new Error('no Strava push subscription to notify');
    const body = stravaText({
      subscription_id: `#${this.subscriptions[0]?.id ?? '1'}`,
      event_time: Math.floor(Date.now() / 1000),
      updates: {},
      ...event,
    });
    let status = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const answer = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        status = answer.status;
        await answer.body?.cancel();
      } catch {
        status = 0;
      }
      this.deliveries.push({ url: target, status, body });
      if (status >= 200 && status < 300) break;
    }
    return status;
  }
}
