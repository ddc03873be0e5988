import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, apiPath } from '../api.ts';
import { Button, Empty, ErrorNote, formatNumber, Loading, Select } from '../ui.tsx';
import {
  DAY_MS,
  fetchAllPages,
  formatDay,
  formatDuration,
  formatMinutes,
  formatTime,
  isoDay,
} from './format.ts';
import { Hypnogram, NightlyBars, type StageRun } from './hypnogram.tsx';
import './charts.css';
import { ScrollBox } from './scroll-box.tsx';

interface SleepSession {
  id: string;
  start_time: string;
  end_time: string;
  duration_seconds: number;
  sleep_duration_seconds: number;
  efficiency_percent: number | null;
  is_nap: boolean;
  stages: {
    awake_minutes: number;
    light_minutes: number;
    deep_minutes: number;
    rem_minutes: number;
    unknown_minutes: number;
  };
  interruptions: number;
  avg_heart_rate_bpm: number | null;
  source: { provider: string; device: string | null };
  timeline: StageRun[];
}

interface SleepDay {
  date: string;
  total_sleep_minutes: number;
  time_in_bed_minutes: number;
  awake_minutes: number;
  light_minutes: number;
  deep_minutes: number;
  rem_minutes: number;
  unknown_minutes: number;
  efficiency_percent: number | null;
  interruptions: number;
  sessions: number;
  bedtime_start: string;
  bedtime_end: string;
  naps: { count: number; minutes: number };
  source: { provider: string; device: string | null };
}

const PERIODS = [
  { value: '7', label: 'Last 7 nights' },
  { value: '30', label: 'Last 30 nights' },
  { value: '90', label: 'Last 90 nights' },
  { value: '365', label: 'Last year' },
];

const percent = (value: number | null) => (value === null ? '—' : `${formatNumber(value)} %`);

