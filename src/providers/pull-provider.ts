export { ProviderAuthError, ProviderRateLimitError } from './errors.ts';

import type { CanonicalBatch } from '../health-data/canonical.ts';

/** A slice of a pull: one page of vendor data. */
export interface PullWindow {
  fromMs: number;
  toMs: number;
  label: string;
}

export interface PullContext {
  userId: string;
  /** The connection's provider-specific settings. */
  settings: Record<string, unknown>;
  /** 0-based index of the window within the run, and how many times this run's job has started. */
  windowIndex: number;
  attempt: number;
}

/**
 * What the sync engine needs from a provider that is pulled: which windows a run covers, how to fetch
 * one window's raw payload, and how to map that payload to canonical records. Vendor differences live
 * here, in data and small mappers; the engine is the same for every provider.
 */
export interface PullProvider {
  slug: string;
  /** How far back a historical pull reaches. */
  historicalDays: number;
  windows(fromMs: number, toMs: number): PullWindow[];
  fetch(context: PullContext, window: PullWindow): Promise<unknown>;
  map(payload: unknown, context: PullContext): CanonicalBatch;
}
