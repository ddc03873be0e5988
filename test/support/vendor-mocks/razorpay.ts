import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody, send } from './oauth.ts';
import { closeServer, listen } from './openai-vision.ts';

/**
 * A local Razorpay on 127.0.0.1, for the parts WearLink uses:
 *
 * - the Subscriptions API under `/v1` (`POST /v1/subscriptions`, `GET /v1/subscriptions/{id}`,
 *   `POST /v1/subscriptions/{id}/cancel`), HTTP Basic with key_id:key_secret, errors in Razorpay's shape
 *   `{error: {code, description, source, step, reason, metadata}}` (401 for a bad key, 400
 *   BAD_REQUEST_ERROR for a bad plan id, a missing total_count or an unknown subscription);
 * - webhook deliveries: the lifecycle helpers (`activate`, `charge`, `failPayment`, `halt`, `cancel`,
 *   `refund`) change the mock's state as Razorpay would and return the event; `deliver` POSTs it to a URL
 *   with `X-Razorpay-Signature` = hex HMAC-SHA256(webhook secret, raw body) and `X-Razorpay-Event-Id`,
 *   correctly signed, forged (signed with another secret) or replayed byte for byte (`replay`).
 *
 * @example
 * const rzp = await new RazorpayMock({ keyId: 'rzp_test_1', keySecret: 's', webhookSecret: 'w',
 *   plans: { plan_dev: 831_600 } }).start();
 * // RAZORPAY_API_URL=<rzp.apiUrl> RAZORPAY_KEY_ID=rzp_test_1 ...
 * await rzp.deliver(`${server}/api/v1/billing/razorpay/webhook`, rzp.activate(subId));
 */
export interface MockSubscription {
  id: string;
  entity: 'subscription';
  plan_id: string;
  customer_id: string | null;
  status: string;
  current_start: number | null;
  current_end: number | null;
  ended_at: number | null;
  quantity: number;
  notes: Record<string, string>;
  charge_at: number | null;
  start_at: number | null;
  end_at: number | null;
  auth_attempts: number;
  total_count: number;
  paid_count: number;
  customer_notify: boolean;
  created_at: number;
  expire_by: number | null;
  short_url: string;
  has_scheduled_changes: boolean;
  change_scheduled_at: number | null;
  source: string;
  offer_id: string | null;
  remaining_count: number;
}

export interface MockPayment {
  id: string;
  entity: 'payment';
  amount: number;
  currency: 'INR';
  status: 'captured' | 'failed' | 'refunded';
  order_id: string | null;
  invoice_id: string | null;
  international: boolean;
  method: string;
  amount_refunded: number;
  refund_status: string | null;
  captured: boolean;
  description: string;
  email: string;
  contact: string;
  customer_id: string | null;
  token_id: string | null;
  notes: Record<string, string>;
  fee: number;
  tax: number;
  error_code: string | null;
  error_description: string | null;
  created_at: number;
}

export interface Delivery {
  eventId: string;
  event: string;
  /** The exact bytes sent (what the signature covers). */
  body: string;
}

export interface DeliveryResult {
  status: number;
  body: unknown;
}

const now = () => Math.floor(Date.now() / 1000);
const rid = (prefix: string) => `${prefix}_${randomBytes(7).toString('base64url').replace(/[-_]/g, 'x')}`;
const MONTH_S = 30 * 86_400;

export class RazorpayMock {
  readonly subscriptions = new Map<string, MockSubscription>();
  readonly payments = new Map<string, MockPayment>();
  /** Requests to the API, in order (method, path, whether authorised). */
  readonly requests: { method: string; path: string; authorized: boolean; body: unknown }[] = [];
  readonly delivered: { eventId: string; event: string; status: number; signature: 'valid' | 'forged' }[] =
    [];
  url = '';
  #server: Server | undefined;
  readonly keyId: string;
  readonly keySecret: string;
  readonly webhookSecret: string;
  /** Razorpay plan id -> amount in paise per (monthly) cycle. */
  readonly plans: Record<string, number>;
  readonly accountId = rid('acc');

  constructor(options: {
    keyId: string;
    keySecret: string;
    webhookSecret: string;
    plans: Record<string, number>;
  }) {
    this.keyId = options.keyId;
    this.keySecret = options.keySecret;
    this.webhookSecret = options.webhookSecret;
    this.plans = options.plans;
  }

