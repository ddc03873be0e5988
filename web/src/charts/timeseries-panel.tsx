import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, apiPath } from '../api.ts';
import { Button, Empty, ErrorNote, formatDateTime, formatNumber, Loading, Select } from '../ui.tsx';
import { presetRange, RangePicker, Segmented, type TimeRange } from './controls.tsx';
import { fetchAllPages, humanize } from './format.ts';
import { buildChart, RESOLUTIONS, type Resolution, round, type TimeseriesPoint } from './series.ts';
import { UPlotChart } from './uplot-chart.tsx';
import './charts.css';
import { ScrollBox } from './scroll-box.tsx';

/** Points one view loads at most (50 pages of 100): beyond that a coarser resolution says more anyway. */
const POINT_CAP = 5000;

interface DataSummary {
  series: {
    series_type: string;
    unit: string;
    provider: string;
    count: number;
    first_timestamp: string;
    last_timestamp: string;
  }[];
}

interface SeriesOption {
  type: string;
  unit: string;
  count: number;
  last: string;
}

/** The user's series types with their sample counts (all providers together), most samples first. */
function seriesOptions(summary: DataSummary): SeriesOption[] {
  const byType = new Map<string, SeriesOption>();
  for (const row of summary.series) {
    const known = byType.get(row.series_type);
    if (known) {
      known.count += row.count;
      if (row.last_timestamp > known.last) known.last = row.last_timestamp;
    } else {
      byType.set(row.series_type, {
        type: row.series_type,
        unit: row.unit,
        count: row.count,
        last: row.last_timestamp,
      });
    }
  }
  return [...byType.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

const describeResolution = (r: Resolution) => (r === 'raw' ? 'Raw' : r);

export function TimeseriesPanel({ userId }: { userId: string }) {
  const summary = useQuery({
    queryKey: ['users', userId, 'charts', 'data-summary'],
    queryFn: ({ signal }) => api.get<DataSummary>(apiPath(`/users/${userId}/summaries/data`), { signal }),
    // Until the first sync lands there is nothing to pick: look again now and then.
    refetchInterval: (query) => ((query.state.data?.series.length ?? 1) === 0 ? 10_000 : false),
  });
  const options = useMemo(() => (summary.data ? seriesOptions(summary.data) : []), [summary.data]);
  const [picked, setPicked] = useState<string>();
  const current =
    options.find((o) => o.type === picked) ?? options.find((o) => o.type === 'heart_rate') ?? options[0];

  if (summary.isPending) return <Loading label="Loading series…" />;
  if (summary.isError) return <ErrorNote error={summary.error} retry={() => summary.refetch()} />;
  if (!current) {
    return (
      <Empty title="No timeseries data yet">
        <p>Samples appear here once a connection has synced or data was pushed or imported.</p>
        <Button onClick={() => summary.refetch()} busy={summary.isFetching}>
          Check again
        </Button>
      </Empty>
    );
  }
  return (
    <div className="stack charts-timeseries">
      <Select
        label="Series type"
        value={current.type}
        options={options.map((o) => ({
          value: o.type,
          label: `${humanize(o.type)} (${formatNumber(o.count)} samples)`,
        }))}
        onChange={(event) => setPicked(event.target.value)}
      />
      <SeriesChart key={current.type} userId={userId} series={current} />
    </div>
  );
}

function SeriesChart(props: { userId: string; series: SeriesOption }) {
  const { userId, series } = props;
  const [resolution, setResolution] = useState<Resolution>('5min');
  const [range, setRange] = useState<TimeRange>(() => presetRange('24h'));
  const [zoom, setZoom] = useState<{ from: number; to: number }>();
  const [progress, setProgress] = useState<{ loaded: number; total: number }>();
  const view = zoom ?? range;
  const from = new Date(view.from).toISOString();
  const to = new Date(view.to).toISOString();

  const points = useQuery({
    queryKey: ['users', userId, 'charts', 'timeseries', series.type, resolution, from, to],
    queryFn: async ({ signal }) => {
      setProgress(undefined);
      const result = await fetchAllPages<TimeseriesPoint>(
        (cursor) =>
          apiPath(`/users/${userId}/timeseries`, {
            types: series.type,
            resolution,
            start_time: from,
            end_time: to,
            limit: 100,
            cursor,
          }),
        { cap: POINT_CAP, signal, onProgress: (loaded, total) => setProgress({ loaded, total }) },
      );
      return { ...result, resolution, from: view.from, to: view.to };
    },
    placeholderData: keepPreviousData,
  });
  const chart = useMemo(
    () =>
      points.data
        ? buildChart(points.data.items, series.unit, [points.data.from / 1000, points.data.to / 1000])
        : undefined,
    [points.data, series.unit],
  );
  const shown = points.data?.items.length ?? 0;

  return (
    <>
      <div className="row charts-controls">
        <RangePicker
          value={range}
          onChange={(next) => {
            setZoom(undefined);
            setRange(next);
          }}
        />
        <Segmented
          label="Resolution"
          options={RESOLUTIONS}
          value={resolution}
          onChange={setResolution}
          describe={describeResolution}
        />
        <div className="field charts-actions">
          <div className="row">
            {/* The keyboard's (and a touch screen's) way to zoom: the middle half of what is shown. */}
            <Button
              onClick={() => {
                const quarter = (view.to - view.from) / 4;
                if (quarter >= 30_000) setZoom({ from: view.from + quarter, to: view.to - quarter });
              }}
              disabled={view.to - view.from < 120_000}
            >
              Zoom in
            </Button>
            {zoom ? (
              <Button onClick={() => setZoom(undefined)}>Reset zoom</Button>
            ) : (
              <Button
                onClick={() => range.preset !== 'custom' && setRange(presetRange(range.preset))}
                disabled={range.preset === 'custom'}
                busy={points.isFetching}
              >
                Refresh
              </Button>
            )}
          </div>
        </div>
      </div>
      <p className="muted charts-range-text" aria-live="polite">
        {formatDateTime(from)} – {formatDateTime(to)}
        {zoom ? ' (zoomed in)' : ''} · drag across the chart or use Zoom in to look closer
      </p>
      {points.isError && <ErrorNote error={points.error} retry={() => points.refetch()} />}
      {points.isPending && (
        <Loading
          label={
            progress
              ? `Loading… ${formatNumber(progress.loaded)} of ${formatNumber(progress.total)} points`
              : undefined
          }
        />
      )}
      {points.data && shown === 0 && (
        <Empty title={`No ${humanize(series.type).toLowerCase()} data in this range`}>
          <p>
            The latest sample is from {formatDateTime(series.last)}.{' '}
            <Button
              variant="link"
              onClick={() => {
                const last = Date.parse(series.last);
                setZoom(undefined);
                setRange({ preset: 'custom', from: last - 86_400_000 + 60_000, to: last + 60_000 });
              }}
            >
              Show the day before it
            </Button>
          </p>
        </Empty>
      )}
      {points.data && chart && shown > 0 && (
        <figure className="charts-figure" aria-busy={points.isFetching || undefined}>
          {points.data.total > shown && (
            <p className="notice">
              Showing the first {formatNumber(shown)} of {formatNumber(points.data.total)} points. Choose a
              coarser resolution or a shorter range to see all of it.
            </p>
          )}
          <UPlotChart
            options={chart.options}
            data={chart.data}
            onSelectRange={(f, t) => setZoom({ from: Math.floor(f * 1000), to: Math.ceil(t * 1000) })}
          />
          <figcaption>
            <p className="charts-caption" data-testid="timeseries-caption" data-points={shown}>
              {formatNumber(shown)} points at {points.data.resolution}
              {points.data.resolution === 'raw' ? ' (every sample)' : ''} · {humanize(series.type)} in{' '}
              {series.unit}
            </p>
            <SourceTable stats={chart.stats} unit={series.unit} />
          </figcaption>
        </figure>
      )}
    </>
  );
}

function SourceTable(props: { stats: ReturnType<typeof buildChart>['stats']; unit: string }) {
  const hasTotal = props.stats.some((s) => s.total !== undefined);
  return (
    <ScrollBox label="Values shown in the chart, per source">
      <table className="charts-stats charts-table">
        <caption className="sr-only">Values shown in the chart, per source</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Points</th>
            <th scope="col">Min</th>
            <th scope="col">Average</th>
            <th scope="col">Max</th>
            {hasTotal && <th scope="col">Total</th>}
            <th scope="col">First</th>
            <th scope="col">Last</th>
          </tr>
        </thead>
        <tbody>
          {props.stats.map((s) => (
            <tr key={s.label}>
              <th scope="row">
                <span className="charts-swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.label}
              </th>
              <td>{formatNumber(s.points)}</td>
              <td>
                {round(s.min)} {props.unit}
              </td>
              <td>
                {round(s.avg)} {props.unit}
              </td>
              <td>
                {round(s.max)} {props.unit}
              </td>
              {hasTotal && <td>{s.total === undefined ? '—' : `${round(s.total)} ${props.unit}`}</td>}
              <td>{formatDateTime(s.first)}</td>
              <td>{formatDateTime(s.last)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
