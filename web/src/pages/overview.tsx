import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, apiPath } from '../api.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session.tsx';
import { Badge, Button, ErrorNote, formatDateTime, formatNumber, Loading, PageHeader } from '../ui.tsx';
import { FirstRunChecklist, setupSteps } from './overview/checklist.tsx';
import type { Overview } from './overview/types.ts';
import './overview/overview.css';

/** The tenant at a glance (GET /api/v1/dashboard/overview), refreshed every 30 s while the page is open. */
export default function OverviewPage() {
  const { me } = useSession();
  const overview = useQuery({
    queryKey: ['dashboard-overview'],
    queryFn: ({ signal }) => api.get<Overview>(apiPath('/dashboard/overview'), { signal }),
    refetchInterval: 30_000,
  });
  const data = overview.data;
  return (
    <>
      <PageHeader
        title="Overview"
        description={me ? `${me.name || me.email}: your WearLink at a glance.` : 'Your WearLink at a glance.'}
        actions={
          <Button onClick={() => overview.refetch()} busy={overview.isFetching}>
            Refresh
          </Button>
        }
      />
      {overview.isPending && <Loading label="Loading the overview…" />}
      {overview.isError && <ErrorNote error={overview.error} retry={() => overview.refetch()} />}
      {data && (
        <>
          {setupSteps(data).some((step) => !step.done) && <FirstRunChecklist overview={data} />}
          <div className="grid overview-grid">
            <UsersCard data={data} />
            <ConnectionsCard data={data} />
            <SyncsCard data={data} />
            <WebhooksCard data={data} />
            <QuotaCard data={data} />
            <KeysCard data={data} />
          </div>
          <p className="muted overview-footnote">
            Windowed counts cover {formatDateTime(data.window_start)} to {formatDateTime(data.generated_at)}{' '}
            (the last 24 hours).
          </p>
        </>
      )}
    </>
  );
}

function StatCard(props: {
  title: string;
  value: ReactNode;
  caption?: ReactNode;
  link: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section className="card overview-card" aria-label={props.title}>
      <h2>{props.title}</h2>
      <p className="stat">{props.value}</p>
      {props.caption && <p className="muted overview-caption">{props.caption}</p>}
      {props.children}
      <p className="overview-link">{props.link}</p>
    </section>
  );
}

/** A labelled count; the label carries the meaning, the colour only repeats it. */
function Count(props: { label: string; value: number; tone: 'ok' | 'warn' | 'bad' | 'info' | 'neutral' }) {
  return (
    <li className="overview-count">
      <Badge tone={props.value > 0 ? props.tone : 'neutral'}>{props.label}</Badge>
      <span>{formatNumber(props.value)}</span>
    </li>
  );
}

function UsersCard({ data }: { data: Overview }) {
  return (
    <StatCard
      title="Users"
      value={formatNumber(data.users.total)}
      caption={`${formatNumber(data.users.created_in_window)} new in the last 24 h`}
      link={<Link to="/users">View users</Link>}
    />
  );
}

const connectionStates: { key: string; label: string; tone: 'ok' | 'warn' | 'bad' | 'neutral' }[] = [
  { key: 'active', label: 'Active', tone: 'ok' },
  { key: 'reauth_required', label: 'Re-auth needed', tone: 'warn' },
  { key: 'error', label: 'Error', tone: 'bad' },
  { key: 'revoked', label: 'Revoked', tone: 'neutral' },
];

