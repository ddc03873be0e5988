import { Badge, formatNumber, Section, Table } from '../ui.tsx';
import { AdminHeader, formatPct, Money, QueryView, useAdminQuery } from './common.tsx';

interface Cogs {
  usd_inr_rate: number;
  from: string;
  to: string;
  period_months: number;
  lines: {
    key: string;
    label: string;
    quantity: number;
    unit: string;
    rate_inr: number;
    rate_env: string;
    cost_inr: number;
    cost_usd: number;
  }[];
  total_inr: number;
  total_usd: number;
  revenue_inr: number;
  revenue_usd: number;
  gross_margin_pct: number | null;
  unit_economics: {
    plan: string;
    price_inr: number;
    price_usd: number;
    daily_photo_quota: number | null;
    images_per_month: number | null;
    vision_cost_inr: number | null;
    vision_cost_usd: number | null;
    margin_inr: number | null;
    margin_usd: number | null;
    margin_pct: number | null;
    negative_margin: boolean;
    unbounded: boolean;
  }[];
}

export default function AdminCogs() {
  const cogs = useAdminQuery<Cogs>('/api/v1/admin/cogs/summary');
  return (
    <>
      <AdminHeader
        title="COGS"
        description="Variable costs from platform data at each deployment's unit rates (env-overridable)."
      />
      <QueryView query={cogs}>
        {(c) => (
          <>
            <div className="grid">
              <section className="card" aria-label="Total cost">
                <p className="muted">Total cost</p>
                <p className="stat">
                  <Money inr={c.total_inr} usd={c.total_usd} />
                </p>
              </section>
              <section className="card" aria-label="Revenue">
                <p className="muted">Revenue (net of refunds)</p>
                <p className="stat">
                  <Money inr={c.revenue_inr} usd={c.revenue_usd} />
                </p>
              </section>
              <section className="card" aria-label="Gross margin">
                <p className="muted">Gross margin</p>
                <p className="stat">
                  {c.gross_margin_pct === null ? 'n/a (no revenue)' : formatPct(c.gross_margin_pct)}
                </p>
              </section>
            </div>
            <Section title="Cost lines">
              <p className="muted">
                {c.from.slice(0, 10)} to {c.to.slice(0, 10)} ({formatNumber(c.period_months, 2)} months) at{' '}
                {formatNumber(c.usd_inr_rate, 4)} INR per USD.
              </p>
              <Table caption="Cost lines" head={['Line', 'Quantity', 'Rate (INR)', 'Override', 'Cost']}>
                {c.lines.map((line) => (
                  <tr key={line.key}>
                    <td>{line.label}</td>
                    <td>
                      {formatNumber(line.quantity, 3)} {line.unit}
                    </td>
                    <td>{formatNumber(line.rate_inr, 4)}</td>
                    <td>
                      <code>{line.rate_env}</code>
                    </td>
                    <td>
                      <Money inr={line.cost_inr} usd={line.cost_usd} />
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row" colSpan={4}>
                    Total
                  </th>
                  <td>
                    <Money inr={c.total_inr} usd={c.total_usd} />
                  </td>
                </tr>
              </Table>
            </Section>
            <Section title="Unit economics at 100 % use">
              <p className="muted">
                Each plan with its daily photo quota used every day for 30 days. Negative margins mean the
                plan is underpriced.
              </p>
              <Table
                caption="Per-plan unit economics"
                head={['Plan', 'Price', 'Images / month', 'Vision cost', 'Margin', 'Verdict']}
              >
                {c.unit_economics.map((u) => (
                  <tr key={u.plan} className={u.negative_margin ? 'negative' : undefined}>
                    <td>{u.plan}</td>
                    <td>
                      <Money inr={u.price_inr} usd={u.price_usd} />
                    </td>
                    <td>{u.unbounded ? 'Unlimited' : formatNumber(u.images_per_month)}</td>
                    <td>
                      <Money inr={u.vision_cost_inr} usd={u.vision_cost_usd} />
                    </td>
                    <td>
                      <Money inr={u.margin_inr} usd={u.margin_usd} />{' '}
                      {u.margin_pct !== null && `(${formatPct(u.margin_pct)})`}
                    </td>
                    <td>
                      {u.negative_margin ? (
                        <Badge tone="bad">
                          {u.unbounded ? 'Unbounded: review price' : 'Negative margin: review price'}
                        </Badge>
                      ) : (
                        <Badge tone="ok">Positive margin</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </Table>
            </Section>
          </>
        )}
      </QueryView>
    </>
  );
}
