import { api, apiPath } from '../api.ts';
import { setQuery } from '../router.tsx';
import { Badge, Empty, Field, formatDateTime, formatNumber, Section, Select, Table } from '../ui.tsx';
import {
  AdminHeader,
  ConfirmButton,
  formatPct,
  Money,
  Pager,
  type Pagination,
  QueryView,
  useAdminQuery,
  useFilters,
} from './common.tsx';

interface Summary {
  usd_inr_rate: number;
  mrr_inr: number;
  mrr_usd: number;
  arr_inr: number;
  arr_usd: number;
  mom_change_pct: number | null;
  active_subscriptions: number;
  collected_this_month_inr: number;
  collected_this_month_usd: number;
  collected_last_month_inr: number;
  collected_last_month_usd: number;
  refunds_this_month_inr: number;
  refunds_this_month_usd: number;
  refunds_this_month_count: number;
}

interface Subscription {
  id: string;
  developer_email: string;
  plan: string;
  status: string;
  amount_inr: number;
  amount_usd: number;
  razorpay_subscription_id: string | null;
  current_end: string | null;
  created_at: string;
}

interface Invoice {
  id: string;
  developer_email: string;
  plan: string;
  status: 'paid' | 'failed' | 'refunded';
  amount_inr: number;
  amount_usd: number;
  refunded_inr: number;
  refunded_usd: number;
  razorpay_payment_id: string | null;
  failure_reason: string | null;
  paid_at: string | null;
  created_at: string;
}

const PLAN_OPTIONS = [
  { value: '', label: 'Any plan' },
  ...['hobby', 'developer', 'scale', 'enterprise'].map((p) => ({ value: p, label: p })),
];
const invoiceTone = { paid: 'ok', failed: 'bad', refunded: 'warn' } as const;

function SummaryCards() {
  const summary = useAdminQuery<Summary>('/api/v1/admin/finance/summary');
  return (
    <QueryView query={summary}>
      {(s) => (
        <>
          <p className="muted">
            Amounts in INR and USD at {formatNumber(s.usd_inr_rate, 4)} INR per USD (USD_INR_RATE).
          </p>
          <div className="grid">
            <section className="card" aria-label="MRR">
              <p className="muted">MRR</p>
              <p className="stat">
                <Money inr={s.mrr_inr} usd={s.mrr_usd} />
              </p>
              <p className="muted">
                Month over month:{' '}
                {s.mom_change_pct === null
                  ? 'n/a'
                  : `${s.mom_change_pct > 0 ? '+' : ''}${formatPct(s.mom_change_pct)}`}
              </p>
            </section>
            <section className="card" aria-label="ARR">
              <p className="muted">ARR</p>
              <p className="stat">
                <Money inr={s.arr_inr} usd={s.arr_usd} />
              </p>
              <p className="muted">{formatNumber(s.active_subscriptions)} active subscriptions</p>
            </section>
            <section className="card" aria-label="Collected">
              <p className="muted">Collected this month</p>
              <p className="stat">
                <Money inr={s.collected_this_month_inr} usd={s.collected_this_month_usd} />
              </p>
              <p className="muted">
                Last month: <Money inr={s.collected_last_month_inr} usd={s.collected_last_month_usd} />
              </p>
            </section>
            <section className="card" aria-label="Refunds">
              <p className="muted">Refunds this month</p>
              <p className="stat">
                <Money inr={s.refunds_this_month_inr} usd={s.refunds_this_month_usd} />
              </p>
              <p className="muted">{formatNumber(s.refunds_this_month_count)} refunded</p>
            </section>
          </div>
        </>
      )}
    </QueryView>
  );
}

