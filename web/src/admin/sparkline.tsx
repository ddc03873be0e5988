import { formatNumber } from '../ui.tsx';

export interface Point {
  date: string;
  value: number;
}

/**
 * A small SVG line of daily counts. The picture is described in words (aria-label and the caption
 * under it), and the numbers are listed in a details table for keyboard and screen-reader users.
 */
export function Sparkline(props: { points: Point[]; label: string }) {
  const { points } = props;
  if (points.length === 0) return <p className="muted">No data for this period.</p>;
  const width = 280;
  const height = 60;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? width / (points.length - 1) : 0;
  const xy = points.map((p, i) => [i * step, height - 4 - (p.value / max) * (height - 8)] as const);
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const peak = points.reduce((best, p) => (p.value > best.value ? p : best), points[0] as Point);
  const summary = `${props.label}: ${formatNumber(total)} in ${points.length} days, most on ${peak.date} (${formatNumber(peak.value)})`;
  const last = xy[xy.length - 1];
  return (
    <figure className="stack" style={{ margin: 0 }}>
      <svg
        className="sparkline"
        viewBox={`-4 0 ${width + 8} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={summary}
      >
        <polyline points={xy.map(([x, y]) => `${x},${y}`).join(' ')} />
        {last && <circle cx={last[0]} cy={last[1]} r={3} />}
      </svg>
      <figcaption className="muted">{summary}</figcaption>
      <details>
        <summary>Daily numbers</summary>
        <table>
          <caption className="sr-only">{props.label} per day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Count</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.date}>
                <td>{p.date}</td>
                <td>{formatNumber(p.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
