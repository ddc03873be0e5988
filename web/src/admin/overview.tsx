import type { ReactNode } from 'react';
import { Link } from '../router.tsx';
import { formatDateTime, formatNumber, Section, Table } from '../ui.tsx';
import { AdminHeader, Money, QueryView, useAdminQuery } from './common.tsx';
import { Sparkline } from './sparkline.tsx';

interface Overview {
  generated_at: string;
  tenants: {
    total: number;
    team_members: number;
    verified: number;
    new_last_7_days: number;
    new_last_30_days: number;
  };
  revenue: { mrr: { inr: number; usd: number }; arr: { inr: number; usd: number }; usd_inr_rate: number };
  plan_distribution: { plan: string; tenants: number; pct: number }[];
  signups: { date: string; signups: number }[];
  things_to_do: {
    pending_nutrition_reviews: number;
    open_support_tickets: number;
    locked_developers: number;
    failed_login_bursts: { developer_id: string; email: string | null; failures: number; last_at: string }[];
    unverified_accounts: number;
  };
}

function Todo(props: { count: number; label: string; to: string }) {
  return (
    <li className={props.count > 0 ? 'todo-attention' : undefined}>
      <span className="todo-count">{formatNumber(props.count)}</span>
      {props.count > 0 ? <Link to={props.to}>{props.label}</Link> : <span>{props.label}</span>}
      {props.count > 0 && <span className="sr-only"> (needs attention)</span>}
    </li>
  );
}

function Stat(props: { label: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section className="card" aria-label={props.label}>
      <p className="muted">{props.label}</p>
      <p className="stat">{props.children}</p>
      {props.note && <p className="muted">{props.note}</p>}
    </section>
  );
}

export default function AdminOverview() {
  const overview = useAdminQuery<Overview>('/api/v1/admin/overview');
  return (
    <>
      <AdminHeader title="Overview" description="Tenants, revenue and growth across the platform." />
      <QueryView query={overview}>
        {(o) => {
          const t = o.things_to_do;
          return (
            <>
              <Section title="Things to do">
                <ul className="todo-strip" aria-label="Things to do">
                  <Todo
                    count={t.pending_nutrition_reviews}
                    label="Pending nutrition reviews"
                    to="/admin/nutrition-review"
                  />
                  <Todo
                    count={t.open_support_tickets}
                    label="Open support tickets"
                    to="/admin/support?status=open"
                  />
                  <Todo
                    count={t.locked_developers}
                    label="Locked developers"
                    to="/admin/developers?locked=true"
                  />
                  <Todo
                    count={t.failed_login_bursts.length}
                    label="Failed-login bursts (last hour)"
                    to="/admin/audit?action=developer.login_failed"
                  />
                  <Todo count={t.unverified_accounts} label="Unverified accounts" to="/admin/developers" />
                </ul>
                {t.failed_login_bursts.length > 0 && (
                  <Table
                    caption="Failed-login bursts in the last hour"
                    head={['Account', 'Failures', 'Last']}
                  >
                    {t.failed_login_bursts.map((b) => (
                      <tr key={b.developer_id}>
                        <td>
                          <Link to={`/admin/developers/${b.developer_id}`}>{b.email ?? b.developer_id}</Link>
                        </td>
                        <td>{formatNumber(b.failures)}</td>
                        <td>{formatDateTime(b.last_at)}</td>
                      </tr>
                    ))}
                  </Table>
                )}
              </Section>
              <div className="grid">
                <Stat
                  label="Tenants"
                  note={`${formatNumber(o.tenants.team_members)} team members; ${formatNumber(o.tenants.verified)} verified`}
                >
                  {formatNumber(o.tenants.total)}
                </Stat>
                <Stat label="New tenants" note={`${formatNumber(o.tenants.new_last_30_days)} in 30 days`}>
                  {formatNumber(o.tenants.new_last_7_days)} <span className="muted">in 7 days</span>
                </Stat>
                <Stat label="MRR" note={`At ${formatNumber(o.revenue.usd_inr_rate, 4)} INR per USD`}>
                  <Money inr={o.revenue.mrr.inr} usd={o.revenue.mrr.usd} />
                </Stat>
                <Stat label="ARR">
                  <Money inr={o.revenue.arr.inr} usd={o.revenue.arr.usd} />
                </Stat>
              </div>
              <Section title="Signups, last 14 days">
                <Sparkline
                  points={o.signups.map((s) => ({ date: s.date, value: s.signups }))}
                  label="New tenants"
                />
              </Section>
              <Section title="Plan distribution">
                <Table caption="Tenants per plan" head={['Plan', 'Tenants', 'Share']}>
                  {o.plan_distribution.map((p) => (
                    <tr key={p.plan}>
                      <td>{p.plan}</td>
                      <td>{formatNumber(p.tenants)}</td>
                      <td>
                        <div className="row">
                          <div className="progress" style={{ width: '8rem' }}>
                            <span style={{ width: `${Math.min(100, p.pct)}%` }} />
                          </div>
                          {formatNumber(p.pct, 1)} %
                        </div>
                      </td>
                    </tr>
                  ))}
                </Table>
              </Section>
              <p className="muted">As of {formatDateTime(o.generated_at)}.</p>
            </>
          );
        }}
      </QueryView>
    </>
  );
}