export function SleepPanel({ userId }: { userId: string }) {
  const [period, setPeriod] = useState('7');
  const [selected, setSelected] = useState<string>();
  const now = Date.now();
  // Events take UTC days by start time (a night starts the evening before); summaries take local days.
  const range = { start_date: isoDay(now - (Number(period) + 1) * DAY_MS), end_date: isoDay(now + DAY_MS) };
  const sessions = useQuery({
    queryKey: ['users', userId, 'charts', 'sleep', range.start_date, range.end_date],
    queryFn: ({ signal }) =>
      fetchAllPages<SleepSession>(
        (cursor) => apiPath(`/users/${userId}/events/sleep`, { ...range, limit: 100, cursor }),
        { cap: 500, signal },
      ),
  });
  const days = useQuery({
    queryKey: ['users', userId, 'charts', 'sleep-summary', range.start_date, range.end_date],
    queryFn: ({ signal }) =>
      api.get<{ data: SleepDay[] }>(
        apiPath(`/users/${userId}/summaries/sleep`, {
          start_date: isoDay(now - (Number(period) - 1) * DAY_MS),
          end_date: range.end_date,
        }),
        { signal },
      ),
  });
  const list = useMemo(() => [...(sessions.data?.items ?? [])].reverse(), [sessions.data]);
  const current = list.find((s) => s.id === selected) ?? list.find((s) => !s.is_nap) ?? list[0];

  return (
    <div className="stack">
      <Select
        label="Nights"
        value={period}
        options={PERIODS}
        onChange={(event) => {
          setPeriod(event.target.value);
          setSelected(undefined);
        }}
      />
      <h3>Sessions</h3>
      {sessions.isPending && <Loading label="Loading sleep sessions…" />}
      {sessions.isError && <ErrorNote error={sessions.error} retry={() => sessions.refetch()} />}
      {sessions.data && list.length === 0 && (
        <Empty title="No sleep sessions in this period">
          <p>Pick a longer period, or sync a connection that records sleep.</p>
        </Empty>
      )}
      {current && current.timeline.length > 0 && (
        <Hypnogram
          key={current.id}
          runs={current.timeline}
          title={`Hypnogram of the ${current.is_nap ? 'nap' : 'night'} of ${formatDay(current.end_time)}, ${formatTime(current.start_time)} – ${formatTime(current.end_time)}, ${formatDuration(current.sleep_duration_seconds)} asleep`}
        />
      )}
      {current && current.timeline.length === 0 && (
        <p className="muted">
          This session has no stage timeline (its source records only in bed or asleep).
        </p>
      )}
      {list.length > 0 && (
        <ScrollBox label="Sleep sessions, newest first; choose one to see its hypnogram">
          <table className="charts-list charts-table">
            <caption className="sr-only">
              Sleep sessions, newest first; choose one to see its hypnogram
            </caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Bedtime</th>
                <th scope="col">Asleep</th>
                <th scope="col">Deep / REM / Light / Awake</th>
                <th scope="col">Efficiency</th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} className={s.id === current?.id ? 'selected' : undefined}>
                  <th scope="row">
                    <Button
                      variant="link"
                      aria-pressed={s.id === current?.id}
                      onClick={() => setSelected(s.id)}
                    >
                      {`${s.is_nap ? 'Nap' : 'Night'} of ${formatDay(s.end_time)}`}
                    </Button>
                  </th>
                  <td>
                    {formatTime(s.start_time)} – {formatTime(s.end_time)}
                  </td>
                  <td>{formatDuration(s.sleep_duration_seconds)}</td>
                  <td>
                    {[
                      s.stages.deep_minutes,
                      s.stages.rem_minutes,
                      s.stages.light_minutes,
                      s.stages.awake_minutes,
                    ]
                      .map((m) => formatMinutes(m))
                      .join(' / ')}
                  </td>
                  <td>{percent(s.efficiency_percent)}</td>
                  <td>{s.source.device ?? s.source.provider}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <h3>Daily summary</h3>
      {days.isPending && <Loading label="Loading daily sleep…" />}
      {days.isError && <ErrorNote error={days.error} retry={() => days.refetch()} />}
      {days.data && days.data.data.length === 0 && <Empty title="No daily sleep summary in this period" />}
      {days.data && days.data.data.length > 0 && <DailySleep days={days.data.data} />}
    </div>
  );
}

function DailySleep(props: { days: SleepDay[] }) {
  const nights = props.days.map((d) => ({
    date: d.date,
    deep: d.deep_minutes,
    light: d.light_minutes,
    rem: d.rem_minutes,
    awake: d.awake_minutes,
    unknown: d.unknown_minutes,
  }));
  return (
    <>
      <NightlyBars nights={nights} />
      <ScrollBox label="Daily sleep summary per local day (the day of waking up)">
        <table className="charts-table">
          <caption className="sr-only">Daily sleep summary per local day (the day of waking up)</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Total sleep</th>
              <th scope="col">In bed</th>
              <th scope="col">Deep</th>
              <th scope="col">REM</th>
              <th scope="col">Light</th>
              <th scope="col">Awake</th>
              <th scope="col">Efficiency</th>
              <th scope="col">Interruptions</th>
              <th scope="col">Bedtime</th>
              <th scope="col">Naps</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {[...props.days].reverse().map((d) => (
              <tr key={d.date}>
                <th scope="row">{d.date}</th>
                <td>{formatMinutes(d.total_sleep_minutes)}</td>
                <td>{formatMinutes(d.time_in_bed_minutes)}</td>
                <td>{formatMinutes(d.deep_minutes)}</td>
                <td>{formatMinutes(d.rem_minutes)}</td>
                <td>{formatMinutes(d.light_minutes)}</td>
                <td>{formatMinutes(d.awake_minutes)}</td>
                <td>{percent(d.efficiency_percent)}</td>
                <td>{formatNumber(d.interruptions)}</td>
                <td>
                  {formatTime(d.bedtime_start)} – {formatTime(d.bedtime_end)}
                </td>
                <td>{d.naps.count > 0 ? `${d.naps.count} (${formatMinutes(d.naps.minutes)})` : '—'}</td>
                <td>{d.source.device ?? d.source.provider}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </>
  );
}
