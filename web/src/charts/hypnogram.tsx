import { useId } from 'react';
import { formatNumber } from '../ui.tsx';
import { formatMinutes, formatTime } from './format.ts';
import { ScrollBox } from './scroll-box.tsx';
import { useWidth } from './use-width.ts';

/** SVG sleep charts: a night's hypnogram and the nightly stage bars. */

export interface StageRun {
  stage: string;
  start: string;
  end: string;
}

/** Rows top to bottom, lightest sleep on top as hypnograms are read; rarer stages only when present. */
const STAGE_ROWS = ['in_bed', 'unknown', 'awake', 'rem', 'sleeping', 'light', 'deep'] as const;
const ALWAYS = new Set(['awake', 'rem', 'light', 'deep']);

export const STAGE_LABEL: Record<string, string> = {
  in_bed: 'In bed',
  unknown: 'Unknown',
  awake: 'Awake',
  rem: 'REM',
  sleeping: 'Asleep',
  light: 'Light',
  deep: 'Deep',
};

export const STAGE_COLOR: Record<string, string> = {
  in_bed: '#8a93a3',
  unknown: '#8a93a3',
  awake: '#c2410c',
  rem: '#7c3aed',
  sleeping: '#0f6f73',
  light: '#3b82f6',
  deep: '#1e3a8a',
};

const PAD = { left: 64, right: 12, top: 10, bottom: 28 };
const ROW = 30;

