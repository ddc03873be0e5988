import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditActor, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { findDeveloperById } from '../developers/developers.repo.ts';
import { authenticate, requireRole } from '../http/auth.ts';
import type { AppEnv } from '../http/context.ts';
import { ErrorSchema, pickErrors, security } from '../http/openapi.ts';
import { dailyPhotoQuota } from '../nutrition/plans.ts';
import { BadRequestError, ConflictError, NotFoundError, ServiceUnavailableError } from '../shared/errors.ts';
import { registerAdminBillingRoutes } from './admin-billing.routes.ts';
import {
  currentSubscription,
  type InvoiceRow,
  insertSubscription,
  invoicesOf,
  type SubscriptionRow,
} from './billing.repo.ts';
import { money } from './finance.repo.ts';
import {
  billingEnabled,
  MONTHLY_PRICE_USD,
  monthlyPriceInr,
  monthlyPricePaise,
  PAID_PLANS,
  PLAN_NAMES,
  paiseToInr,
  razorpayPlanId,
} from './price-book.ts';
import { RazorpayClient, razorpaySignatureValid } from './razorpay.ts';
import { applyRazorpayEvent, asRazorpayEvent, eventIdOf } from './webhook.ts';

/** Razorpay's webhook: its body is verified as raw bytes, so the input guard must not read it (src/http/app.ts). */
export const billingWebhookPattern = /^\/api\/v1\/billing\/razorpay\/webhook\/?$/;
export const BILLING_WEBHOOK_PATH = '/api/v1/billing/razorpay/webhook';

/**
 * Billing cycles a checkout asks Razorpay for: ten years of monthly charges (Razorpay needs a count;
 * the subscription is cancelled long before in practice).
 */
export const SUBSCRIPTION_TOTAL_COUNT = 120;

