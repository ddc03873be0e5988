import { formatNumber, Section, Table } from '../ui.tsx';
import { AdminHeader, formatPct, JsonView, QueryView, useAdminQuery } from './common.tsx';

interface Insights {
  financials: {
    paying_tenants: number;
    mrr_usd: number;
    arpu_usd: number;
    ltv_usd: number;
    estimated_lifespan_months: number;
    churn_rate_pct: number;
    free_to_paid_conversion_pct: number;
  };
  plan_mix: unknown[];
  funnel: unknown[];
  dau: unknown[];
  weekly_cohorts: { cohort_week: string; size: number; retained: number[]; retention_pct: number[] }[];
  providers: unknown[];
  top_developers: unknown[];
}

const usd = (value: number) => `$${formatNumber(value, 2)}`;

function Cohorts(props: { cohorts: Insights['weekly_cohorts'] }) {
  const weeks = Math.max(0, ...props.cohorts.map((c) => c.retention_pct.length));
  return (
    <Table
      caption="Weekly cohort retention"
      head={['Cohort week', 'Size', ...Array.from({ length: weeks }, (_, k) => `Week ${k}`)]}
    >
      {props.cohorts.map((c) => (
        <tr key={c.cohort_week}>
          <td>{c.cohort_week.slice(0, 10)}</td>
          <td>{formatNumber(c.size)}</td>
          {Array.from({ length: weeks }, (_, k) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the week offset is the column's identity
            <td key={`${c.cohort_week}-${k}`}>
              {c.retention_pct[k] === undefined
                ? ''
                : `${formatPct(c.retention_pct[k])} (${formatNumber(c.retained[k])})`}
            </td>
          ))}
        </tr>
      ))}
    </Table>
  );
}

export default function AdminInsights() {
  const insights = useAdminQuery<Insights>('/api/v1/admin/insights');
  return (
    <>
      <AdminHeader title="Insights" description="SaaS metrics across every tenant." />
      <QueryView query={insights}>
        {(i) => (
          <>
            <div className="grid">
              {(
                [
                  ['ARPU', usd(i.financials.arpu_usd)],
                  ['LTV', usd(i.financials.ltv_usd)],
                  ['Estimated lifespan', `${formatNumber(i.financials.estimated_lifespan_months, 1)} months`],
                  ['Churn rate', formatPct(i.financials.churn_rate_pct)],
                  ['Free → paid conversion', formatPct(i.financials.free_to_paid_conversion_pct)],
                  ['Paying tenants', formatNumber(i.financials.paying_tenants)],
                ] as const
              ).map(([label, value]) => (
                <section key={label} className="card" aria-label={label}>
                  <p className="muted">{label}</p>
                  <p className="stat">{value}</p>
                </section>
              ))}
            </div>
            <Section title="Plan mix">
              <JsonView value={i.plan_mix} caption="Plan mix with MRR contribution" />
            </Section>
            <Section title="Activation funnel">
              <JsonView value={i.funnel} caption="Activation funnel" />
            </Section>
            <Section title="Daily active developers">
              <JsonView value={i.dau} caption="Daily active developers" />
            </Section>
            <Section title="Weekly cohort retention">
              {i.weekly_cohorts.length === 0 ? (
                <p className="muted">No cohorts yet.</p>
              ) : (
                <Cohorts cohorts={i.weekly_cohorts} />
              )}
            </Section>
            <Section title="Provider popularity">
              <JsonView value={i.providers} caption="Provider popularity" />
            </Section>
            <Section title="Top tenants (30 days)">
              <JsonView value={i.top_developers} caption="Top tenants by activity" />
            </Section>
          </>
        )}
      </QueryView>
    </>
  );
}