function Subscriptions() {
  const f = useFilters(['sub_status', 'sub_plan', 'sub_offset']);
  const list = useAdminQuery<{ data: Subscription[]; pagination: Pagination }>(
    apiPath('/admin/finance/subscriptions', {
      status: f.sub_status,
      plan: f.sub_plan,
      offset: f.sub_offset,
      limit: 25,
    }),
  );
  return (
    <>
      <div className="row admin-filters">
        <Select
          label="Subscription status"
          value={f.sub_status ?? ''}
          onChange={(e) => setQuery({ sub_status: e.target.value || undefined, sub_offset: undefined })}
          options={[
            { value: '', label: 'Any status' },
            ...[
              'active',
              'pending',
              'halted',
              'cancelled',
              'completed',
              'expired',
              'created',
              'authenticated',
            ].map((s) => ({ value: s, label: s })),
          ]}
        />
        <Select
          label="Subscription plan"
          value={f.sub_plan ?? ''}
          onChange={(e) => setQuery({ sub_plan: e.target.value || undefined, sub_offset: undefined })}
          options={PLAN_OPTIONS}
        />
      </div>
      <QueryView query={list}>
        {({ data }) =>
          data.length === 0 ? (
            <Empty title="No subscriptions" />
          ) : (
            <Table
              caption="Subscriptions"
              head={['Developer', 'Plan', 'Status', 'Per cycle', 'Renews', 'Razorpay id']}
            >
              {data.map((s) => (
                <tr key={s.id}>
                  <td>{s.developer_email}</td>
                  <td>{s.plan}</td>
                  <td>
                    <Badge tone={s.status === 'active' ? 'ok' : s.status === 'halted' ? 'bad' : 'neutral'}>
                      {s.status}
                    </Badge>
                  </td>
                  <td>
                    <Money inr={s.amount_inr} usd={s.amount_usd} />
                  </td>
                  <td>{formatDateTime(s.current_end)}</td>
                  <td>
                    <code>{s.razorpay_subscription_id ?? 'set by hand'}</code>
                  </td>
                </tr>
              ))}
            </Table>
          )
        }
      </QueryView>
    </>
  );
}

function Invoices() {
  const f = useFilters(['status', 'plan', 'from', 'to', 'offset']);
  const toIso = (day: string | undefined) => (day ? `${day}T00:00:00Z` : undefined);
  const list = useAdminQuery<{ data: Invoice[]; pagination: Pagination }>(
    apiPath('/admin/finance/invoices', {
      status: f.status,
      plan: f.plan,
      from: toIso(f.from),
      to: toIso(f.to),
      offset: f.offset,
      limit: 25,
    }),
  );
  return (
    <>
      <div className="row admin-filters">
        <Select
          label="Invoice status"
          value={f.status ?? ''}
          onChange={(e) => setQuery({ status: e.target.value || undefined, offset: undefined })}
          options={[
            { value: '', label: 'Any status' },
            { value: 'paid', label: 'Paid' },
            { value: 'failed', label: 'Failed' },
            { value: 'refunded', label: 'Refunded' },
          ]}
        />
        <Select
          label="Invoice plan"
          value={f.plan ?? ''}
          onChange={(e) => setQuery({ plan: e.target.value || undefined, offset: undefined })}
          options={PLAN_OPTIONS}
        />
        <Field
          label="From (UTC day)"
          type="date"
          value={f.from ?? ''}
          onChange={(e) => setQuery({ from: e.target.value || undefined, offset: undefined })}
        />
        <Field
          label="Before (UTC day)"
          type="date"
          value={f.to ?? ''}
          onChange={(e) => setQuery({ to: e.target.value || undefined, offset: undefined })}
        />
      </div>
      <QueryView query={list}>
        {({ data, pagination }) =>
          data.length === 0 ? (
            <Empty title="No invoices match" />
          ) : (
            <>
              <Table
                caption="Invoices"
                head={['Recorded', 'Developer', 'Plan', 'Amount', 'Status', 'Actions']}
              >
                {data.map((inv) => (
                  <tr key={inv.id}>
                    <td>{formatDateTime(inv.paid_at ?? inv.created_at)}</td>
                    <td>{inv.developer_email}</td>
                    <td>{inv.plan}</td>
                    <td>
                      <Money inr={inv.amount_inr} usd={inv.amount_usd} />
                    </td>
                    <td>
                      <Badge tone={invoiceTone[inv.status]}>{inv.status}</Badge>
                      {inv.failure_reason && <div className="muted">{inv.failure_reason}</div>}
                    </td>
                    <td>
                      {inv.status === 'paid' && (
                        <ConfirmButton
                          label="Mark refunded"
                          title="Mark this invoice refunded?"
                          onConfirm={() => api.post(`/api/v1/admin/finance/invoices/${inv.id}/mark-refunded`)}
                        >
                          Bookkeeping only: issue the refund in Razorpay first (
                          {inv.razorpay_payment_id ?? 'no payment id'}).
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
              <Pager pagination={pagination} label="Invoices" />
            </>
          )
        }
      </QueryView>
    </>
  );
}

export default function AdminFinance() {
  return (
    <>
      <AdminHeader
        title="Finance"
        description="Revenue, subscriptions and invoices (Razorpay collects in INR)."
      />
      <Section title="Summary">
        <SummaryCards />
      </Section>
      <Section title="Subscriptions">
        <Subscriptions />
      </Section>
      <Section title="Invoices">
        <Invoices />
      </Section>
    </>
  );
}
