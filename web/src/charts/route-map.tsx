import { useId } from 'react';
import { formatNumber } from '../ui.tsx';
import { formatDistance } from './format.ts';
import { useWidth } from './use-width.ts';

/**
 * A workout's route drawn from its GPS points alone, no map tiles (nothing leaves this origin): an
 * equirectangular projection whose x is shrunk by cos(latitude), so a kilometre is as long east-west as
 * north-south at the route's latitude, scaled to fit the box.
 */

export interface RoutePoint {
  time: string;
  latitude: number;
  longitude: number;
  altitude_m: number | null;
}

/** Metres per degree of latitude (mean Earth radius 6,371 km). */
const M_PER_DEG = (Math.PI * 6_371_000) / 180;

function haversine(a: RoutePoint, b: RoutePoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Distance from the start at each point, in metres. */
export function cumulativeDistance(points: RoutePoint[]): number[] {
  const out: number[] = [];
  let total = 0;
  points.forEach((p, i) => {
    const previous = points[i - 1];
    if (previous) total += haversine(previous, p);
    out.push(total);
  });
  return out;
}

/** The largest 1-2-5 step not above `value`. */
function niceBelow(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [5, 2, 1]) if (m * power <= value) return m * power;
  return power;
}

const PAD = 28;
const MAP_MAX_W = 720;

