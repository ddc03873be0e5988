import { type CanonicalBatch, SourceTable } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';
import { WhoopPage } from './schemas.ts';

/** kcal = kJ ÷ 4.184 (thermochemical calorie), the conversion WHOOP's own kcal figures use. */
export const KJ_PER_KCAL = 4.184;

/**
 * Kilojoules in kcal, rounded to a millionth of a kcal: the division of two decimals is not exact in
 * binary (418.4 / 4.184 is 99.99999999999999), and nothing WHOOP measures is finer than that.
 *
 * @example kilojoulesToKcal(418.4) // 100
 */
export const kilojoulesToKcal = (kj: number): number => Math.round((kj / KJ_PER_KCAL) * 1e6) / 1e6;

/**
 * WHOOP's `timezone_offset` (`+hh:mm`, `-hh:mm`, `Z`) in minutes east of UTC; null when absent.
 *
 * @example offsetMinutes('-04:00') // -240
 */
export function offsetMinutes(offset: string | null | undefined): number | null {
  if (offset === null || offset === undefined) return null;
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  return sign * ((h as number) * 60 + (m as number));
}

/** The local calendar day (YYYY-MM-DD) of an instant at an offset (UTC when the offset is unknown). */
export function localDate(ms: number, offsetMin: number | null): string {
  return new Date(ms + (offsetMin ?? 0) * 60_000).toISOString().slice(0, 10);
}

/** WHOOP payloads name no device (one strap per member): the source is the provider alone. */
export function whoopSource(batch: CanonicalBatch): number {
  return new SourceTable(batch).indexOf({ provider: 'whoop' });
}

/**
 * The raw records of a resource payload, whichever form it arrived in: what `pull.ts` archives
 * (`{pages: [{records, next_token}, …]}`), one collection page (`{records, next_token}`), or a single
 * record (a webhook's targeted fetch, a reference example). `isRecord` tells a record from a wrapper.
 */
export function recordsOf(
  payload: unknown,
  what: string,
  isRecord: (value: Record<string, unknown>) => boolean,
): unknown[] {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new ProviderResponseError(`WHOOP ${what} payload is not a JSON object`);
  }
  const object = payload as Record<string, unknown>;
  if (Array.isArray(object.pages)) {
    return object.pages.flatMap((page, i) => pageRecords(page, `${what} page ${i + 1}`));
  }
  if ('records' in object) return pageRecords(object, `${what} page`);
  if (isRecord(object)) return [object];
  throw new ProviderResponseError(
    `WHOOP ${what} payload has neither "records", "pages" nor the fields of a ${what} record`,
  );
}

function pageRecords(page: unknown, what: string): unknown[] {
  const parsed = WhoopPage.safeParse(page);
  if (!parsed.success) {
    throw new ProviderResponseError(`WHOOP ${what} is malformed: "records" must be an array`);
  }
  return parsed.data.records;
}
