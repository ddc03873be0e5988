import { loadConfig } from '../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../src/http/rate-limit.ts';
import type { ProviderRuntime } from '../../src/providers/runtime.ts';
import { createLogger } from '../../src/shared/logger.ts';

/**
 * A provider runtime without a database, whose vendor hosts all point at a local mock: what vendor
 * unit tests build the real vendor client with.
 *
 * @example const http = createVendorHttp(providerRuntimeFor('oura', mock.url), { module: ouraProvider, app });
 */
export function providerRuntimeFor(slug: string, mockUrl: string): ProviderRuntime {
  const config = loadConfig({
    WEARLINK_DATA_DIR: 'memory://',
    PROVIDER_URLS: `${slug}=${mockUrl}`,
    PROVIDER_HTTP_ATTEMPTS: '2',
    PROVIDER_HTTP_TIMEOUT_MS: '5000',
  });
  return {
    config,
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
}