  /** The API base, as RAZORPAY_API_URL takes it. */
  get apiUrl(): string {
    return `${this.url}/v1`;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) =>
        this.#error(res, 500, 'SERVER_ERROR', `mock failure: ${String(error)}`),
      );
    });
    this.url = await listen(this.#server);
    return this;
  }

  close(): Promise<void> {
    return this.#server ? closeServer(this.#server) : Promise.resolve();
  }

  #error(res: ServerResponse, status: number, code: string, description: string, field?: string) {
    send(res, status, {
      error: {
        code,
        description,
        source: status === 401 ? 'NA' : 'business',
        step: status === 401 ? 'NA' : 'payment_initiation',
        reason: status === 401 ? 'NA' : 'input_validation_failed',
        metadata: {},
        ...(field === undefined ? {} : { field }),
      },
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return this.#error(res, 400, 'BAD_REQUEST_ERROR', 'The request body is not valid JSON');
    }
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const [id, ...secret] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    const authorized = id === this.keyId && secret.join(':') === this.keySecret;
    this.requests.push({ method, path: url.pathname, authorized, body });
    if (!authorized) return this.#error(res, 401, 'BAD_REQUEST_ERROR', 'The api key provided is invalid');

    if (url.pathname === '/v1/subscriptions' && method === 'POST') {
      const planId = body.plan_id;
      if (typeof planId !== 'string' || planId === '')
        return this.#error(res, 400, 'BAD_REQUEST_ERROR', 'The plan id field is required.', 'plan_id');
      if (!Object.hasOwn(this.plans, planId))
        return this.#error(res, 400, 'BAD_REQUEST_ERROR', 'The id provided does not exist', 'plan_id');
      const total = body.total_count;
      if (typeof total !== 'number' || !Number.isInteger(total) || total < 1)
        return this.#error(
          res,
          400,
          'BAD_REQUEST_ERROR',
          'The total count field is required.',
          'total_count',
        );
      const subId = rid('sub');
      const notes =
        body.notes !== null && typeof body.notes === 'object' ? (body.notes as Record<string, string>) : {};
      const sub: MockSubscription = {
        id: subId,
        entity: 'subscription',
        plan_id: planId,
        customer_id: null,
        status: 'created',
        current_start: null,
        current_end: null,
        ended_at: null,
        quantity: typeof body.quantity === 'number' ? body.quantity : 1,
        notes,
        charge_at: null,
        start_at: null,
        end_at: null,
        auth_attempts: 0,
        total_count: total,
        paid_count: 0,
        customer_notify: body.customer_notify !== false && body.customer_notify !== 0,
        created_at: now(),
        expire_by: null,
        short_url: `https://rzp.io/i/${subId.slice(4)}`,
        has_scheduled_changes: false,
        change_scheduled_at: null,
        source: 'api',
        offer_id: null,
        remaining_count: total,
      };
      this.subscriptions.set(subId, sub);
      return send(res, 200, sub);
    }
    const m = /^\/v1\/subscriptions\/([^/]+)(\/cancel)?$/.exec(url.pathname);
    if (m !== null) {
      const sub = this.subscriptions.get(decodeURIComponent(m[1] as string));
      if (sub === undefined)
        return this.#error(res, 400, 'BAD_REQUEST_ERROR', 'The id provided does not exist');
      if (m[2] === undefined && method === 'GET') return send(res, 200, sub);
      if (m[2] !== undefined && method === 'POST') {
        if (['cancelled', 'completed', 'expired'].includes(sub.status))
          return this.#error(
            res,
            400,
            'BAD_REQUEST_ERROR',
            'Subscription is not cancellable in cancelled status.',
          );
        sub.status = 'cancelled';
        sub.ended_at = now();
        return send(res, 200, sub);
      }
    }
    return this.#error(res, 400, 'BAD_REQUEST_ERROR', 'The requested URL was not found on the server.');
  }

  #sub(id: string): MockSubscription {
    const sub = this.subscriptions.get(id);
    if (sub === undefined) throw new Error(`no subscription ${id} in the mock`);
    return sub;
  }

  #event(event: string, payload: Record<string, { entity: unknown }>): Delivery {
    const body = JSON.stringify({
      entity: 'event',
      account_id: this.accountId,
      event,
      contains: Object.keys(payload),
      payload,
      created_at: now(),
    });
    return { eventId: rid('evt'), event, body };
  }

  #payment(sub: MockSubscription, status: 'captured' | 'failed'): MockPayment {
    const payment: MockPayment = {
      id: rid('pay'),
      entity: 'payment',
      amount: this.plans[sub.plan_id] ?? 0,
      currency: 'INR',
      status,
      order_id: null,
      invoice_id: rid('inv'),
      international: false,
      method: 'card',
      amount_refunded: 0,
      refund_status: null,
      captured: status === 'captured',
      description: 'Subscription charge',
      email: 'billing@example.com',
      contact: '+919000000000',
      customer_id: sub.customer_id,
      token_id: rid('token'),
      notes: {},
      fee: status === 'captured' ? Math.round((this.plans[sub.plan_id] ?? 0) * 0.0236) : 0,
      tax: 0,
      error_code: status === 'failed' ? 'BAD_REQUEST_ERROR' : null,
      error_description: status === 'failed' ? 'Payment processing failed because of incorrect OTP' : null,
      created_at: now(),
    };
    this.payments.set(payment.id, payment);
    return payment;
  }

  /** The customer authorised the mandate and the first charge went through: active. */
  activate(subscriptionId: string): Delivery {
    const sub = this.#sub(subscriptionId);
    sub.status = 'active';
    sub.customer_id ??= rid('cust');
    sub.current_start = now();
    sub.current_end = now() + MONTH_S;
    sub.charge_at = sub.current_end;
    sub.start_at ??= now();
    return this.#event('subscription.activated', { subscription: { entity: { ...sub } } });
  }

  /** A successful charge of the cycle: `subscription.charged` with the subscription and the payment. */
  charge(subscriptionId: string): Delivery & { payment: MockPayment } {
    const sub = this.#sub(subscriptionId);
    const payment = this.#payment(sub, 'captured');
    sub.paid_count += 1;
    sub.remaining_count = Math.max(0, sub.total_count - sub.paid_count);
    return {
      ...this.#event('subscription.charged', {
        subscription: { entity: { ...sub } },
        payment: { entity: { ...payment } },
      }),
      payment,
    };
  }

  /** A charge that failed (the card was declined): `payment.failed` with the subscription. */
  failPayment(subscriptionId: string): Delivery & { payment: MockPayment } {
    const sub = this.#sub(subscriptionId);
    const payment = this.#payment(sub, 'failed');
    sub.status = 'pending';
    return {
      ...this.#event('payment.failed', {
        payment: { entity: { ...payment } },
        subscription: { entity: { ...sub } },
      }),
      payment,
    };
  }

  halt(subscriptionId: string): Delivery {
    const sub = this.#sub(subscriptionId);
    sub.status = 'halted';
    return this.#event('subscription.halted', { subscription: { entity: { ...sub } } });
  }

  cancel(subscriptionId: string): Delivery {
    const sub = this.#sub(subscriptionId);
    sub.status = 'cancelled';
    sub.ended_at = now();
    return this.#event('subscription.cancelled', { subscription: { entity: { ...sub } } });
  }

  /** A refund of (part of) a captured payment, processed: `refund.processed` with the refund and payment. */
  refund(paymentId: string, amount?: number): Delivery {
    const payment = this.payments.get(paymentId);
    if (payment === undefined) throw new Error(`no payment ${paymentId} in the mock`);
    const value = amount ?? payment.amount - payment.amount_refunded;
    payment.amount_refunded += value;
    payment.refund_status = payment.amount_refunded >= payment.amount ? 'full' : 'partial';
    if (payment.amount_refunded >= payment.amount) payment.status = 'refunded';
    const refund = {
      id: rid('rfnd'),
      entity: 'refund',
      amount: value,
      currency: 'INR',
      payment_id: payment.id,
      notes: {},
      receipt: null,
      acquirer_data: { arn: null },
      created_at: now(),
      batch_id: null,
      status: 'processed',
      speed_processed: 'normal',
      speed_requested: 'normal',
    };
    return this.#event('refund.processed', {
      refund: { entity: refund },
      payment: { entity: { ...payment } },
    });
  }

  /** Razorpay's signature of a body with a secret (the webhook secret unless told). */
  sign(body: string, secret = this.webhookSecret): string {
    return createHmac('sha256', secret).update(body).digest('hex');
  }

  /**
   * POSTs a delivery as Razorpay does. `forged`: signed with a secret that is not the webhook secret
   * (what an attacker who knows the format but not the secret sends); `tamper` edits the body after
   * signing.
   */
  async deliver(
    url: string,
    delivery: Delivery,
    options: { forged?: boolean; tamper?: (body: string) => string } = {},
  ): Promise<DeliveryResult> {
    const signature = this.sign(
      delivery.body,
      options.forged ? `not-${this.webhookSecret}` : this.webhookSecret,
    );
    const body = options.tamper ? options.tamper(delivery.body) : delivery.body;
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Razorpay-Signature': signature,
        'X-Razorpay-Event-Id': delivery.eventId,
        'User-Agent': 'Razorpay-Webhook/v1',
      },
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    this.delivered.push({
      eventId: delivery.eventId,
      event: delivery.event,
      status: response.status,
      signature: options.forged || options.tamper ? 'forged' : 'valid',
    });
    return { status: response.status, body: parsed };
  }

  /** The same delivery again, byte for byte (Razorpay's retry, or an attacker replaying a captured one). */
  replay(url: string, delivery: Delivery): Promise<DeliveryResult> {
    return this.deliver(url, delivery);
  }
}
