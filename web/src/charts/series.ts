import type uPlot from 'uplot';

/** GET /api/v1/users/{id}/timeseries points, and how the panel turns them into chart series and text. */

export const RESOLUTIONS = ['raw', '1min', '5min', '15min', '1hour'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface TimeseriesPoint {
  id: string;
  timestamp: string;
  series_type: string;
  value: number;
  unit: string;
  aggregation?: 'sum' | 'avg';
  min?: number;
  max?: number;
  count?: number;
  source: { provider: string; device: string | null };
}

/** Line colours: each at least 4.5:1 on white, and every line is also named in the legend and table. */
export const PALETTE = ['#0b5cad', '#b42318', '#116329', '#7a4d00', '#6639ba', '#0f6f73', '#8f1d5e'];

export interface SourceStats {
  label: string;
  color: string;
  points: number;
  min: number;
  max: number;
  avg: number;
  /** Sum of the values, for cumulative types (steps, energy, distance). */
  total: number | undefined;
  first: string;
  last: string;
}

export const sourceLabel = (s: TimeseriesPoint['source']) =>
  s.device ? `${s.provider} · ${s.device}` : s.provider;

/** Points grouped per source (one line each), in the order the sources first appear. */
export function bySource(points: TimeseriesPoint[]): Map<string, TimeseriesPoint[]> {
  const groups = new Map<string, TimeseriesPoint[]>();
  for (const point of points) {
    const key = sourceLabel(point.source);
    let list = groups.get(key);
    if (!list) {
      list = [];
      groups.set(key, list);
    }
    list.push(point);
  }
  return groups;
}

export function statsOf(label: string, color: string, points: TimeseriesPoint[]): SourceStats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let weighted = 0;
  let weight = 0;
  let sum = 0;
  for (const p of points) {
    min = Math.min(min, p.min ?? p.value);
    max = Math.max(max, p.max ?? p.value);
    // An average bucket stands for `count` samples: weigh it so the overall average is the samples'.
    const n = p.aggregation === 'avg' ? (p.count ?? 1) : 1;
    weighted += p.value * n;
    weight += n;
    sum += p.value;
  }
  return {
    label,
    color,
    points: points.length,
    min,
    max,
    avg: weight > 0 ? weighted / weight : Number.NaN,
    total: points[0]?.aggregation === 'sum' ? sum : undefined,
    first: points[0]?.timestamp ?? '',
    last: points.at(-1)?.timestamp ?? '',
  };
}

function alpha(hex: string, a: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/**
 * uPlot's aligned columns: one x column (seconds) shared by every source, `undefined` where a source
 * has no point at another source's time (uPlot spans those, so each source still draws a continuous
 * line). Aggregated average types get min and max series per source with a band between them.
 */
export function buildChart(
  points: TimeseriesPoint[],
  unit: string,
  /** The x axis spans the asked range (seconds), not just the data's, so gaps at either end show. */
  range: [number, number],
): { data: uPlot.AlignedData; options: Omit<uPlot.Options, 'width' | 'height'>; stats: SourceStats[] } {
  const groups = bySource(points);
  const xs = [...new Set(points.map((p) => Date.parse(p.timestamp) / 1000))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns: (number | null | undefined)[][] = [];
  const series: uPlot.Series[] = [{ label: 'Time' }];
  const bands: uPlot.Band[] = [];
  const stats: SourceStats[] = [];
  const banded = points.some((p) => p.aggregation === 'avg' && p.min !== undefined && p.max !== undefined);
  let colorIndex = 0;
  // Sources in name order, so a source keeps its colour when the range or resolution changes.
  for (const [label, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const color = PALETTE[colorIndex++ % PALETTE.length] as string;
    stats.push(statsOf(label, color, list));
    const column = (pick: (p: TimeseriesPoint) => number | undefined) => {
      const values: (number | undefined)[] = new Array(xs.length).fill(undefined);
      for (const p of list) values[index.get(Date.parse(p.timestamp) / 1000) as number] = pick(p);
      return values;
    };
    columns.push(column((p) => p.value));
    const value = (_u: uPlot, v: number | null) => (v === null ? '—' : `${round(v)} ${unit}`);
    series.push({
      label: banded ? `${label} avg` : label,
      stroke: color,
      width: 1.5,
      spanGaps: true,
      value,
    });
    if (banded) {
      const avgIndex = series.length - 1;
      columns.push(column((p) => p.max ?? p.value));
      // Band edges stay out of the legend (class below): the legend then reads one line per source.
      const edge = { stroke: alpha(color, 0.45), width: 1, spanGaps: true, value, class: 'u-band-edge' };
      series.push({ ...edge, label: `${label} max` });
      columns.push(column((p) => p.min ?? p.value));
      series.push({ ...edge, label: `${label} min` });
      bands.push({ series: [avgIndex + 1, avgIndex + 2], fill: alpha(color, 0.12) });
    }
  }
  const axis = { stroke: '#1b1f24', grid: { stroke: '#e6e9ee', width: 1 }, ticks: { stroke: '#d5d9e0' } };
  return {
    data: [xs, ...columns] as uPlot.AlignedData,
    stats,
    options: {
      series,
      bands,
      // An aggregated bucket is stamped with its start, which can precede the range: widen to keep it.
      scales: {
        x: {
          time: true,
          range: () => [Math.min(range[0], xs[0] ?? range[0]), Math.max(range[1], xs.at(-1) ?? range[1])],
        },
      },
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      axes: [
        { ...axis, label: 'Time' },
        { ...axis, label: unit, size: 56 },
      ],
    },
  };
}

export function round(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return value.toLocaleString(undefined, { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 1 });
}
