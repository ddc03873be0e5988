import type { CanonicalBatch } from '../../health-data/canonical.ts';

/** Health API resources (dailies, epochs, sleeps, …); undefined for other resources. */
export function mapGarminHealth(resource: string, _items: unknown[]): CanonicalBatch | undefined {
  void resource;
  return undefined;
}
