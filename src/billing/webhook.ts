import { createHash } from 'node:crypto';
import type { Config } from '../config/load-config.ts';
import type { Db } from '../db/database.ts';
import type { SubscriptionStatus } from '../db/schema.ts';
import {
  findInvoiceByPayment,
  findInvoiceByRazorpayInvoice,
  findSubscriptionById,
  findSubscriptionByRazorpayIdForUpdate,
  otherActivePlan,
  otherLiveRazorpaySubscriptions,
  recordWebhookEvent,
  type SubscriptionRow,
  setDeveloperPlan,
  updateInvoice,
  updateSubscription,
  upsertInvoiceByPayment,
} from './billing.repo.ts';

/**
 * Applies one verified Razorpay webhook event. Razorpay sends an event at least once (it retries until
 * a 2xx, and may send one twice): the event id (X-Razorpay-Event-Id) is recorded in the same transaction
 * as the effect, so a replay finds it taken and changes nothing. Events about subscriptions WearLink did
 * not create (another product on the same Razorpay account) are recorded and otherwise ignored.
 */
export type WebhookOutcome = 'applied' | 'duplicate' | 'ignored';

interface Entity {
  [key: string]: unknown;
}

export interface RazorpayEvent {
  event: string;
  payload: {
    subscription?: { entity?: Entity };
    payment?: { entity?: Entity };
    refund?: { entity?: Entity };
  };
  created_at?: number;
}

/** A parsed body that has the shape of a Razorpay event (`event` and `payload`), else undefined. */
export function asRazorpayEvent(value: unknown): RazorpayEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { event, payload } = value as Record<string, unknown>;
  if (typeof event !== 'string' || event.length === 0 || event.length > 100) return undefined;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  return value as RazorpayEvent;
}

