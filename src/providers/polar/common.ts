import type { z } from 'zod';
import { findSeriesTypeByName, type SeriesTypeName } from '../../catalog/series-types.ts';
import { type CanonicalBatch, emptyBatch, SourceTable } from '../../health-data/canonical.ts';
import { ProviderResponseError } from '../errors.ts';

/** The series id of a catalog name (the names are a closed union, so the row exists). */
export const series = (name: SeriesTypeName): number => findSeriesTypeByName(name)?.id as number;

/** A batch plus its source table, with Polar as the provider of every source. */
export function polarBatch(): { batch: CanonicalBatch; sourceOf: (deviceName?: string | null) => number } {
  const batch = emptyBatch();
  const table = new SourceTable(batch);
  return {
    batch,
    sourceOf: (deviceName) =>
      table.indexOf({ provider: 'polar', deviceName: deviceName ?? null, deviceManufacturer: 'Polar' }),
  };
}

/**
 * A payload checked against its schema: what does not have the documented shape fails the run with
 * the path of the first problem instead of a TypeError deep in a mapper.
 */
export function parsePayload<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  throw new ProviderResponseError(
    `Polar ${what} payload is malformed${where}: ${issue?.message ?? 'invalid'}`,
  );
}

/** A number Polar may send as null, absent, or (in samples) as a string. */
export const finite = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

/**
 * Exercise payloads come in kebab-case (the transactional API, the reference examples) or snake_case
 * (`/v3/exercises`): keys are read snake_case. Only plain objects' keys change, values stay.
 */
export function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k.replaceAll('-', '_'), snakeKeys(v)]),
  );
}
