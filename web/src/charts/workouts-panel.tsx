import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, apiPath } from '../api.ts';
import { Button, Empty, ErrorNote, formatDateTime, formatNumber, Loading, Select } from '../ui.tsx';
import {
  DAY_MS,
  fetchAllPages,
  formatDistance,
  formatDuration,
  formatPace,
  humanize,
  isoDay,
} from './format.ts';
import { cumulativeDistance, ElevationProfile, RouteMap, type RoutePoint } from './route-map.tsx';
import './charts.css';
import { ScrollBox } from './scroll-box.tsx';

/** Workouts listed at most; a longer history is narrowed with the period picker. */
const WORKOUT_CAP = 500;

export interface Workout {
  id: string;
  type: string;
  start_time: string;
  end_time: string;
  duration_seconds: number;
  distance_meters: number | null;
  calories_kcal: number | null;
  avg_heart_rate_bpm: number | null;
  max_heart_rate_bpm: number | null;
  avg_pace_sec_per_km: number | null;
  elevation_gain_meters: number | null;
  steps: number | null;
  source: { provider: string; device: string | null };
  source_activity_type: string | null;
  route_points: number;
}

interface WorkoutRoute {
  total_points: number;
  downsampled: boolean;
  points: RoutePoint[];
}

export const PERIODS = [
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last year' },
  { value: 'all', label: 'All time' },
];

/** The UTC days a period covers, as the events routes take them. */
export function periodDays(period: string): { start_date: string; end_date: string } {
  const now = Date.now();
  const days = Number(period);
  return {
    start_date: Number.isFinite(days) ? isoDay(now - days * DAY_MS) : '1970-01-01',
    end_date: isoDay(now + DAY_MS),
  };
}

const hr = (bpm: number | null) => (bpm === null ? '—' : `${formatNumber(bpm)} bpm`);
const kcal = (value: number | null) => (value === null ? '—' : `${formatNumber(value)} kcal`);

