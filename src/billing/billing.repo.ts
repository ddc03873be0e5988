import { randomUUID } from 'node:crypto';
import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { BillingInvoicesTable, BillingSubscriptionsTable, SubscriptionStatus } from '../db/schema.ts';

export type SubscriptionRow = Selectable<BillingSubscriptionsTable>;
export type InvoiceRow = Selectable<BillingInvoicesTable>;

/** Statuses in which a subscription's plan is the developer's plan. */
export const LIVE_STATUSES: SubscriptionStatus[] = ['active'];

export function insertSubscription(
  db: Db,
  row: Omit<Insertable<BillingSubscriptionsTable>, 'id' | 'updated_at'>,
): Promise<SubscriptionRow> {
  return db
    .insertInto('billing_subscriptions')
    .values({ id: randomUUID(), updated_at: new Date(), ...row })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Locked for the rest of the transaction: two events of one subscription apply one after the other. */
export function findSubscriptionByRazorpayIdForUpdate(db: Db, razorpayId: string) {
  return db
    .selectFrom('billing_subscriptions')
    .selectAll()
    .where('razorpay_subscription_id', '=', razorpayId)
    .forUpdate()
    .executeTakeFirst();
}

export function updateSubscription(
  db: Db,
  id: string,
  patch: Updateable<BillingSubscriptionsTable>,
): Promise<SubscriptionRow> {
  return db
    .updateTable('billing_subscriptions')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The developer's subscription that matters now: the newest active one, else the newest of any status. */
export function currentSubscription(db: Db, developerId: string): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom('billing_subscriptions')
    .selectAll()
    .where('developer_id', '=', developerId)
    .orderBy(sql`case when status = 'active' then 0 else 1 end`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The plan of the developer's newest active subscription other than `except`, if any. */
export async function otherActivePlan(
  db: Db,
  developerId: string,
  except: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('billing_subscriptions')
    .select('plan')
    .where('developer_id', '=', developerId)
    .where('status', 'in', LIVE_STATUSES)
    .where('id', '<>', except)
    .orderBy('activated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.plan;
}

/** Razorpay ids of the developer's other subscriptions still charging (active or pending). */
export async function otherLiveRazorpaySubscriptions(
  db: Db,
  developerId: string,
  except: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('billing_subscriptions')
    .select('razorpay_subscription_id')
    .where('developer_id', '=', developerId)
    .where('status', 'in', ['active', 'pending', 'authenticated'])
    .where('razorpay_subscription_id', 'is not', null)
    .where('id', '<>', except)
    .execute();
  return rows.map((r) => r.razorpay_subscription_id as string);
}

export function invoicesOf(db: Db, developerId: string, limit = 50): Promise<InvoiceRow[]> {
  return db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('developer_id', '=', developerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Records a Razorpay event id; false when it was seen before (a replay or a retry). Call it in the
 * transaction that applies the event: the id and the effect commit together, and a concurrent delivery
 * of the same id waits on the primary key and then finds it taken.
 */
export async function recordWebhookEvent(db: Db, eventId: string, event: string): Promise<boolean> {
  const row = await db
    .insertInto('billing_webhook_events')
    .values({ event_id: eventId, event })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function setDeveloperPlan(db: Db, developerId: string, plan: string): Promise<void> {
  await db
    .updateTable('developers')
    .set({ plan, updated_at: new Date() })
    .where('id', '=', developerId)
    .execute();
}

/** Inserts an invoice unless one for the same Razorpay payment exists; returns the stored row either way. */
export async function upsertInvoiceByPayment(
  db: Db,
  row: Omit<Insertable<BillingInvoicesTable>, 'id'> & { razorpay_payment_id: string },
): Promise<{ row: InvoiceRow; created: boolean }> {
  const inserted = await db
    .insertInto('billing_invoices')
    .values({ id: randomUUID(), ...row })
    .onConflict((oc) =>
      oc.column('razorpay_payment_id').where('razorpay_payment_id', 'is not', null).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
  if (inserted !== undefined) return { row: inserted, created: true };
  const existing = await findInvoiceByPayment(db, row.razorpay_payment_id);
  if (existing === undefined) throw new Error('invoice vanished after a conflict');
  return { row: existing, created: false };
}

export function findInvoiceByPayment(db: Db, paymentId: string): Promise<InvoiceRow | undefined> {
  return db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('razorpay_payment_id', '=', paymentId)
    .forUpdate()
    .executeTakeFirst();
}

export function findInvoiceByRazorpayInvoice(db: Db, invoiceId: string): Promise<InvoiceRow | undefined> {
  return db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('razorpay_invoice_id', '=', invoiceId)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findInvoiceForUpdate(db: Db, id: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom('billing_invoices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findSubscriptionById(db: Db, id: string): Promise<SubscriptionRow | undefined> {
  return db.selectFrom('billing_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function updateInvoice(
  db: Db,
  id: string,
  patch: Updateable<BillingInvoicesTable>,
): Promise<InvoiceRow> {
  return db
    .updateTable('billing_invoices')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