/** The event id Razorpay sends in a header; without one, a digest of the body (a byte-equal replay). */
export function eventIdOf(header: string | undefined, rawBody: Uint8Array): string {
  const id = header?.trim();
  if (id && id.length <= 200) return id;
  return `body-sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
}

/** PostgreSQL text holds no U+0000 nor lone surrogates: such a string (even signed) is treated as absent. */
const unstorable = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= 500 && !unstorable.test(v) ? v : undefined;
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
/** Razorpay times are Unix seconds. */
const time = (v: unknown): Date | undefined => {
  const s = int(v);
  return s === undefined || s === 0 ? undefined : new Date(s * 1000);
};

const SUBSCRIPTION_STATUSES: readonly string[] = [
  'created',
  'authenticated',
  'active',
  'pending',
  'halted',
  'cancelled',
  'completed',
  'expired',
];

export async function applyRazorpayEvent(
  db: Db,
  config: Pick<Config, 'DEFAULT_PLAN'>,
  eventId: string,
  event: RazorpayEvent,
  /** Filled with the Razorpay ids of subscriptions this event supersedes (the caller cancels them in Razorpay). */
  superseded: string[] = [],
): Promise<WebhookOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await recordWebhookEvent(trx, eventId, event.event))) return 'duplicate';
    const subscriptionEntity = event.payload.subscription?.entity;
    const payment = event.payload.payment?.entity;
    const subscriptionRzpId = str(subscriptionEntity?.id) ?? str(payment?.subscription_id);
    const subscription =
      subscriptionRzpId === undefined
        ? undefined
        : await findSubscriptionByRazorpayIdForUpdate(trx, subscriptionRzpId);

    switch (event.event) {
      case 'subscription.activated':
      case 'subscription.charged': {
        if (subscription === undefined) return 'ignored';
        // A new plan replaces the old one (an upgrade or downgrade is a new subscription): the older
        // live subscriptions are cancelled in Razorpay, whose cancellation events then end them here.
        if (subscription.status !== 'active')
          superseded.push(
            ...(await otherLiveRazorpaySubscriptions(trx, subscription.developer_id, subscription.id)),
          );
        const active = await activate(trx, subscription, subscriptionEntity ?? {});
        if (event.event === 'subscription.charged' && payment !== undefined)
          await recordPayment(trx, active, payment, 'paid');
        return 'applied';
      }
      case 'subscription.halted':
      case 'subscription.cancelled':
      case 'subscription.completed': {
        if (subscription === undefined) return 'ignored';
        const status = event.event.slice('subscription.'.length) as SubscriptionStatus;
        await end(trx, config, subscription, status, subscriptionEntity ?? {});
        return 'applied';
      }
      case 'subscription.pending':
      case 'subscription.authenticated': {
        if (subscription === undefined) return 'ignored';
        const status = event.event.slice('subscription.'.length) as SubscriptionStatus;
        // Pending keeps the plan (Razorpay is still retrying the card); authenticated is before the first charge.
        if (subscription.status !== 'active' || status === 'pending')
          await updateSubscription(trx, subscription.id, { status });
        return 'applied';
      }
      case 'payment.captured':
      case 'payment.failed': {
        if (payment === undefined) return 'ignored';
        const paymentId = str(payment.id);
        if (paymentId === undefined) return 'ignored';
        const known = await findInvoiceByPayment(trx, paymentId);
        const owner =
          subscription ??
          (known?.subscription_id ? await findSubscriptionById(trx, known.subscription_id) : undefined) ??
          (str(payment.invoice_id) !== undefined
            ? await subscriptionOfRazorpayInvoice(trx, str(payment.invoice_id) as string)
            : undefined);
        if (owner === undefined) return 'ignored';
        if (event.event === 'payment.captured') {
          // A capture settles a payment recorded as failed earlier (a retry of the same payment).
          if (known !== undefined && known.status === 'failed')
            await updateInvoice(trx, known.id, {
              status: 'paid',
              paid_at: time(payment.created_at) ?? new Date(),
              failure_reason: null,
            });
          else if (known === undefined) await recordPayment(trx, owner, payment, 'paid');
        } else if (known === undefined) {
          await recordPayment(trx, owner, payment, 'failed');
        }
        return 'applied';
      }
      case 'refund.processed': {
        const refund = event.payload.refund?.entity;
        const paymentId = str(refund?.payment_id) ?? str(payment?.id);
        if (paymentId === undefined) return 'ignored';
        const invoice = await findInvoiceByPayment(trx, paymentId);
        if (invoice === undefined) return 'ignored';
        const amount = Number(invoice.amount_inr_paise);
        // The payment's running total when Razorpay sends it (idempotent by nature), else this refund added.
        const total =
          int(payment?.amount_refunded) ??
          Number(invoice.refunded_inr_paise) + (int(refund?.amount) ?? amount);
        const refunded = Math.min(amount, Math.max(total, Number(invoice.refunded_inr_paise)));
        await updateInvoice(trx, invoice.id, {
          status: 'refunded',
          refunded_inr_paise: refunded,
          refunded_at: time(refund?.created_at) ?? new Date(),
        });
        return 'applied';
      }
      default:
        return 'ignored';
    }
  });
}

async function subscriptionOfRazorpayInvoice(db: Db, invoiceId: string) {
  const invoice = await findInvoiceByRazorpayInvoice(db, invoiceId);
  return invoice?.subscription_id ? findSubscriptionById(db, invoice.subscription_id) : undefined;
}

/** Active now: the developer's plan becomes the subscription's at once (quotas follow developers.plan). */
async function activate(db: Db, subscription: SubscriptionRow, entity: Entity): Promise<SubscriptionRow> {
  const now = new Date();
  const updated = await updateSubscription(db, subscription.id, {
    status: 'active',
    activated_at: subscription.activated_at ?? now,
    cancelled_at: null,
    current_start: time(entity.current_start) ?? subscription.current_start,
    current_end: time(entity.current_end) ?? subscription.current_end,
  });
  await setDeveloperPlan(db, subscription.developer_id, subscription.plan);
  return updated;
}

/** Halted, cancelled or completed: the developer falls back to another active plan, else the default. */
async function end(
  db: Db,
  config: Pick<Config, 'DEFAULT_PLAN'>,
  subscription: SubscriptionRow,
  status: SubscriptionStatus,
  entity: Entity,
): Promise<void> {
  if (!SUBSCRIPTION_STATUSES.includes(status)) return;
  await updateSubscription(db, subscription.id, {
    status,
    cancelled_at: status === 'cancelled' ? (time(entity.ended_at) ?? new Date()) : subscription.cancelled_at,
  });
  const fallback =
    (await otherActivePlan(db, subscription.developer_id, subscription.id)) ?? config.DEFAULT_PLAN;
  await setDeveloperPlan(db, subscription.developer_id, fallback);
}

async function recordPayment(
  db: Db,
  subscription: SubscriptionRow,
  payment: Entity,
  status: 'paid' | 'failed',
): Promise<void> {
  const paymentId = str(payment.id);
  const amount = int(payment.amount);
  if (paymentId === undefined || amount === undefined) return;
  const at = time(payment.created_at) ?? new Date();
  await upsertInvoiceByPayment(db, {
    developer_id: subscription.developer_id,
    subscription_id: subscription.id,
    plan: subscription.plan,
    status,
    amount_inr_paise: amount,
    razorpay_payment_id: paymentId,
    razorpay_invoice_id: str(payment.invoice_id) ?? null,
    failure_reason:
      status === 'failed'
        ? (str(payment.error_description) ?? str(payment.error_code) ?? 'payment failed').slice(0, 500)
        : null,
    paid_at: status === 'paid' ? at : null,
  });
  if (status === 'paid' && Number(subscription.amount_inr_paise) !== amount)
    await updateSubscription(db, subscription.id, { amount_inr_paise: amount });
}