export function WorkoutsPanel({ userId }: { userId: string }) {
  const [period, setPeriod] = useState('30');
  const [selected, setSelected] = useState<string>();
  const days = periodDays(period);
  const list = useQuery({
    queryKey: ['users', userId, 'charts', 'workouts', days.start_date, days.end_date],
    queryFn: ({ signal }) =>
      fetchAllPages<Workout>(
        (cursor) => apiPath(`/users/${userId}/events/workouts`, { ...days, limit: 100, cursor }),
        { cap: WORKOUT_CAP, signal },
      ),
  });
  // Newest first: the one a developer checking a sync looks for.
  const workouts = useMemo(() => [...(list.data?.items ?? [])].reverse(), [list.data]);
  const current = workouts.find((w) => w.id === selected) ?? workouts[0];

  return (
    <div className="stack">
      <Select
        label="Period"
        value={period}
        options={PERIODS}
        onChange={(event) => {
          setPeriod(event.target.value);
          setSelected(undefined);
        }}
      />
      {list.isPending && <Loading label="Loading workouts…" />}
      {list.isError && <ErrorNote error={list.error} retry={() => list.refetch()} />}
      {list.data && workouts.length === 0 && (
        <Empty title="No workouts in this period">
          <p>Pick a longer period, or sync a connection that records workouts.</p>
        </Empty>
      )}
      {list.data && list.data.total > workouts.length && (
        <p className="notice">
          Showing the oldest {formatNumber(workouts.length)} of {formatNumber(list.data.total)} workouts in
          this period; pick a shorter period to see the latest.
        </p>
      )}
      {workouts.length > 0 && (
        <div className="charts-split">
          <ScrollBox label="Workouts, newest first; choose one to see its details and route">
            <table className="charts-list charts-table">
              <caption className="sr-only">
                Workouts, newest first; choose one to see its details and route
              </caption>
              <thead>
                <tr>
                  <th scope="col">Type</th>
                  <th scope="col">Start</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Distance</th>
                  <th scope="col">Energy</th>
                  <th scope="col">Heart rate (avg / max)</th>
                  <th scope="col">GPS route</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {workouts.map((w) => (
                  <tr key={w.id} className={w.id === current?.id ? 'selected' : undefined}>
                    <th scope="row">
                      <Button
                        variant="link"
                        aria-pressed={w.id === current?.id}
                        aria-label={`${humanize(w.type)} on ${formatDateTime(w.start_time)}`}
                        onClick={() => setSelected(w.id)}
                      >
                        {humanize(w.type)}
                      </Button>
                    </th>
                    <td>{formatDateTime(w.start_time)}</td>
                    <td>{formatDuration(w.duration_seconds)}</td>
                    <td>{formatDistance(w.distance_meters)}</td>
                    <td>{kcal(w.calories_kcal)}</td>
                    <td>
                      {hr(w.avg_heart_rate_bpm)} / {hr(w.max_heart_rate_bpm)}
                    </td>
                    <td>{w.route_points > 0 ? `${formatNumber(w.route_points)} points` : '—'}</td>
                    <td>{w.source.device ?? w.source.provider}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          {current && <WorkoutDetails key={current.id} userId={userId} workout={current} />}
        </div>
      )}
    </div>
  );
}

function WorkoutDetails(props: { userId: string; workout: Workout }) {
  const w = props.workout;
  const route = useQuery({
    queryKey: ['users', props.userId, 'charts', 'workout-route', w.id],
    queryFn: ({ signal }) =>
      api.get<WorkoutRoute>(apiPath(`/users/${props.userId}/events/workouts/${w.id}/route`), { signal }),
    enabled: w.route_points > 0,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const distances = useMemo(() => (route.data ? cumulativeDistance(route.data.points) : []), [route.data]);
  const facts: [string, string][] = [
    ['Type', humanize(w.type) + (w.source_activity_type ? ` (${w.source_activity_type})` : '')],
    ['Start', formatDateTime(w.start_time)],
    ['End', formatDateTime(w.end_time)],
    ['Duration', formatDuration(w.duration_seconds)],
    ['Distance', formatDistance(w.distance_meters)],
    ['Pace', formatPace(w.avg_pace_sec_per_km)],
    ['Energy', kcal(w.calories_kcal)],
    ['Average heart rate', hr(w.avg_heart_rate_bpm)],
    ['Max heart rate', hr(w.max_heart_rate_bpm)],
    ['Elevation gain', w.elevation_gain_meters === null ? '—' : `${formatNumber(w.elevation_gain_meters)} m`],
    ['Steps', formatNumber(w.steps)],
    ['Source', w.source.device ? `${w.source.provider} · ${w.source.device}` : w.source.provider],
  ];
  return (
    <section aria-label={`Workout details: ${humanize(w.type)}, ${formatDateTime(w.start_time)}`}>
      <h3>
        {humanize(w.type)} · {formatDateTime(w.start_time)}
      </h3>
      <dl className="charts-details">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {w.route_points === 0 && <p className="muted">No GPS route was recorded for this workout.</p>}
      {route.isPending && w.route_points > 0 && <Loading label="Loading route…" />}
      {route.isError && <ErrorNote error={route.error} retry={() => route.refetch()} />}
      {route.data && route.data.points.length > 0 && (
        <>
          <RouteMap points={route.data.points} distances={distances} />
          <p className="muted">
            {route.data.downsampled
              ? `Drawn from ${formatNumber(route.data.points.length)} of ${formatNumber(route.data.total_points)} GPS points (evenly thinned).`
              : `${formatNumber(route.data.points.length)} GPS points.`}{' '}
            Route length {formatDistance(distances.at(-1) ?? 0)}.
          </p>
          <ElevationProfile points={route.data.points} distances={distances} />
        </>
      )}
    </section>
  );
}
