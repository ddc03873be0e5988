import { Link } from '../router.tsx';
import { formatNumber, Section } from '../ui.tsx';
import { AdminHeader, humanize, JsonView, Money, QueryView, useAdminQuery } from './common.tsx';
import { Sparkline, toPoints } from './sparkline.tsx';

type Overview = Record<string, unknown>;

/** Where each "things to do" count is dealt with. */
const todoLinks: [RegExp, string][] = [
  [/nutrition|review/, '/admin/nutrition-review'],
  [/support|ticket/, '/admin/support?status=open'],
  [/locked/, '/admin/developers?locked=true'],
  [/failed_login|login/, '/admin/audit?action=developer.login_failed'],
  [/unverified/, '/admin/developers'],
];

function ThingsToDo(props: { todo: Record<string, unknown> }) {
  const items = Object.entries(props.todo).filter(([, v]) => typeof v === 'number') as [string, number][];
  return (
    <ul className="todo-strip" aria-label="Things to do">
      {items.map(([key, count]) => {
        const to = todoLinks.find(([pattern]) => pattern.test(key))?.[1];
        const label = `${humanize(key)}`;
        return (
          <li key={key} className={count > 0 ? 'todo-attention' : undefined}>
            <span className="todo-count">{formatNumber(count)}</span>
            {to && count > 0 ? <Link to={to}>{label}</Link> : <span>{label}</span>}
            {count > 0 && <span className="sr-only"> (needs attention)</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** The SaaS overview: whatever cards GET /admin/overview returns, the things-to-do strip first. */
export default function AdminOverview() {
  const overview = useAdminQuery<Overview>('/api/v1/admin/overview');
  return (
    <>
      <AdminHeader title="Overview" description="Tenants, revenue and growth across the platform." />
      <QueryView query={overview}>
        {(data) => {
          const todoKey = Object.keys(data).find((k) => /things|todo/.test(k));
          const todo = todoKey === undefined ? undefined : data[todoKey];
          const rest = Object.entries(data).filter(([key]) => key !== todoKey && key !== 'generated_at');
          const stats = rest.filter(([key, v]) => typeof v === 'number' && !/_(inr|usd)$/.test(key));
          const money = rest.filter(([key, v]) => typeof v === 'number' && /_inr$/.test(key));
          const series = rest.filter(([, v]) => toPoints(v) !== undefined);
          const other = rest.filter(
            ([key, v]) =>
              typeof v !== 'number' &&
              toPoints(v) === undefined &&
              !(typeof v === 'string' && key.endsWith('_at')),
          );
          return (
            <>
              {todo !== null && typeof todo === 'object' && (
                <Section title="Things to do">
                  <ThingsToDo todo={todo as Record<string, unknown>} />
                </Section>
              )}
              <div className="grid">
                {stats.map(([key, value]) => (
                  <section key={key} className="card" aria-label={humanize(key)}>
                    <p className="muted">{humanize(key)}</p>
                    <p className="stat">{formatNumber(value as number, 2)}</p>
                  </section>
                ))}
                {money.map(([key, value]) => {
                  const base = key.replace(/_inr$/, '');
                  return (
                    <section key={key} className="card" aria-label={humanize(base)}>
                      <p className="muted">{humanize(base)}</p>
                      <p className="stat">
                        <Money inr={value as number} usd={data[`${base}_usd`] as number | undefined} />
                      </p>
                    </section>
                  );
                })}
              </div>
              {series.map(([key, value]) => (
                <Section key={key} title={humanize(key)}>
                  <Sparkline points={toPoints(value) ?? []} label={humanize(key)} />
                </Section>
              ))}
              {other.map(([key, value]) => (
                <Section key={key} title={humanize(key)}>
                  <JsonView value={value} caption={humanize(key)} />
                </Section>
              ))}
            </>
          );
        }}
      </QueryView>
    </>
  );
}
