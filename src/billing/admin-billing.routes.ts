import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { adminPrincipal, superuserRoute } from '../admin/guard.ts';
import { type AuditAction, auditRequest, recordAudit } from '../audit/audit-log.ts';
import type { TokenService } from '../auth/tokens.ts';
import { boundedTimestamp } from '../health-data/date-range.ts';
import type { AppEnv } from '../http/context.ts';
import { pickErrors, UuidParam } from '../http/openapi.ts';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.ts';
import { findInvoiceForUpdate, setDeveloperPlan, updateInvoice } from './billing.repo.ts';
import { InvoiceJson, invoiceJson, SubscriptionJson, subscriptionJson } from './billing.routes.ts';
import { cogsSummary } from './cogs.repo.ts';
import { financeSummary, listInvoices, listSubscriptions } from './finance.repo.ts';
import { insights } from './insights.repo.ts';
import { PLAN_NAMES } from './price-book.ts';

/**
 * The operator's billing pages (spec 001, "Finance", "COGS", "Insights"), for superusers only (everyone
 * else gets a plain 404, src/admin/guard.ts), and the plan override a self-hosted instance without
 * Razorpay uses. Every amount comes in INR (`_inr`) and USD (`_usd`) with the `usd_inr_rate` used.
 * Mutations write one audit row in the admin's own trail, in the same transaction.
 */

class InvoiceNotRefundableError extends ConflictError {
  override readonly code = 'invoice_not_refundable';
}

const PlanName = z.enum(PLAN_NAMES as [string, ...string[]]);
const Paging = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};
const pagination = z.object({
  total_count: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const m = (what: string) => ({ [`${what}_inr`]: z.number(), [`${what}_usd`]: z.number() });

async function audit(
  c: Context<AppEnv>,
  trx: Parameters<typeof recordAudit>[0],
  action: AuditAction,
  target: { type: string; id: string },
  detail: Record<string, unknown>,
): Promise<void> {
  const admin = adminPrincipal(c.var.principal);
  await recordAudit(trx, {
    developerId: admin.developerId,
    actor: { type: 'admin', id: admin.accountId },
    action,
    target,
    request: auditRequest(c),
    detail,
  });
}

function periodOf(q: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const to = q.to === undefined ? now : new Date(q.to);
  const from =
    q.from === undefined ? new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1)) : new Date(q.from);
  if (from.getTime() >= to.getTime())
    throw new ValidationError([
      { loc: ['query', 'from'], msg: 'from must be before to', type: 'invalid_range' },
    ]);
  if (to.getTime() - from.getTime() > 3660 * 86_400_000)
    throw new ValidationError([
      { loc: ['query', 'from'], msg: 'the period may span at most 10 years', type: 'invalid_range' },
    ]);
  return { from, to };
}

