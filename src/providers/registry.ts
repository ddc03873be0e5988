import { fitbitProvider } from './fitbit/index.ts';
import { garminProvider } from './garmin/index.ts';
import { ouraProvider } from './oura/index.ts';
import { polarProvider } from './polar/index.ts';
import { sandboxProvider } from './sandbox/sandbox-provider.ts';
import { stravaProvider } from './strava/index.ts';
import type { ProviderModule } from './types.ts';
import { whoopProvider } from './whoop/index.ts';
import { withingsProvider } from './withings/index.ts';

/**
 * Every provider WearLink can pull from, by slug. A vendor joins by adding its folder's module here;
 * nothing generic imports a vendor folder (or the sandbox) directly.
 */
const modules: ProviderModule[] = [
  sandboxProvider,
  stravaProvider,
  ouraProvider,
  whoopProvider,
  polarProvider,
  withingsProvider,
  garminProvider,
  fitbitProvider,
];

const registry = new Map<string, ProviderModule>(modules.map((m) => [m.manifest.slug, m]));
export const providerModules: ReadonlyMap<string, ProviderModule> = registry;

/** The module of a slug, or undefined for SDK providers and unknown slugs. */
export function findProviderModule(slug: string): ProviderModule | undefined {
  return providerModules.get(slug);
}

/**
 * Tests only: registers modules (a test vendor pointing at a local mock) for the rest of this process,
 * replacing any of the same slug; the returned function puts the registry back. Production code never
 * calls it: the registry is the `modules` list above.
 *
 * @example
 * const restore = withProviderModules([testVendor]);
 * afterAll(restore);
 */
export function withProviderModules(extra: readonly ProviderModule[]): () => void {
  const previous = extra.map((m) => [m.manifest.slug, registry.get(m.manifest.slug)] as const);
  for (const m of extra) registry.set(m.manifest.slug, m);
  return () => {
    for (const [slug, module] of previous.reverse())
      if (module === undefined) registry.delete(slug);
      else registry.set(slug, module);
  };
}
