import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, apiPath } from '../../api.ts';
import { Empty, ErrorNote, formatDateTime, formatNumber, Loading, Section, Table } from '../../ui.tsx';
import { localDate } from './types.ts';

/** Loading, error and empty states around a query's data, the same way in every section. */
function Loaded<T>(props: {
  query: { isPending: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  empty: (data: T) => boolean;
  emptyTitle: string;
  emptyHint?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isPending) return <Loading />;
  if (query.error || query.data === undefined)
    return <ErrorNote error={query.error} retry={() => query.refetch()} />;
  if (props.empty(query.data)) return <Empty title={props.emptyTitle}>{props.emptyHint}</Empty>;
  return <>{props.children(query.data)}</>;
}

const noDataHint = <p>Connect the sandbox and run a sync to see data here.</p>;

interface DataSummary {
  total_samples: number;
  series: {
    series_type: string;
    unit: string;
    provider: string;
    count: number;
    first_timestamp: string;
    last_timestamp: string;
  }[];
  workouts: { provider: string; count: number }[];
  sleep_sessions: { provider: string; count: number }[];
  health_scores: { provider: string; count: number }[];
}

const sum = (rows: { count: number }[]) => rows.reduce((acc, row) => acc + row.count, 0);

export function DataSummarySection(props: { userId: string }) {
  const query = useQuery({
    queryKey: ['user-data-summary', props.userId],
    queryFn: () => api.get<DataSummary>(apiPath(`/users/${props.userId}/summaries/data`)),
  });
  return (
    <Section title="Data summary">
      <Loaded
        query={query}
        empty={(d) =>
          d.total_samples === 0 && sum(d.workouts) + sum(d.sleep_sessions) + sum(d.health_scores) === 0
        }
        emptyTitle="No data stored yet"
        emptyHint={noDataHint}
      >
        {(d) => (
          <>
            <div className="grid users-stats">
              <Stat label="Samples" value={d.total_samples} />
              <Stat label="Workouts" value={sum(d.workouts)} />
              <Stat label="Sleep sessions" value={sum(d.sleep_sessions)} />
              <Stat label="Health scores" value={sum(d.health_scores)} />
            </div>
            {d.series.length > 0 && (
              <Table
                caption="Samples per series type and provider"
                head={['Series', 'Provider', 'Samples', 'From', 'To']}
              >
                {d.series.map((s) => (
                  <tr key={`${s.series_type}/${s.provider}`}>
                    <td>
                      {s.series_type} <span className="muted">({s.unit})</span>
                    </td>
                    <td>{s.provider}</td>
                    <td>{formatNumber(s.count)}</td>
                    <td>{formatDateTime(s.first_timestamp)}</td>
                    <td>{formatDateTime(s.last_timestamp)}</td>
                  </tr>
                ))}
              </Table>
            )}
          </>
        )}
      </Loaded>
    </Section>
  );
}

function Stat(props: { label: string; value: number }) {
  return (
    <div>
      <div className="muted">{props.label}</div>
      <div className="stat">{formatNumber(props.value)}</div>
    </div>
  );
}

interface SourceRef {
  provider: string;
  device: string | null;
}
interface ActivityDay {
  date: string;
  steps: number | null;
  distance_meters: number | null;
  floors_climbed: number | null;
  active_calories_kcal: number | null;
  total_calories_kcal: number | null;
  active_minutes: number | null;
  heart_rate: {
    avg_bpm: number | null;
    min_bpm: number | null;
    max_bpm: number | null;
    resting_bpm: number | null;
  };
  sources: Record<string, SourceRef[]>;
}

/** A value with the source(s) it was taken from under it (after the source-priority rule). */
function Metric(props: { value: ReactNode; sources: SourceRef[] | undefined }) {
  return (
    <>
      {props.value}
      {props.sources && props.sources.length > 0 && (
        <div className="users-source">
          <span className="sr-only">from </span>
          {props.sources.map((s) => (s.device ? `${s.provider} · ${s.device}` : s.provider)).join(', ')}
        </div>
      )}
    </>
  );
}

export function ActivitySection(props: { userId: string }) {
  const query = useQuery({
    queryKey: ['user-activity', props.userId],
    queryFn: () =>
      api.get<{ data: ActivityDay[] }>(
        apiPath(`/users/${props.userId}/summaries/activity`, {
          start_date: localDate(29),
          end_date: localDate(),
        }),
      ),
  });
  return (
    <Section title="Daily activity (last 30 days)">
      <p className="muted">Under each value: the source it came from after your source-priority rules.</p>
      <Loaded
        query={query}
        empty={(d) => d.data.length === 0}
        emptyTitle="No activity in the last 30 days"
        emptyHint={noDataHint}
      >
        {(d) => (
          <Table
            caption="Daily activity with the source of each metric"
            head={[
              'Day',
              'Steps',
              'Distance (km)',
              'Floors',
              'Active kcal',
              'Total kcal',
              'Active min',
              'Heart rate',
              'Resting HR',
            ]}
          >
            {[...d.data].reverse().map((day) => (
              <tr key={day.date}>
                <th scope="row">{day.date}</th>
                <td>
                  <Metric value={formatNumber(day.steps)} sources={day.sources.steps} />
                </td>
                <td>
                  <Metric
                    value={day.distance_meters === null ? '—' : formatNumber(day.distance_meters / 1000, 2)}
                    sources={day.sources.distance}
                  />
                </td>
                <td>
                  <Metric value={formatNumber(day.floors_climbed)} sources={day.sources.floors} />
                </td>
                <td>
                  <Metric
                    value={formatNumber(day.active_calories_kcal)}
                    sources={day.sources.active_energy}
                  />
                </td>
                <td>{formatNumber(day.total_calories_kcal)}</td>
                <td>
                  <Metric value={formatNumber(day.active_minutes)} sources={day.sources.active_minutes} />
                </td>
                <td>
                  <Metric
                    value={
                      day.heart_rate.avg_bpm === null
                        ? '—'
                        : `${formatNumber(day.heart_rate.avg_bpm)} (${formatNumber(day.heart_rate.min_bpm)}–${formatNumber(day.heart_rate.max_bpm)})`
                    }
                    sources={day.sources.heart_rate}
                  />
                </td>
                <td>
                  <Metric
                    value={formatNumber(day.heart_rate.resting_bpm)}
                    sources={day.sources.resting_heart_rate}
                  />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Loaded>
    </Section>
  );
}

interface BodySummary {
  as_of: string;
  latest: Record<string, number | null>;
  latest_measured_at: Record<string, string | null>;
  averaged: Record<string, number | null>;
  averaged_period: { from: string; to: string };
}

const label = (field: string) => field.replace(/_/g, ' ');

export function BodySection(props: { userId: string }) {
  const query = useQuery({
    queryKey: ['user-body', props.userId],
    queryFn: () => api.get<BodySummary>(apiPath(`/users/${props.userId}/summaries/body`)),
  });
  return (
    <Section title="Body">
      <Loaded
        query={query}
        empty={(d) => Object.values(d.latest).every((v) => v === null)}
        emptyTitle="No body metrics yet"
        emptyHint={noDataHint}
      >
        {(d) => (
          <Table caption="Body metrics" head={['Metric', 'Latest', 'Measured', '7-day average']}>
            {Object.keys(d.latest)
              .filter((field) => d.latest[field] !== null || d.averaged[field] != null)
              .map((field) => (
                <tr key={field}>
                  <th scope="row">{label(field)}</th>
                  <td>{formatNumber(d.latest[field], 2)}</td>
                  <td>{formatDateTime(d.latest_measured_at[field])}</td>
                  <td>{formatNumber(d.averaged[field], 2)}</td>
                </tr>
              ))}
          </Table>
        )}
      </Loaded>
    </Section>
  );
}

interface HealthScore {
  id: string;
  date: string;
  category: string;
  score: number;
  range_min: number;
  range_max: number;
  provider: string;
}

export function ScoresSection(props: { userId: string }) {
  const query = useQuery({
    queryKey: ['user-scores', props.userId],
    queryFn: () =>
      api.get<{ data: HealthScore[]; pagination: { total_count: number } }>(
        apiPath(`/users/${props.userId}/health-scores`, { limit: 30 }),
      ),
  });
  return (
    <Section title="Health scores">
      <Loaded
        query={query}
        empty={(d) => d.data.length === 0}
        emptyTitle="No scores yet"
        emptyHint={noDataHint}
      >
        {(d) => (
          <Table
            caption="Health scores, newest first"
            head={['Day', 'Category', 'Score', 'Scale', 'Provider']}
          >
            {d.data.map((score) => (
              <tr key={score.id}>
                <td>{score.date}</td>
                <td>{label(score.category)}</td>
                <td>
                  <strong>{formatNumber(score.score, 1)}</strong>
                </td>
                <td className="muted">
                  {formatNumber(score.range_min)}–{formatNumber(score.range_max)}
                </td>
                <td>{score.provider}</td>
              </tr>
            ))}
          </Table>
        )}
      </Loaded>
    </Section>
  );
}

interface EnergyDay {
  date: string;
  calories_consumed_kcal: number | null;
  calories_burned_kcal: number | null;
  net_energy_balance_kcal: number | null;
  data_completeness: 'none' | 'nutrition_only' | 'wearable_only' | 'wearable_and_nutrition';
}

const completeness = {
  none: 'No data',
  nutrition_only: 'Meals only',
  wearable_only: 'Wearable only',
  wearable_and_nutrition: 'Meals and wearable',
} as const;

export function EnergySection(props: { userId: string }) {
  const query = useQuery({
    queryKey: ['user-energy', props.userId],
    queryFn: () =>
      api.get<{ days: EnergyDay[] }>(
        apiPath(`/users/${props.userId}/energy_balance`, { date_from: localDate(13), date_to: localDate() }),
      ),
  });
  return (
    <Section title="Energy balance (last 14 days)">
      <p className="muted">
        Calories eaten (meal logs) against burned (wearables); days with neither are left out.
      </p>
      <Loaded
        query={query}
        empty={(d) => d.days.every((day) => day.data_completeness === 'none')}
        emptyTitle="No calories in or out in the last 14 days"
        emptyHint={<p>Burned calories come from wearables; eaten ones from nutrition logs.</p>}
      >
        {(d) => (
          <Table
            caption="Energy balance per day"
            head={['Day', 'Eaten kcal', 'Burned kcal', 'Net kcal', 'Data']}
          >
            {[...d.days]
              .reverse()
              .filter((day) => day.data_completeness !== 'none')
              .map((day) => (
                <tr key={day.date}>
                  <th scope="row">{day.date}</th>
                  <td>{formatNumber(day.calories_consumed_kcal)}</td>
                  <td>{formatNumber(day.calories_burned_kcal)}</td>
                  <td>
                    {day.net_energy_balance_kcal === null
                      ? '—'
                      : `${day.net_energy_balance_kcal > 0 ? '+' : ''}${formatNumber(day.net_energy_balance_kcal)}`}
                  </td>
                  <td className="muted">{completeness[day.data_completeness]}</td>
                </tr>
              ))}
          </Table>
        )}
      </Loaded>
    </Section>
  );
}