function ConnectionsCard({ data }: { data: Overview }) {
  const { connections } = data;
  return (
    <StatCard
      title="Connections"
      value={formatNumber(connections.total)}
      caption={connections.total === 0 ? 'No provider connected yet' : 'By provider and state'}
      link={<Link to="/providers">Providers</Link>}
    >
      {connections.by_provider.length > 0 && (
        <ul className="overview-providers">
          {connections.by_provider.map((p) => (
            <li key={p.provider}>
              <strong>{p.provider}</strong>
              <span>
                {connectionStates
                  .filter((state) => (p.by_status[state.key] ?? 0) > 0)
                  .map((state) => (
                    <Badge key={state.key} tone={state.tone}>
                      {formatNumber(p.by_status[state.key])} {state.label.toLowerCase()}
                    </Badge>
                  ))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </StatCard>
  );
}

function SyncsCard({ data }: { data: Overview }) {
  const o = data.sync_runs.by_outcome;
  return (
    <StatCard
      title="Syncs (24 h)"
      value={formatNumber(data.sync_runs.total)}
      caption={data.sync_runs.total === 0 ? 'No sync runs in the last 24 hours' : 'Runs by outcome'}
      link={<Link to="/syncs">Live syncs</Link>}
    >
      <ul className="overview-counts">
        <Count label="Succeeded" value={o.succeeded} tone="ok" />
        <Count label="Partial" value={o.partial} tone="warn" />
        <Count label="Failed" value={o.failed} tone="bad" />
        <Count label="Cancelled" value={o.cancelled} tone="neutral" />
        <Count label="Running" value={o.running} tone="info" />
        <Count label="Queued" value={o.queued} tone="info" />
      </ul>
    </StatCard>
  );
}

function WebhooksCard({ data }: { data: Overview }) {
  const { endpoints, deliveries } = data.webhooks;
  const settled = deliveries.delivered + deliveries.failed;
  const rate = settled === 0 ? undefined : (deliveries.delivered / settled) * 100;
  return (
    <StatCard
      title="Webhooks (24 h)"
      value={rate === undefined ? formatNumber(deliveries.total) : `${formatNumber(rate, 1)} %`}
      caption={
        rate === undefined
          ? deliveries.total === 0
            ? 'No deliveries in the last 24 hours'
            : 'Deliveries, none settled yet'
          : `delivered of ${formatNumber(settled)} settled`
      }
      link={<Link to="/webhooks">Webhooks</Link>}
    >
      <ul className="overview-counts">
        <Count label="Delivered" value={deliveries.delivered} tone="ok" />
        <Count label="Failed" value={deliveries.failed} tone="bad" />
        <Count label="Retrying" value={deliveries.retrying} tone="warn" />
        <Count label="Pending" value={deliveries.pending} tone="info" />
      </ul>
      <p className="overview-caption">
        {endpoints.total === 0 ? (
          'No endpoints yet.'
        ) : (
          <>
            {formatNumber(endpoints.total)} endpoint{endpoints.total === 1 ? '' : 's'}:{' '}
            {formatNumber(endpoints.enabled)} enabled
            {endpoints.failing > 0 && (
              <>
                , <strong className="overview-bad">{endpoints.failing} failing</strong>
              </>
            )}
            {endpoints.disabled > 0 && (
              <>
                , <strong className="overview-warn">{endpoints.disabled} disabled</strong>
              </>
            )}
          </>
        )}
      </p>
    </StatCard>
  );
}

function QuotaCard({ data }: { data: Overview }) {
  const { nutrition } = data;
  const share =
    nutrition.limit === null
      ? undefined
      : Math.min(100, (nutrition.used / Math.max(1, nutrition.limit)) * 100);
  return (
    <StatCard
      title="Meal photos today"
      value={
        nutrition.limit === null
          ? formatNumber(nutrition.used)
          : `${formatNumber(nutrition.used)} / ${formatNumber(nutrition.limit)}`
      }
      caption={`${nutrition.plan} plan${nutrition.limit === null ? ', unlimited' : ''}; resets ${formatDateTime(nutrition.resets_at)}`}
      link={<a href="/docs">Nutrition API</a>}
    >
      {share !== undefined && (
        <div
          className="progress"
          role="progressbar"
          aria-label="Photo quota used"
          aria-valuemin={0}
          aria-valuemax={nutrition.limit ?? undefined}
          aria-valuenow={nutrition.used}
        >
          <span style={{ width: `${share}%` }} />
        </div>
      )}
    </StatCard>
  );
}

function KeysCard({ data }: { data: Overview }) {
  return (
    <StatCard
      title="API keys"
      value={formatNumber(data.api_keys.total)}
      caption={data.api_keys.total === 0 ? 'Create one to call the API' : 'Active keys'}
      link={<Link to="/credentials">Credentials</Link>}
    />
  );
}