export function registerAdminBillingRoutes(app: OpenAPIHono<AppEnv>, tokens: TokenService): void {
  const admin = superuserRoute(tokens);

  app.openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/api/v1/admin/developers/{id}/plan',
      tags: ['Admin'],
      summary: "Set a developer's plan by hand",
      description:
        'For a self-hosted instance without Razorpay (or a deal made outside it): the plan and its quotas apply at once. A later Razorpay event for the developer sets its plan again. Audited (`admin.developer.plan_set`).',
      request: {
        params: z.object({ id: UuidParam('id') }),
        body: {
          required: true,
          content: {
            'application/json': { schema: z.strictObject({ plan: PlanName }).openapi('AdminPlanInput') },
          },
        },
      },
      responses: {
        200: {
          description: 'Plan set',
          content: {
            'application/json': {
              schema: z
                .object({ developer_id: z.uuid(), plan: z.string(), previous_plan: z.string() })
                .openapi('AdminPlanSet'),
            },
          },
        },
        ...pickErrors(404, 415, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { plan } = c.req.valid('json');
      const { db } = c.var.deps;
      const result = await db.transaction().execute(async (trx) => {
        const developer = await trx
          .selectFrom('developers')
          .select(['id', 'plan', 'tenant_id'])
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        // Plans are the tenant's: a team member's row has none of its own.
        if (developer === undefined || developer.tenant_id !== null)
          throw new NotFoundError('Developer not found');
        await setDeveloperPlan(trx, id, plan);
        await audit(
          c,
          trx,
          'admin.developer.plan_set',
          { type: 'developer', id },
          {
            plan,
            previous_plan: developer.plan,
          },
        );
        return { developer_id: id, plan, previous_plan: developer.plan };
      });
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/finance/summary',
      tags: ['Admin'],
      summary: 'MRR, ARR, month-over-month change, collections and refunds',
      description:
        "MRR: the price-book monthly price of every live Razorpay subscription (active, or pending while Razorpay retries the card); plans set by hand are not revenue. `mom_change_pct` compares with the MRR at the start of this UTC month (null when that was zero). Collections and refunds are this and last UTC month's invoices.",
      responses: {
        200: {
          description: 'Summary',
          content: {
            'application/json': {
              schema: z
                .object({
                  usd_inr_rate: z.number(),
                  ...m('mrr'),
                  ...m('arr'),
                  ...m('mrr_month_start'),
                  mom_change_pct: z.number().nullable(),
                  active_subscriptions: z.number().int(),
                  ...m('collected_this_month'),
                  ...m('collected_last_month'),
                  ...m('refunds_this_month'),
                  refunds_this_month_count: z.number().int(),
                  month_start: z.string(),
                  generated_at: z.string(),
                })
                .openapi('AdminFinanceSummary'),
            },
          },
        },
        ...pickErrors(404),
      },
    }),
    async (c) => {
      const { config, db } = c.var.deps;
      const now = new Date();
      const s = await financeSummary(db, config, now);
      return c.json(
        {
          usd_inr_rate: config.USD_INR_RATE,
          mrr_inr: s.mrr.inr,
          mrr_usd: s.mrr.usd,
          arr_inr: s.arr.inr,
          arr_usd: s.arr.usd,
          mrr_month_start_inr: s.mrrMonthStart.inr,
          mrr_month_start_usd: s.mrrMonthStart.usd,
          mom_change_pct: s.momChangePct,
          active_subscriptions: s.activeSubscriptions,
          collected_this_month_inr: s.collectedThisMonth.inr,
          collected_this_month_usd: s.collectedThisMonth.usd,
          collected_last_month_inr: s.collectedLastMonth.inr,
          collected_last_month_usd: s.collectedLastMonth.usd,
          refunds_this_month_inr: s.refundsThisMonth.inr,
          refunds_this_month_usd: s.refundsThisMonth.usd,
          refunds_this_month_count: s.refundsThisMonth.count,
          month_start: s.monthStart.toISOString(),
          generated_at: now.toISOString(),
        },
        200,
      );
    },
  );

  const SubscriptionRow = SubscriptionJson.extend({ developer_email: z.string() }).openapi(
    'AdminSubscription',
  );
  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/finance/subscriptions',
      tags: ['Admin'],
      summary: 'Every subscription, newest first',
      request: {
        query: z.object({
          status: z
            .enum([
              'created',
              'authenticated',
              'active',
              'pending',
              'halted',
              'cancelled',
              'completed',
              'expired',
            ])
            .optional(),
          plan: PlanName.optional(),
          developer_id: z.uuid().optional(),
          ...Paging,
        }),
      },
      responses: {
        200: {
          description: 'A page',
          content: {
            'application/json': {
              schema: z
                .object({ usd_inr_rate: z.number(), data: z.array(SubscriptionRow), pagination })
                .openapi('AdminSubscriptionPage'),
            },
          },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { config, db } = c.var.deps;
      const page = await listSubscriptions(
        db,
        { status: q.status, plan: q.plan, developerId: q.developer_id },
        { limit: q.limit, offset: q.offset },
      );
      return c.json(
        {
          usd_inr_rate: config.USD_INR_RATE,
          data: page.rows.map((r) => ({
            ...subscriptionJson(config, r),
            developer_email: r.developer_email,
          })),
          pagination: { total_count: page.total, limit: q.limit, offset: q.offset },
        },
        200,
      );
    },
  );

  const InvoiceRow = InvoiceJson.extend({ developer_email: z.string() }).openapi('AdminInvoice');
  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/finance/invoices',
      tags: ['Admin'],
      summary: 'Every invoice, newest first, with filters',
      description: '`from` (inclusive) and `to` (exclusive) filter on when the invoice was recorded.',
      request: {
        query: z.object({
          status: z.enum(['paid', 'failed', 'refunded']).optional(),
          plan: PlanName.optional(),
          from: boundedTimestamp.optional(),
          to: boundedTimestamp.optional(),
          developer_id: z.uuid().optional(),
          ...Paging,
        }),
      },
      responses: {
        200: {
          description: 'A page',
          content: {
            'application/json': {
              schema: z
                .object({ usd_inr_rate: z.number(), data: z.array(InvoiceRow), pagination })
                .openapi('AdminInvoicePage'),
            },
          },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { config, db } = c.var.deps;
      const page = await listInvoices(
        db,
        {
          status: q.status,
          plan: q.plan,
          from: q.from === undefined ? undefined : new Date(q.from),
          to: q.to === undefined ? undefined : new Date(q.to),
          developerId: q.developer_id,
        },
        { limit: q.limit, offset: q.offset },
      );
      return c.json(
        {
          usd_inr_rate: config.USD_INR_RATE,
          data: page.rows.map((r) => ({ ...invoiceJson(config, r), developer_email: r.developer_email })),
          pagination: { total_count: page.total, limit: q.limit, offset: q.offset },
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      ...admin,
      method: 'post',
      path: '/api/v1/admin/finance/invoices/{id}/mark-refunded',
      tags: ['Admin'],
      summary: 'Mark an invoice refunded (bookkeeping: issue the refund in Razorpay first)',
      description:
        'Flips a paid invoice to refunded for its whole amount. 409 `invoice_not_refundable` for a failed or already refunded one. Audited (`admin.invoice.marked_refunded`).',
      request: { params: z.object({ id: UuidParam('id') }) },
      responses: {
        200: {
          description: 'Refunded',
          content: { 'application/json': { schema: InvoiceJson.extend({ usd_inr_rate: z.number() }) } },
        },
        ...pickErrors(404, 409, 422),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { config, db } = c.var.deps;
      const row = await db.transaction().execute(async (trx) => {
        const invoice = await findInvoiceForUpdate(trx, id);
        if (invoice === undefined) throw new NotFoundError('Invoice not found');
        if (invoice.status !== 'paid')
          throw new InvoiceNotRefundableError(
            `The invoice is ${invoice.status}: only a paid one can be marked refunded`,
          );
        const updated = await updateInvoice(trx, id, {
          status: 'refunded',
          refunded_inr_paise: invoice.amount_inr_paise,
          refunded_at: new Date(),
        });
        await audit(
          c,
          trx,
          'admin.invoice.marked_refunded',
          { type: 'billing_invoice', id },
          {
            developer_id: invoice.developer_id,
            amount_inr_paise: Number(invoice.amount_inr_paise),
            razorpay_payment_id: invoice.razorpay_payment_id,
          },
        );
        return updated;
      });
      return c.json({ ...invoiceJson(config, row), usd_inr_rate: config.USD_INR_RATE }, 200);
    },
  );

  const CogsLine = z
    .object({
      key: z.string(),
      label: z.string(),
      quantity: z.number(),
      unit: z.string(),
      rate_inr: z
        .number()
        .openapi({ description: 'INR per unit (RAZORPAY_FEE_PCT: percent of INR collected)' }),
      rate_env: z.string().openapi({ description: 'The environment variable that overrides the rate' }),
      ...m('cost'),
    })
    .openapi('AdminCogsLine');
  const UnitEconomics = z
    .object({
      plan: z.string(),
      ...m('price'),
      daily_photo_quota: z.number().nullable(),
      images_per_month: z.number().nullable(),
      vision_cost_inr: z.number().nullable(),
      vision_cost_usd: z.number().nullable(),
      margin_inr: z.number().nullable(),
      margin_usd: z.number().nullable(),
      margin_pct: z.number().nullable(),
      negative_margin: z
        .boolean()
        .openapi({ description: 'Underpriced at full use (or unbounded): review the price book' }),
      unbounded: z.boolean(),
    })
    .openapi('AdminUnitEconomics');
  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/cogs/summary',
      tags: ['Admin'],
      summary: 'Cost of goods sold over a period, gross margin and per-plan unit economics',
      description:
        'Period `from` (inclusive, default: the start of the current UTC month) to `to` (exclusive, default: now). Lines: vision recognitions (meal logs with a vision model created in the period), object storage (bytes of meal photos still stored, per GB-month), webhook deliveries (attempts in the period), Razorpay fees (RAZORPAY_FEE_PCT of INR collected in the period), fixed infra. Monthly rates are prorated to the period in 30-day months. Gross margin = (collected − refunded − costs) / (collected − refunded); null without revenue. Unit economics: each plan at its full daily photo quota for 30 days.',
      request: { query: z.object({ from: boundedTimestamp.optional(), to: boundedTimestamp.optional() }) },
      responses: {
        200: {
          description: 'COGS',
          content: {
            'application/json': {
              schema: z
                .object({
                  usd_inr_rate: z.number(),
                  from: z.string(),
                  to: z.string(),
                  period_months: z.number(),
                  lines: z.array(CogsLine),
                  ...m('total'),
                  ...m('revenue'),
                  gross_margin_pct: z.number().nullable(),
                  unit_economics: z.array(UnitEconomics),
                })
                .openapi('AdminCogsSummary'),
            },
          },
        },
        ...pickErrors(404, 422),
      },
    }),
    async (c) => {
      const { config, db } = c.var.deps;
      const { from, to } = periodOf(c.req.valid('query'), new Date());
      const s = await cogsSummary(db, config, from, to);
      return c.json(
        {
          usd_inr_rate: config.USD_INR_RATE,
          from: from.toISOString(),
          to: to.toISOString(),
          period_months: Math.round(s.months * 10_000) / 10_000,
          lines: s.lines.map(({ cost, ...line }) => ({ ...line, cost_inr: cost.inr, cost_usd: cost.usd })),
          total_inr: s.total.inr,
          total_usd: s.total.usd,
          revenue_inr: s.revenue.inr,
          revenue_usd: s.revenue.usd,
          gross_margin_pct: s.grossMarginPct,
          unit_economics: s.unitEconomics.map((u) => ({
            plan: u.plan,
            price_inr: u.price.inr,
            price_usd: u.price.usd,
            daily_photo_quota: u.daily_photo_quota,
            images_per_month: u.images_per_month,
            vision_cost_inr: u.vision_cost?.inr ?? null,
            vision_cost_usd: u.vision_cost?.usd ?? null,
            margin_inr: u.margin?.inr ?? null,
            margin_usd: u.margin?.usd ?? null,
            margin_pct: u.margin_pct,
            negative_margin: u.negative_margin,
            unbounded: u.unbounded,
          })),
        },
        200,
      );
    },
  );

  const Insights = z
    .object({
      generated_at: z.string(),
      usd_inr_rate: z.number(),
      financials: z.object({
        paying_tenants: z.number().int(),
        mrr_usd: z.number(),
        arpu_usd: z.number(),
        ltv_usd: z.number().openapi({ description: 'ARPU × estimated_lifespan_months' }),
        estimated_lifespan_months: z
          .number()
          .openapi({ description: '100 / churn_rate_pct; 12 with no churn' }),
        churn_rate_pct: z
          .number()
          .openapi({ description: 'Lifetime: activated subscriptions since cancelled, halted or expired' }),
        free_to_paid_conversion_pct: z
          .number()
          .openapi({ description: 'Tenants that ever activated a subscription, of all tenants' }),
      }),
      plan_mix: z.array(
        z.object({
          plan: z.string(),
          tenants: z.number().int().openapi({ description: 'Tenants on the plan now (developers.plan)' }),
          active: z.number().int().openapi({ description: 'Live paying subscriptions to the plan' }),
          monthly_usd: z.number(),
          contributing_mrr_usd: z.number(),
          pct_of_mrr: z.number(),
        }),
      ),
      funnel: z.array(
        z.object({ stage: z.string(), count: z.number().int(), pct_of_registered: z.number() }),
      ),
      dau: z.array(z.object({ date: z.string(), active_developers: z.number().int() })),
      weekly_cohorts: z.array(
        z.object({
          cohort_week: z.string(),
          size: z.number().int(),
          retained: z.array(z.number().int()),
          retention_pct: z.array(z.number()),
        }),
      ),
      providers: z.array(
        z.object({
          provider: z.string(),
          connections: z.number().int(),
          active_connections: z.number().int(),
          tenants: z.number().int(),
        }),
      ),
      top_developers: z.array(
        z.object({
          developer_id: z.uuid(),
          email: z.string(),
          plan: z.string(),
          events_30d: z.number().int(),
          users: z.number().int(),
        }),
      ),
    })
    .openapi('AdminInsights');
  app.openapi(
    createRoute({
      ...admin,
      method: 'get',
      path: '/api/v1/admin/insights',
      tags: ['Admin'],
      summary:
        'SaaS metrics: ARPU, LTV, churn, conversion, plan mix, funnel, DAU, cohorts, providers, top tenants',
      description:
        "A tenant's activity is any audited action, sync run or meal log (UTC days; ISO weeks from Monday). DAU covers the last 14 days, cohorts the last 8 weeks (`retained[k]`: members active k weeks after their registration week), top tenants the last 30 days.",
      responses: {
        200: { description: 'Insights', content: { 'application/json': { schema: Insights } } },
        ...pickErrors(404),
      },
    }),
    async (c) => {
      const { config, db } = c.var.deps;
      return c.json({ ...(await insights(db, config)), usd_inr_rate: config.USD_INR_RATE }, 200);
    },
  );
}