class BillingDisabledError extends ConflictError {
  override readonly code = 'billing_disabled';
}
class BillingWebhookDisabledError extends NotFoundError {
  override readonly code = 'billing_disabled';
}
class PlanNotAvailableError extends ConflictError {
  override readonly code = 'plan_not_available';
}
class AlreadySubscribedError extends ConflictError {
  override readonly code = 'already_subscribed';
}
class PaymentProviderError extends ServiceUnavailableError {
  override readonly code = 'payment_provider_error';
}
class InvalidSignatureError extends BadRequestError {
  override readonly code = 'invalid_signature';
}
class InvalidPayloadError extends BadRequestError {
  override readonly code = 'invalid_payload';
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

export const SubscriptionJson = z
  .object({
    id: z.uuid(),
    developer_id: z.uuid(),
    plan: z.string(),
    status: z.string(),
    razorpay_subscription_id: z.string().nullable(),
    razorpay_plan_id: z.string().nullable(),
    amount_inr: z.number().openapi({ description: 'Per cycle, as Razorpay charges it (INR)' }),
    amount_usd: z.number(),
    current_start: z.string().nullable(),
    current_end: z.string().nullable(),
    activated_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('BillingSubscription');

export const InvoiceJson = z
  .object({
    id: z.uuid(),
    developer_id: z.uuid(),
    subscription_id: z.uuid().nullable(),
    plan: z.string(),
    status: z.enum(['paid', 'failed', 'refunded']),
    amount_inr: z.number(),
    amount_usd: z.number(),
    refunded_inr: z.number(),
    refunded_usd: z.number(),
    razorpay_payment_id: z.string().nullable(),
    razorpay_invoice_id: z.string().nullable(),
    failure_reason: z.string().nullable(),
    paid_at: z.string().nullable(),
    refunded_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('BillingInvoice');

type Rate = { USD_INR_RATE: number };

export function subscriptionJson(config: Rate, s: SubscriptionRow): z.infer<typeof SubscriptionJson> {
  const amount = money(config, paiseToInr(Number(s.amount_inr_paise)));
  return {
    id: s.id,
    developer_id: s.developer_id,
    plan: s.plan,
    status: s.status,
    razorpay_subscription_id: s.razorpay_subscription_id,
    razorpay_plan_id: s.razorpay_plan_id,
    amount_inr: amount.inr,
    amount_usd: amount.usd,
    current_start: iso(s.current_start),
    current_end: iso(s.current_end),
    activated_at: iso(s.activated_at),
    cancelled_at: iso(s.cancelled_at),
    created_at: iso(s.created_at) as string,
    updated_at: iso(s.updated_at) as string,
  };
}

export function invoiceJson(config: Rate, i: InvoiceRow): z.infer<typeof InvoiceJson> {
  const amount = money(config, paiseToInr(Number(i.amount_inr_paise)));
  const refunded = money(config, paiseToInr(Number(i.refunded_inr_paise)));
  return {
    id: i.id,
    developer_id: i.developer_id,
    subscription_id: i.subscription_id,
    plan: i.plan,
    status: i.status,
    amount_inr: amount.inr,
    amount_usd: amount.usd,
    refunded_inr: refunded.inr,
    refunded_usd: refunded.usd,
    razorpay_payment_id: i.razorpay_payment_id,
    razorpay_invoice_id: i.razorpay_invoice_id,
    failure_reason: i.failure_reason,
    paid_at: iso(i.paid_at),
    refunded_at: iso(i.refunded_at),
    created_at: iso(i.created_at) as string,
  };
}

const PlanPrice = z
  .object({
    plan: z.string(),
    monthly_usd: z.number(),
    monthly_inr: z.number(),
    daily_photo_quota: z.number().int().nullable().openapi({ description: 'null: unlimited' }),
    purchasable: z.boolean().openapi({ description: 'Sold through Razorpay on this instance' }),
  })
  .openapi('BillingPlanPrice');

const CheckoutBody = z
  .strictObject({
    plan: z.enum(PAID_PLANS as [string, ...string[]]).openapi({ example: 'developer' }),
  })
  .openapi('BillingCheckoutInput');

const Checkout = z
  .object({
    subscription_id: z
      .string()
      .openapi({ description: "Razorpay's subscription id (sub_…), for Razorpay Checkout" }),
    razorpay_key_id: z
      .string()
      .openapi({ description: 'The public key id Razorpay Checkout is opened with' }),
    short_url: z
      .string()
      .nullable()
      .openapi({ description: "Razorpay's hosted page to authorise the subscription" }),
    plan: z.string(),
    status: z.string(),
    amount_inr: z.number(),
    amount_usd: z.number(),
    usd_inr_rate: z.number(),
  })
  .openapi('BillingCheckout');

const CurrentBilling = z
  .object({
    plan: z.string().openapi({ description: 'The plan in force now (its quotas apply): developers.plan' }),
    billing_enabled: z.boolean(),
    usd_inr_rate: z.number(),
    plans: z.array(PlanPrice),
    subscription: SubscriptionJson.nullable(),
    invoices: z.array(InvoiceJson).openapi({ description: 'The newest 50' }),
  })
  .openapi('BillingCurrent');

const WebhookAck = z
  .object({
    status: z.enum(['applied', 'duplicate', 'ignored']),
    event_id: z.string(),
  })
  .openapi('BillingWebhookAck');

export function registerBillingRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/billing/checkout',
      tags: ['Billing'],
      summary: 'Start a Razorpay subscription to a paid plan',
      description:
        'Creates the subscription in Razorpay (status `created`) and returns what Razorpay Checkout needs; the plan applies when Razorpay reports the subscription active (webhook). Owners and admins only. 409 `billing_disabled` when this instance does not bill through Razorpay (plans are then set by an operator), `plan_not_available` when the plan has no Razorpay plan id (RAZORPAY_PLAN_IDS), `already_subscribed` when an active subscription to it exists; 503 `payment_provider_error` when Razorpay refuses or cannot be reached.',
      security: security.developer,
      middleware: [authenticate(tokens), requireRole('admin')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: CheckoutBody } } } },
      responses: {
        201: { description: 'Subscription created', content: { 'application/json': { schema: Checkout } } },
        ...pickErrors(401, 403, 409, 415, 422),
        503: {
          description: 'Razorpay refused or could not be reached (`payment_provider_error`)',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    }),
    async (c) => {
      const { config, db } = c.var.deps;
      const { plan } = c.req.valid('json');
      if (!billingEnabled(config))
        throw new BillingDisabledError(
          'Billing is not enabled on this instance: ask its operator to set your plan',
        );
      const planId = razorpayPlanId(config, plan);
      if (planId === undefined)
        throw new PlanNotAvailableError(`The ${plan} plan cannot be bought here: contact the operator`);
      const developerId = c.var.principal.developerId;
      const current = await currentSubscription(db, developerId);
      if (current !== undefined && current.status === 'active' && current.plan === plan)
        throw new AlreadySubscribedError(`You already have an active ${plan} subscription`);
      const client = new RazorpayClient(config);
      const created = await client.createSubscription({
        plan_id: planId,
        total_count: SUBSCRIPTION_TOTAL_COUNT,
        customer_notify: true,
        notes: { wearlink_developer_id: developerId, wearlink_plan: plan },
      });
      if (!created.ok) {
        c.var.logger.warn(
          { razorpay_status: created.status, razorpay_code: created.code, detail: created.description },
          'razorpay subscription create failed',
        );
        throw new PaymentProviderError(`Razorpay refused the subscription: ${created.description}`);
      }
      const amountPaise = monthlyPricePaise(config, plan);
      const row = await db.transaction().execute(async (trx) => {
        const stored = await insertSubscription(trx, {
          developer_id: developerId,
          plan,
          status: 'created',
          razorpay_subscription_id: created.value.id,
          razorpay_plan_id: planId,
          amount_inr_paise: amountPaise,
        });
        await recordAudit(trx, {
          developerId,
          actor: auditActor(c),
          action: 'billing.checkout_created',
          target: { type: 'billing_subscription', id: stored.id },
          request: auditRequest(c),
          detail: { plan, razorpay_subscription_id: created.value.id },
        });
        return stored;
      });
      const amount = money(config, paiseToInr(amountPaise));
      return c.json(
        {
          subscription_id: created.value.id,
          razorpay_key_id: config.RAZORPAY_KEY_ID as string,
          short_url: typeof created.value.short_url === 'string' ? created.value.short_url : null,
          plan: row.plan,
          status: row.status,
          amount_inr: amount.inr,
          amount_usd: amount.usd,
          usd_inr_rate: config.USD_INR_RATE,
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/billing/subscription',
      tags: ['Billing'],
      summary: 'Your plan, subscription and invoices',
      security: security.developer,
      middleware: authenticate(tokens),
      responses: {
        200: { description: 'Billing state', content: { 'application/json': { schema: CurrentBilling } } },
        ...pickErrors(401, 403),
      },
    }),
    async (c) => {
      const { config, db } = c.var.deps;
      const developerId = c.var.principal.developerId;
      const developer = await findDeveloperById(db, developerId);
      if (developer === undefined) throw new NotFoundError('Not found');
      const subscription = await currentSubscription(db, developerId);
      const invoices = await invoicesOf(db, developerId);
      const enabled = billingEnabled(config);
      return c.json(
        {
          plan: developer.plan,
          billing_enabled: enabled,
          usd_inr_rate: config.USD_INR_RATE,
          plans: PLAN_NAMES.map((plan) => ({
            plan,
            monthly_usd: MONTHLY_PRICE_USD[plan],
            monthly_inr: monthlyPriceInr(config, plan),
            daily_photo_quota: dailyPhotoQuota(plan),
            purchasable: enabled && MONTHLY_PRICE_USD[plan] > 0 && razorpayPlanId(config, plan) !== undefined,
          })),
          subscription: subscription === undefined ? null : subscriptionJson(config, subscription),
          invoices: invoices.map((i) => invoiceJson(config, i)),
        },
        200,
      );
    },
  );

  // Documented here, handled by hand below: the body must be read as raw bytes (the signature covers
  // them), never parsed by a validator first.
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: BILLING_WEBHOOK_PATH,
    tags: ['Billing'],
    summary: "Razorpay's webhook (register this URL in Razorpay's dashboard)",
    description:
      "Razorpay events: subscription.activated/charged/pending/halted/cancelled/completed, payment.captured/failed, refund.processed. Verified with `X-Razorpay-Signature` (hex HMAC-SHA256 of the raw body with RAZORPAY_WEBHOOK_SECRET): 400 `invalid_signature` otherwise. Idempotent by `X-Razorpay-Event-Id`: a repeated event answers 200 `duplicate` and changes nothing. A subscription becoming active sets the developer's plan (and quotas) at once; halted or cancelled falls back to the default plan. 404 `billing_disabled` when Razorpay is not configured.",
    request: {
      headers: z.object({
        'x-razorpay-signature': z.string().openapi({ description: 'hex HMAC-SHA256 of the raw body' }),
        'x-razorpay-event-id': z.string().optional(),
      }),
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({ event: z.string(), payload: z.record(z.string(), z.unknown()) })
              .passthrough()
              .openapi('RazorpayWebhookEvent'),
          },
        },
      },
    },
    responses: {
      200: {
        description: 'Applied, ignored or already seen',
        content: { 'application/json': { schema: WebhookAck } },
      },
      ...pickErrors(400, 404, 413),
    },
  });
  app.post(BILLING_WEBHOOK_PATH, razorpayWebhook);

  registerAdminBillingRoutes(app, tokens);
}