export function Hypnogram(props: { runs: StageRun[]; title: string }) {
  const titleId = useId();
  const descId = useId();
  const [ref, W] = useWidth<HTMLElement>(700);
  const present = new Set(props.runs.map((r) => r.stage));
  const rows = STAGE_ROWS.filter((s) => ALWAYS.has(s) || present.has(s));
  const H = PAD.top + rows.length * ROW + PAD.bottom;
  const start = Date.parse(props.runs[0]?.start ?? '');
  const end = Date.parse(props.runs.at(-1)?.end ?? '');
  const span = Math.max(end - start, 60_000);
  const innerW = W - PAD.left - PAD.right;
  const x = (iso: string) => PAD.left + ((Date.parse(iso) - start) / span) * innerW;
  const y = (stage: string) =>
    PAD.top + Math.max(rows.indexOf(stage as (typeof rows)[number]), 0) * ROW + ROW / 2;
  // Step line: horizontal at each run's stage, vertical where one run hands over to the next.
  let path = '';
  props.runs.forEach((run, i) => {
    const previous = props.runs[i - 1];
    const joined = previous !== undefined && previous.end === run.start;
    path += `${joined ? 'L' : 'M'}${x(run.start).toFixed(1)},${y(run.stage)}L${x(run.end).toFixed(1)},${y(run.stage)}`;
  });
  const minutes: Record<string, number> = {};
  for (const run of props.runs)
    minutes[run.stage] = (minutes[run.stage] ?? 0) + (Date.parse(run.end) - Date.parse(run.start)) / 60_000;
  const hourTicks: number[] = [];
  // About one time label per 70 px.
  const hours = span / 3_600_000;
  const stepMs = ([1, 2, 3, 4, 6, 12].find((h) => (hours / h) * 70 <= innerW) ?? 24) * 3_600_000;
  for (let t = Math.ceil(start / stepMs) * stepMs; t <= end; t += stepMs) hourTicks.push(t);

  return (
    <figure className="charts-figure" ref={ref}>
      <svg
        className="charts-svg"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>
          {`From ${formatTime(props.runs[0]?.start ?? '')} to ${formatTime(props.runs.at(-1)?.end ?? '')}: ` +
            rows
              .filter((s) => minutes[s])
              .map((s) => `${STAGE_LABEL[s]} ${formatMinutes(Math.round(minutes[s] ?? 0))}`)
              .join(', ') +
            `. ${props.runs.length} stage changes; the table below lists them.`}
        </desc>
        <g>
          {rows.map((stage) => (
            <g key={stage}>
              <line className="grid-line" x1={PAD.left} x2={W - PAD.right} y1={y(stage)} y2={y(stage)} />
              <text x={PAD.left - 8} y={y(stage) + 4} textAnchor="end">
                {STAGE_LABEL[stage]}
              </text>
            </g>
          ))}
          {props.runs.map((run) => (
            <rect
              key={`${run.start}-${run.stage}`}
              x={x(run.start)}
              y={y(run.stage) - ROW / 2 + 5}
              width={Math.max(x(run.end) - x(run.start), 0.5)}
              height={ROW - 10}
              fill={STAGE_COLOR[run.stage] ?? '#8a93a3'}
              opacity={0.35}
            />
          ))}
          <path d={path} fill="none" stroke="#1b1f24" strokeWidth={1.5} />
          <line
            className="axis-line"
            x1={PAD.left}
            x2={W - PAD.right}
            y1={H - PAD.bottom}
            y2={H - PAD.bottom}
          />
          {hourTicks.map((t) => (
            <text
              key={t}
              x={x(new Date(t).toISOString())}
              y={H - 8}
              // Labels near either edge are anchored inward, so they are never cut off.
              textAnchor={
                x(new Date(t).toISOString()) > W - 40
                  ? 'end'
                  : x(new Date(t).toISOString()) < PAD.left + 30
                    ? 'start'
                    : 'middle'
              }
            >
              {formatTime(new Date(t).toISOString())}
            </text>
          ))}
        </g>
      </svg>
      <figcaption className="charts-caption">{props.title}</figcaption>
      <details>
        <summary>Stage timeline as a table</summary>
        <ScrollBox label={`${props.title}: every stage run`}>
          <table>
            <caption className="sr-only">{props.title}: every stage run</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Length</th>
              </tr>
            </thead>
            <tbody>
              {props.runs.map((run) => (
                <tr key={`${run.start}-${run.stage}`}>
                  <td>{STAGE_LABEL[run.stage] ?? run.stage}</td>
                  <td>{formatTime(run.start)}</td>
                  <td>{formatTime(run.end)}</td>
                  <td>{formatMinutes(Math.round((Date.parse(run.end) - Date.parse(run.start)) / 60_000))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      </details>
    </figure>
  );
}

export interface NightBar {
  date: string;
  deep: number;
  light: number;
  rem: number;
  awake: number;
  unknown: number;
}

const BAR_STAGES = ['deep', 'light', 'rem', 'unknown', 'awake'] as const;
const BH = 200;
const BPAD = { left: 44, right: 8, top: 10, bottom: 30 };

/** Minutes per stage per night, stacked; the summary table next to it carries the same numbers. */
export function NightlyBars(props: { nights: NightBar[] }) {
  const titleId = useId();
  const [ref, BW] = useWidth<HTMLElement>(700);
  const nights = props.nights;
  const totals = nights.map((n) => BAR_STAGES.reduce((sum, s) => sum + n[s], 0));
  const maxHours = Math.max(1, Math.ceil(Math.max(...totals, 60) / 60));
  const innerW = BW - BPAD.left - BPAD.right;
  const innerH = BH - BPAD.top - BPAD.bottom;
  const slot = innerW / Math.max(nights.length, 1);
  const barW = Math.max(Math.min(slot * 0.7, 28), 2);
  const y = (minutes: number) => BPAD.top + innerH - (minutes / (maxHours * 60)) * innerH;
  const hourStep = maxHours > 8 ? 2 : 1;
  // About one date label per 50 px.
  const labelEvery = Math.max(1, Math.ceil((nights.length * 50) / innerW));
  return (
    <figure className="charts-figure" ref={ref}>
      <svg
        className="charts-svg"
        width={BW}
        height={BH}
        viewBox={`0 0 ${BW} ${BH}`}
        role="img"
        aria-labelledby={titleId}
      >
        <title id={titleId}>
          {`Sleep stages per night, ${nights.length} nights, up to ${formatNumber(maxHours)} hours; the table below has the numbers`}
        </title>
        <g>
          {Array.from({ length: Math.floor(maxHours / hourStep) + 1 }, (_, i) => i * hourStep).map((h) => (
            <g key={h}>
              <line className="grid-line" x1={BPAD.left} x2={BW - BPAD.right} y1={y(h * 60)} y2={y(h * 60)} />
              <text x={BPAD.left - 6} y={y(h * 60) + 4} textAnchor="end">
                {h} h
              </text>
            </g>
          ))}
          {nights.map((night, i) => {
            let base = 0;
            const cx = BPAD.left + slot * i + slot / 2;
            return (
              <g key={night.date}>
                {BAR_STAGES.map((stage) => {
                  const top = y(base + night[stage]);
                  const height = y(base) - top;
                  base += night[stage];
                  return height > 0 ? (
                    <rect
                      key={stage}
                      x={cx - barW / 2}
                      y={top}
                      width={barW}
                      height={height}
                      fill={STAGE_COLOR[stage]}
                    />
                  ) : null;
                })}
                {i % labelEvery === 0 && (
                  <text x={cx} y={BH - 10} textAnchor="middle">
                    {night.date.slice(5)}
                  </text>
                )}
              </g>
            );
          })}
        </g>
      </svg>
      <ul className="charts-legend" aria-label="Stages">
        {BAR_STAGES.map((stage) => (
          <li key={stage}>
            <span className="charts-swatch" style={{ background: STAGE_COLOR[stage] }} aria-hidden="true" />
            {STAGE_LABEL[stage]}
          </li>
        ))}
      </ul>
    </figure>
  );
}
