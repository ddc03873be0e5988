import type { z } from 'zod';
import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { ProviderAuthError, ProviderResponseError } from '../errors.ts';
import type { VendorHttp, VendorRequest } from '../types.ts';
import { withingsManifest } from './manifest.ts';

export const DAY = 86_400_000;

/** The series id of a catalog name (the names are a closed union, so the row exists). */
export const series = (name: SeriesTypeName): number => findSeriesTypeByName(name)?.id as number;

/** A batch plus its source table, with Withings as the provider of every source. */
export function withingsBatch(): {
  batch: CanonicalBatch;
  sourceOf: (deviceModel?: string | number | null) => number;
} {
  const batch = emptyBatch();
  const table = new SourceTable(batch);
  return {
    batch,
    sourceOf: (model) =>
      table.indexOf({
        provider: 'withings',
        deviceName: model === undefined || model === null || model === '' ? null : String(model),
        deviceManufacturer: 'Withings',
      }),
  };
}

/**
 * Withings' auth statuses (HTTP 200 with these in `status`): the token is invalid or lacks a scope. The
 * vendor client refreshes once on them; one that still comes back (a call without a user token) is here.
 */
const AUTH_STATUSES = new Set(withingsManifest.api.body_status_auth);

/**
 * A Withings call: HTTP 200 carries the outcome in `status`. 0 → the `body`; 601 is raised by the
 * vendor client as a rate limit (manifest `body_status_rate_limited`); 100–102/200/401 mean the token
 * is invalid (`ProviderAuthError`, like an HTTP 401 after a refresh); anything else is a clear
 * `ProviderResponseError` naming the status and Withings' `error` text.
 *
 * @example
 * const body = await withingsCall<{ measuregrps: unknown[] }>(http, {
 *   method: 'POST', path: '/measure', form: { action: 'getmeas', category: 1 },
 * });
 */
export async function withingsCall<T>(http: VendorHttp, request: VendorRequest): Promise<T> {
  const answer = await http.json<unknown>(request);
  const what = `Withings ${request.path} action=${String(request.form?.action ?? request.query?.action ?? '?')}`;
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer))
    throw new ProviderResponseError(`${what} answered without a {status, body} object`);
  const { status, body, error } = answer as { status?: unknown; body?: unknown; error?: unknown };
  const text = typeof error === 'string' && error !== '' ? `: ${error}` : '';
  if (typeof status !== 'number')
    throw new ProviderResponseError(`${what} answered without a numeric status`);
  if (AUTH_STATUSES.has(status))
    throw new ProviderAuthError(`${what} refused the access token (status ${status}${text})`);
  if (status !== 0) throw new ProviderResponseError(`${what} failed with status ${status}${text}`);
  return (body ?? {}) as T;
}

/**
 * A measure's real value, `value × 10^unit`, exactly: the integer is divided by a power of ten (one
 * correctly rounded operation) rather than multiplied by 10^-n (0.001 is not exact in binary), so
 * 65750 with unit -3 is 65.75, not 65.75000000000001.
 *
 * @example scaled(65750, -3) // 65.75
 */
export function scaled(value: number, unit: number): number {
  if (!Number.isInteger(value) || !Number.isInteger(unit))
    throw new ProviderResponseError(`Withings measure ${value} × 10^${unit} is not integer-coded`);
  return unit >= 0 ? value * 10 ** unit : value / 10 ** -unit;
}

/**
 * The UTC offset (minutes) of an IANA zone at an instant, or null when the zone is unknown. Withings
 * gives zones by name (`Europe/Paris`); the offset kept with a record is the one in force at it.
 */
export function zoneOffsetMin(timeZone: string | null | undefined, atMs: number): number | null {
  if (timeZone === null || timeZone === undefined || timeZone === '') return null;
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(atMs)
      .find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return null;
  }
  if (name === undefined) return null;
  const m = /^GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/.exec(name);
  if (m === null) return null;
  if (m[1] === undefined) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * The UTC instant of a local midnight (`YYYY-MM-DD` in an IANA zone): the zone's offset is read at
 * UTC midnight and corrected once, which is exact except inside a DST gap at midnight (rare zones).
 */
export function localMidnightMs(date: string, timeZone: string | null | undefined): number {
  const utc = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(utc))
    throw new ProviderResponseError(`Withings sent "${date}" where a YYYY-MM-DD date was expected`);
  const first = zoneOffsetMin(timeZone, utc) ?? 0;
  const guess = utc - first * 60_000;
  const second = zoneOffsetMin(timeZone, guess) ?? 0;
  return utc - second * 60_000;
}

/** Withings answers wrapped (`{status, body}`) or the pull's own unwrapped bodies: the body either way. */
export function unwrap(payload: unknown): unknown {
  if (payload !== null && typeof payload === 'object' && 'status' in payload && 'body' in payload)
    return (payload as { body: unknown }).body;
  return payload;
}

/**
 * A payload checked against its schema: what does not have the documented shape fails the run with
 * the path of the first problem instead of a TypeError deep in a mapper.
 */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.output<S> {
  const result = schema.safeParse(unwrap(payload));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new ProviderResponseError(
    `Withings ${what} payload is malformed${where}: ${issue?.message ?? 'invalid'}`,
  );
}

/** A number Withings may send as null or absent (and, in the spec's examples, as a 0 placeholder). */
export const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