async function razorpayWebhook(c: Context<AppEnv>): Promise<Response> {
  const { config, db } = c.var.deps;
  // Read first, within the route's body cap (src/http/app.ts; an overrun is a 413), even when refusing:
  // answering before the client has sent its body leaves a keep-alive connection unusable.
  const raw = new Uint8Array(await c.req.arrayBuffer());
  if (!billingEnabled(config))
    throw new BillingWebhookDisabledError('Billing is not enabled on this instance');
  if (
    !razorpaySignatureValid(
      config.RAZORPAY_WEBHOOK_SECRET as string,
      raw,
      c.req.header('x-razorpay-signature'),
    )
  )
    throw new InvalidSignatureError('X-Razorpay-Signature does not match the body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch {
    throw new InvalidPayloadError('The body is not JSON');
  }
  const event = asRazorpayEvent(parsed);
  if (event === undefined) throw new InvalidPayloadError('The body is not a Razorpay event');
  const eventId = eventIdOf(c.req.header('x-razorpay-event-id'), raw);
  const superseded: string[] = [];
  const status = await applyRazorpayEvent(db, config, eventId, event, superseded);
  c.var.logger.info({ razorpay_event: event.event, event_id: eventId, status }, 'razorpay webhook');
  // After the commit, best effort: a cancel that fails leaves the old subscription live (shown in the
  // admin's subscription list) rather than failing Razorpay's delivery, which would be retried for nothing.
  if (superseded.length > 0) {
    const client = new RazorpayClient(config);
    for (const id of superseded) {
      const cancelled = await client.cancelSubscription(id);
      if (!cancelled.ok)
        c.var.logger.warn(
          { razorpay_subscription_id: id, razorpay_code: cancelled.code, detail: cancelled.description },
          'could not cancel a superseded Razorpay subscription',
        );
    }
  }
  return c.json({ status, event_id: eventId }, 200);
}
