import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './oauth.ts';

/**
 * The client's one Polar webhook (`/v3/webhooks`, HTTP Basic with the client id and secret): creation
 * and URL changes PING the URL unsigned first and fail unless it answers 200; the
 * `signature_secret_key` is in the creation answer only; deliveries are signed with
 * `Polar-Webhook-Signature` = hex HMAC-SHA256(key, raw body); after `deactivateAfterFailures` failed
 * deliveries in a row (Polar: seven days of them) the webhook is deactivated until `activate`.
 */
export interface PolarWebhook {
  id: string;
  events: string[];
  url: string;
  active: boolean;
  secret: string;
}

export class PolarWebhookMock {
  webhook: PolarWebhook | undefined;
  readonly counts = {
    created: 0,
    patched: 0,
    deleted: 0,
    activated: 0,
    pings: 0,
    pingFailures: 0,
    delivered: 0,
    failed: 0,
    unauthorized: 0,
  };
  deactivateAfterFailures = 3;
  #failuresInARow = 0;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, ...secret] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (id !== this.clientId || secret.join(':') !== this.clientSecret) {
      this.counts.unauthorized++;
      return send(res, 401, { status: 401, message: 'Client authentication required' });
    }
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const json = (): Record<string, unknown> => {
      try {
        return JSON.parse(body) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const info = (w: PolarWebhook) => ({ id: w.id, events: w.events, url: w.url, active: w.active });
    if (path === '/v3/webhooks' && method === 'GET')
      return send(res, 200, { data: this.webhook === undefined ? [] : [info(this.webhook)] });
    if (path === '/v3/webhooks' && method === 'POST') {
      if (this.webhook !== undefined)
        return send(res, 409, { status: 409, message: 'Webhook already exists' });
      const { events, url: target } = json();
      if (!Array.isArray(events) || events.length === 0 || typeof target !== 'string')
        return send(res, 400, { status: 400, message: 'events and url are required' });
      if (!(await this.#ping(target))) return send(res, 400, { status: 400, message: 'Webhook ping failed' });
      this.webhook = {
        id: randomUUID().slice(0, 8),
        events: events as string[],
        url: target,
        active: true,
        secret: randomUUID(),
      };
      this.counts.created++;
      const { secret: key, ...rest } = this.webhook;
      return send(res, 201, { data: { ...rest, signature_secret_key: key } });
    }
    if ((path === '/v3/webhooks/activate' || path === '/v3/webhooks/deactivate') && method === 'POST') {
      if (this.webhook === undefined) return void res.writeHead(204).end();
      if (path.endsWith('deactivate')) this.webhook.active = false;
      else {
        if (!(await this.#ping(this.webhook.url)))
          return send(res, 400, { status: 400, message: 'Webhook ping failed' });
        this.webhook.active = true;
        this.#failuresInARow = 0;
        this.counts.activated++;
      }
      return void res.writeHead(200).end();
    }
    const m = /^\/v3\/webhooks\/([^/]+)$/.exec(path);
    const current = this.webhook;
    if (m !== null && current !== undefined && current.id === m[1]) {
      if (method === 'DELETE') {
        this.webhook = undefined;
        this.counts.deleted++;
        return void res.writeHead(204).end();
      }
      if (method === 'PATCH') {
        const { events, url: target } = json();
        if (typeof target === 'string' && target !== current.url) {
          if (!(await this.#ping(target)))
            return send(res, 400, { status: 400, message: 'Webhook ping failed' });
          current.url = target;
        }
        if (Array.isArray(events)) current.events = events as string[];
        this.counts.patched++;
        return send(res, 200, { data: [info(current)] });
      }
    }
    return send(res, 404, { status: 404, message: 'Webhook not found' });
  }

  /** An unsigned `{"timestamp","event":"PING"}`; only a 200 counts. */
  async #ping(target: string): Promise<boolean> {
    this.counts.pings++;
    try {
      const r = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timestamp: new Date().toISOString(), event: 'PING' }),
        signal: AbortSignal.timeout(5000),
      });
      await r.body?.cancel();
      if (r.status === 200) return true;
    } catch {
      // a refused connection is a failed ping
    }
    this.counts.pingFailures++;
    return false;
  }

  /**
   * POSTs a notification to the webhook's URL, signed like Polar. `secret`/`signature` override to
   * forge one; returns the status (0 when nothing listens). Inactive webhooks deliver nothing (null).
   */
  async deliver(
    payload: Record<string, unknown>,
    o: { secret?: string; signature?: string | null } = {},
  ): Promise<number | null> {
    const w = this.webhook;
    if (w === undefined || !w.active) return null;
    const body = JSON.stringify({ timestamp: new Date().toISOString(), ...payload });
    const signature =
      o.signature === undefined
        ? createHmac('sha256', o.secret ?? w.secret)
            .update(body)
            .digest('hex')
        : o.signature;
    let status = 0;
    try {
      const r = await fetch(w.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature === null ? {} : { 'polar-webhook-signature': signature }),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = r.status;
      await r.body?.cancel();
    } catch {
      status = 0;
    }
    if (status >= 200 && status < 300) {
      this.counts.delivered++;
      this.#failuresInARow = 0;
    } else {
      this.counts.failed++;
      if (++this.#failuresInARow >= this.deactivateAfterFailures) w.active = false;
    }
    return status;
  }
}
