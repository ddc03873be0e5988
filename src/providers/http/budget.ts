import type { RateLimiter } from '../../http/rate-limit.ts';
import type { ProviderManifest } from '../manifest.ts';

/** One of a vendor app's request budgets, as `GET /api/v1/providers` shows it. */
export interface BudgetStatus {
  limit: number;
  window_seconds: number;
  used: number;
  resets_at: string | null;
}

/**
 * A vendor's limits are per app (client id), not per worker: every worker counts its calls in the same
 * window (Redis when configured, else this process, which is then the only one). Calls stop short of the
 * limit instead of collecting 429s the vendor may count against the app.
 */
const key = (slug: string, clientId: string, windowSeconds: number) =>
  `vendor-budget:${slug}:${clientId}:${windowSeconds}`;

/**
 * Counts one call against every budget of the app; the wait in seconds when one is exhausted (the
 * call must not be made), else undefined.
 *
 * @example
 * const wait = await spendBudget(rateLimiter, manifest, app.clientId);
 * if (wait !== undefined) throw new ProviderRateLimitError(wait, 'WearLink budget for oura exhausted');
 */
export async function spendBudget(
  limiter: RateLimiter,
  manifest: ProviderManifest,
  clientId: string,
): Promise<number | undefined> {
  let wait: number | undefined;
  for (const budget of manifest.api.budgets) {
    const hit = await limiter.hit(
      key(manifest.slug, clientId, budget.window_seconds),
      budget.window_seconds * 1000,
    );
    if (hit.count > budget.limit) {
      const seconds = Math.max(1, Math.ceil((hit.resetAt - Date.now()) / 1000));
      wait = Math.max(wait ?? 0, seconds);
    }
  }
  return wait;
}

/** Where each budget of an app stands now (nothing is counted). */
export async function budgetStatus(
  limiter: RateLimiter,
  manifest: ProviderManifest,
  clientId: string,
): Promise<BudgetStatus[]> {
  return Promise.all(
    manifest.api.budgets.map(async (budget) => {
      const hit = await limiter.peek(key(manifest.slug, clientId, budget.window_seconds));
      return {
        limit: budget.limit,
        window_seconds: budget.window_seconds,
        used: Math.min(hit?.count ?? 0, budget.limit),
        resets_at: hit === undefined ? null : new Date(hit.resetAt).toISOString(),
      };
    }),
  );
}
