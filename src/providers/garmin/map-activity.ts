import type { CanonicalBatch } from '../../health-data/canonical.ts';

/** Activity API resources (activities, manually updated, details, Move IQ); undefined for other resources. */
export function mapGarminActivity(resource: string, _items: unknown[]): CanonicalBatch | undefined {
  void resource;
  return undefined;
}
