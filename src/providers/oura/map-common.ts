import { z } from 'zod';
import { scoreRange } from '../../catalog/health-scores.ts';
import { type SeriesTypeName, seriesType } from '../../catalog/series-types.ts';
import { type CanonicalBatch, SourceTable } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';

/**
 * Shared pieces of the Oura mappers: payload validation with messages that name the resource and the
 * field, Oura's `LocalizedDateTime` offsets, and `PublicSample` expansion.
 */

/** A payload that does not have Oura's documented shape: the run fails with this message. */
export class OuraPayloadError extends ProviderResponseError {
  override name = 'OuraPayloadError';
}

const OFFSET = /(?:([+-])(\d{2}):?(\d{2})|Z)$/i;

/** An ISO date-time Oura sends (always with an offset or `Z`). */
export const DateTimeString = z
  .string()
  .refine((v) => OFFSET.test(v) && Number.isFinite(Date.parse(v)), 'not an ISO date-time with an offset');
export const DayString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a YYYY-MM-DD day');
const Finite = z.number().refine(Number.isFinite, 'not a finite number');

/** Oura `PublicSample`: `items[i]` was recorded at `timestamp + i × interval` seconds; nulls are gaps. */
export const PublicSample = z.looseObject({
  interval: Finite.refine((v) => v > 0, 'interval must be positive'),
  items: z.array(z.number().nullable()),
  timestamp: DateTimeString,
});
export type PublicSample = z.infer<typeof PublicSample>;

export const Contributors = z.record(z.string(), z.number().nullable()).default({});

/**
 * The offset (minutes east of UTC) a `LocalizedDateTime` carries: the user's local offset when the
 * vendor gave one. `Z` gives 0 only where Oura documents local times; callers with UTC-only fields
 * (heart-rate rows) pass null instead.
 */
export function utcOffsetOf(iso: string): number | null {
  const m = OFFSET.exec(iso);
  if (m === null) return null;
  if (m[1] === undefined) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** Midnight UTC of a `YYYY-MM-DD` day: where day-level values without a timestamp are placed. */
export const dayStartMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/**
 * The documents of a collection page (`{data: [...], next_token}`) or of a merged pull (`{data}`), each
 * validated with `schema`. A single-document answer (`GET …/{document_id}`) is wrapped by the pull
 * before it gets here. Throws `OuraPayloadError` naming the resource, the index and the field.
 */
export function parseDocuments<S extends z.ZodType>(
  resource: string,
  schema: S,
  payload: unknown,
): z.output<S>[] {
  const page = z.looseObject({ data: z.array(z.unknown()) }).safeParse(payload);
  if (!page.success) throw new OuraPayloadError(`Oura ${resource}: the payload has no "data" array`);
  return page.data.data.map((doc, index) => {
    const parsed = schema.safeParse(doc);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'document';
    const id = (doc as { id?: unknown } | null)?.id;
    const which = typeof id === 'string' ? `document ${id}` : `data[${index}]`;
    throw new OuraPayloadError(`Oura ${resource}: ${which}: ${where}: ${issue?.message ?? 'invalid'}`);
  });
}

export const seriesId = (name: SeriesTypeName): number => seriesType(name).id;

/** Every Oura record's source: the payloads name no device (a ring's id is an encrypted token). */
export function ouraSource(batch: CanonicalBatch): number {
  return new SourceTable(batch).indexOf({ provider: 'oura' });
}

/**
 * Pushes one sample per non-null item of an Oura `PublicSample` (each covering its interval), keeping
 * the sample's local offset. `accept` drops values that are not readings (Oura sends 0 or negatives
 * for "no measurement" in some series).
 */
export function pushPublicSample(
  batch: CanonicalBatch,
  source: number,
  name: SeriesTypeName,
  sample: PublicSample | null | undefined,
  accept: (value: number) => boolean = () => true,
): void {
  if (sample == null) return;
  const startMs = Date.parse(sample.timestamp);
  const stepMs = sample.interval * 1000;
  const utcOffsetMin = utcOffsetOf(sample.timestamp);
  const seriesTypeId = seriesId(name);
  sample.items.forEach((value, i) => {
    if (value === null || !Number.isFinite(value) || !accept(value)) return;
    batch.samples.push({
      source,
      seriesTypeId,
      startMs: startMs + i * stepMs,
      durationMs: stepMs,
      value,
      utcOffsetMin,
    });
  });
}

/** An Oura score (1–100 per the catalog) with its contributors; a null score (not computed) adds nothing. */
export function pushScore(
  batch: CanonicalBatch,
  source: number,
  category: 'sleep' | 'readiness' | 'activity' | 'resilience',
  day: string,
  score: number | null | undefined,
  components: Record<string, unknown>,
): void {
  if (score == null) return;
  const range = scoreRange('oura', category);
  if (range === undefined) throw new Error(`the catalog has no Oura ${category} score range`);
  batch.scores.push({
    source,
    provider: 'oura',
    date: day,
    category,
    score,
    rangeMin: range.min,
    rangeMax: range.max,
    components,
  });
}
