import { PROVIDERS, type ProviderKind, type ProviderSlug } from '../../catalog/providers.ts';
import type { ProviderAppRow } from '../../db/schema.ts';
import { type BudgetStatus, budgetStatus } from '../http/budget.ts';
import type { ProviderManifest } from '../manifest.ts';
import { findProviderModule } from '../registry.ts';
import type { ProviderRuntime } from '../runtime.ts';
import { instanceApp } from './instance-app.ts';
import { listProviderApps } from './provider-apps.repo.ts';

export type AppSource = 'developer' | 'instance';

/** One provider as `GET /api/v1/providers` shows it to one developer. */
export interface CatalogueEntry {
  slug: ProviderSlug;
  name: string;
  kind: ProviderKind;
  /** This build can sync it (OAuth vendors: its module is in the registry). */
  available: boolean;
  /** Its users can connect: SDK and built-in providers always, OAuth vendors with a client id and secret. */
  is_configured: boolean;
  app_source: AppSource | null;
  callback_url: string | null;
  webhook_url: string | null;
  developer_portal: string | null;
  historical_days: number | null;
  capabilities: ProviderManifest['capabilities'] | null;
  resources: { name: string; families: string[]; historical_days: number }[] | null;
  budget: BudgetStatus[] | null;
}

/** Which app a developer's calls would use, read without opening any secret. */
function appInUse(
  runtime: Pick<ProviderRuntime, 'config'>,
  own: ProviderAppRow | undefined,
  provider: string,
): { source: AppSource; clientId: string; hasSecret: boolean } | undefined {
  if (own !== undefined)
    return { source: 'developer', clientId: own.client_id, hasSecret: own.client_secret_sealed !== null };
  const instance = instanceApp(runtime.config, provider);
  if (instance === undefined) return undefined;
  return { source: 'instance', clientId: instance.clientId, hasSecret: instance.clientSecret !== undefined };
}

/** The URLs a developer registers with vendors; `PUBLIC_URL` is where vendors reach this instance. */
export function providerUrls(publicUrl: string, slug: string): { callback: string; webhook: string } {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    callback: `${base}/v1/providers/${slug}/callback`,
    webhook: `${base}/api/v1/webhooks/${slug}`,
  };
}

/**
 * Every provider of the catalogue (`src/catalog/providers.ts`) as one developer sees it: whether their
 * users can connect it (`is_configured`, after spec 001's `listProviders()`), whose app is used, what
 * the vendor's module syncs, the URLs to register with the vendor, and how much of the app's request
 * budget is spent.
 *
 * @example
 * const entries = await providerCatalogue(runtime, principal.developerId);
 * entries.filter((p) => p.kind === 'oauth' && p.is_configured).map((p) => p.slug); // ['oura', 'whoop']
 */
export async function providerCatalogue(
  runtime: Pick<ProviderRuntime, 'db' | 'config' | 'rateLimiter'>,
  developerId: string,
): Promise<CatalogueEntry[]> {
  const own = new Map((await listProviderApps(runtime.db, developerId)).map((row) => [row.provider, row]));
  return Promise.all(
    PROVIDERS.map(async (provider): Promise<CatalogueEntry> => {
      const manifest = findProviderModule(provider.slug)?.manifest;
      const app =
        provider.kind === 'oauth' ? appInUse(runtime, own.get(provider.slug), provider.slug) : undefined;
      const urls = providerUrls(runtime.config.publicUrl, provider.slug);
      return {
        slug: provider.slug,
        name: provider.name,
        kind: provider.kind,
        available: provider.kind !== 'oauth' || manifest !== undefined,
        // Every OAuth vendor WearLink talks to exchanges codes with a secret (Polar too).
        is_configured: provider.kind !== 'oauth' || app?.hasSecret === true,
        app_source: app?.source ?? null,
        callback_url: manifest?.oauth !== undefined ? urls.callback : null,
        webhook_url: manifest?.webhook !== undefined ? urls.webhook : null,
        developer_portal: manifest?.developer_portal ?? null,
        historical_days: manifest?.sync.historical_days ?? null,
        capabilities: manifest?.capabilities ?? null,
        resources:
          manifest?.sync.resources.map((r) => ({
            name: r.name,
            families: [...r.families],
            historical_days: r.historical_days ?? manifest.sync.historical_days,
          })) ?? null,
        budget:
          manifest !== undefined && app !== undefined && manifest.api.budgets.length > 0
            ? await budgetStatus(runtime.rateLimiter, manifest, app.clientId)
            : null,
      };
    }),
  );
}