export function RouteMap(props: { points: RoutePoint[]; distances: number[] }) {
  const { points } = props;
  const titleId = useId();
  const descId = useId();
  const [ref, measured] = useWidth<HTMLDivElement>(600);
  const W = Math.min(measured, MAP_MAX_W);
  const lats = points.map((p) => p.latitude);
  const lons = points.map((p) => p.longitude);
  const latMin = Math.min(...lats);
  const latMax = Math.max(...lats);
  const lonMin = Math.min(...lons);
  const lonMax = Math.max(...lons);
  const k = Math.cos((((latMin + latMax) / 2) * Math.PI) / 180);
  const spanX = (lonMax - lonMin) * k;
  const spanY = latMax - latMin;
  // The box follows the route's shape (within limits), so a long east-west route is not a thin line.
  const H = Math.round(
    Math.min(Math.max(spanX > 0 ? (W - 2 * PAD) * (spanY / spanX) + 2 * PAD : W * 0.6, 220), 480),
  );
  // Pixels per degree of latitude; a route of one spot gets an arbitrary 1 km box.
  const scale = Math.min((W - 2 * PAD) / (spanX || 0.009), (H - 2 * PAD) / (spanY || 0.009));
  const offsetX = (W - spanX * scale) / 2;
  const offsetY = (H - spanY * scale) / 2;
  const project = (p: RoutePoint): [number, number] => [
    offsetX + (p.longitude - lonMin) * k * scale,
    offsetY + (latMax - p.latitude) * scale,
  ];
  const path = points
    .map((p, i) => {
      const [x, y] = project(p);
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join('');
  const first = points[0] as RoutePoint;
  const last = points.at(-1) as RoutePoint;
  const [sx, sy] = project(first);
  const [ex, ey] = project(last);
  // A loop ends where it started: one label then. Labels flip to the left near the right edge.
  const together = Math.hypot(ex - sx, ey - sy) < 24;
  const label = (x: number, y: number, text: string, below: boolean) => (
    <text
      x={x > W - 110 ? x - 12 : x + 12}
      y={below ? y + 18 : y - 10}
      textAnchor={x > W - 110 ? 'end' : 'start'}
      fontWeight={600}
      stroke="#ffffff"
      strokeWidth={3}
      paintOrder="stroke"
    >
      {text}
    </text>
  );
  // Scale bar: a round length of about a quarter of the width.
  const pxPerMeter = scale / M_PER_DEG;
  const barMeters = niceBelow(W / 4 / pxPerMeter);
  const barPx = barMeters * pxPerMeter;
  const barLabel = `${formatNumber(barMeters / 1000, 3)} km`;
  const total = props.distances.at(-1) ?? 0;
  const coord = (p: RoutePoint) => `${p.latitude.toFixed(5)}, ${p.longitude.toFixed(5)}`;

  return (
    <div ref={ref}>
      <svg
        className="charts-svg charts-map"
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>Route map</title>
        <desc id={descId}>
          {`Route of ${formatDistance(total)} over ${formatNumber(points.length)} GPS points, from ${coord(first)} to ${coord(last)}. ` +
            `It spans ${formatDistance(spanX * M_PER_DEG)} east-west and ${formatDistance(spanY * M_PER_DEG)} north-south. North is up.`}
        </desc>
        <path
          d={path}
          fill="none"
          stroke="#ffffff"
          strokeWidth={6}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
        <path
          d={path}
          fill="none"
          stroke="#0b5cad"
          strokeWidth={3}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
        <g>
          <rect x={ex - 6} y={ey - 6} width={12} height={12} fill="#b42318" stroke="#fff" strokeWidth={2} />
          <circle cx={sx} cy={sy} r={7} fill="#116329" stroke="#fff" strokeWidth={2} />
          {together ? (
            label(sx, sy, 'Start / Finish', false)
          ) : (
            <>
              {label(sx, sy, 'Start', false)}
              {label(ex, ey, 'Finish', true)}
            </>
          )}
          <g transform={`translate(${W - 34}, 14)`}>
            <path d="M10,0 L17,20 L10,15 L3,20 Z" fill="#1b1f24" />
            <text x={10} y={34} textAnchor="middle" fontWeight={600}>
              N
            </text>
          </g>
          <g transform={`translate(${PAD - 12}, ${H - 14})`}>
            <rect x={-4} y={-20} width={barPx + 60} height={26} fill="#ffffff" opacity={0.85} rx={3} />
            <path d={`M0,-6 V0 H${barPx.toFixed(1)} V-6`} fill="none" stroke="#1b1f24" strokeWidth={2} />
            <text x={barPx + 6} y={0}>
              {barLabel}
            </text>
          </g>
        </g>
      </svg>
    </div>
  );
}

const EH = 170;
const EPAD = { left: 52, right: 12, top: 10, bottom: 34 };

/** Altitude over distance; drawn only when the route carries altitudes. */
export function ElevationProfile(props: { points: RoutePoint[]; distances: number[] }) {
  const titleId = useId();
  const descId = useId();
  const [ref, EW] = useWidth<HTMLDivElement>(600);
  const samples = props.points
    .map((p, i) => ({ d: props.distances[i] as number, alt: p.altitude_m }))
    .filter((s): s is { d: number; alt: number } => s.alt !== null);
  if (samples.length < 2) return null;
  const alts = samples.map((s) => s.alt);
  const low = Math.min(...alts);
  const high = Math.max(...alts);
  let gain = 0;
  for (let i = 1; i < samples.length; i++) {
    const rise = (samples[i]?.alt as number) - (samples[i - 1]?.alt as number);
    if (rise > 0) gain += rise;
  }
  const dMax = (samples.at(-1)?.d ?? 0) || 1;
  const yLow = Math.floor(low - (high - low) * 0.1 - 1);
  const yHigh = Math.ceil(high + (high - low) * 0.1 + 1);
  const innerW = EW - EPAD.left - EPAD.right;
  const innerH = EH - EPAD.top - EPAD.bottom;
  const x = (d: number) => EPAD.left + (d / dMax) * innerW;
  const y = (alt: number) => EPAD.top + (1 - (alt - yLow) / (yHigh - yLow)) * innerH;
  const line = samples
    .map((s, i) => `${i === 0 ? 'M' : 'L'}${x(s.d).toFixed(1)},${y(s.alt).toFixed(1)}`)
    .join('');
  const area = `${line}L${x(samples.at(-1)?.d ?? 0).toFixed(1)},${EPAD.top + innerH}L${x(samples[0]?.d ?? 0).toFixed(1)},${EPAD.top + innerH}Z`;
  const yTicks = [yLow, (yLow + yHigh) / 2, yHigh];
  const dStep = niceBelow(dMax / 4 || 1);
  const dTicks: number[] = [];
  for (let d = 0; d <= dMax + 1e-6; d += dStep) dTicks.push(d);

  return (
    <div ref={ref}>
      <svg
        className="charts-svg"
        width={EW}
        height={EH}
        viewBox={`0 0 ${EW} ${EH}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
      >
        <title id={titleId}>Elevation profile</title>
        <desc id={descId}>
          {`Altitude between ${formatNumber(low)} m and ${formatNumber(high)} m over ${formatDistance(dMax)}, ${formatNumber(gain)} m of climbing in total.`}
        </desc>
        <g>
          {yTicks.map((t) => (
            <g key={t}>
              <line className="grid-line" x1={EPAD.left} x2={EW - EPAD.right} y1={y(t)} y2={y(t)} />
              <text x={EPAD.left - 6} y={y(t) + 4} textAnchor="end">
                {formatNumber(t)} m
              </text>
            </g>
          ))}
          <path d={area} fill="rgba(17, 99, 41, 0.15)" />
          <path d={line} fill="none" stroke="#116329" strokeWidth={2} />
          <line
            className="axis-line"
            x1={EPAD.left}
            x2={EW - EPAD.right}
            y1={EPAD.top + innerH}
            y2={EPAD.top + innerH}
          />
          {dTicks.map((d) => (
            <text key={d} x={x(d)} y={EH - EPAD.bottom + 16} textAnchor="middle">
              {formatNumber(d / 1000, 2)}
            </text>
          ))}
          <text x={EW - EPAD.right} y={EH - 3} textAnchor="end">
            Distance (km)
          </text>
        </g>
      </svg>
    </div>
  );
}
