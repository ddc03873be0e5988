import type { ProviderModule } from './types.ts';

/**
 * Every provider WearLink can pull from, by slug. A vendor joins by adding its folder's module here;
 * nothing generic imports a vendor folder (or the sandbox) directly.
 */
const modules: ProviderModule[] = [];

export const providerModules: ReadonlyMap<string, ProviderModule> = new Map(
  modules.map((m) => [m.manifest.slug, m]),
);

/** The module of a slug, or undefined for SDK providers and unknown slugs. */
export function findProviderModule(slug: string): ProviderModule | undefined {
  return providerModules.get(slug);
}
