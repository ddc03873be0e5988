import { loadConfig } from '../../../src/config/load-config.ts';
import { MemoryRateLimiter } from '../../../src/http/rate-limit.ts';
import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import { createLogger } from '../../../src/shared/logger.ts';

/** The app and the provider runtime the Oura tests call the local Oura mock with (no database needed). */
export const DAY = 86_400_000;
export const app = {
  developerId: null,
  clientId: 'oura-cid',
  clientSecret: 'oura-secret',
  webhookSecret: 'vt-1',
  scopes: [],
};

export function runtimeFor(ouraUrl: string): ProviderRuntime {
  const config = loadConfig({
    WEARLINK_DATA_DIR: 'memory://',
    PROVIDER_URLS: `oura=${ouraUrl}`,
    PROVIDER_HTTP_ATTEMPTS: '2',
    PROVIDER_HTTP_TIMEOUT_MS: '5000',
  });
  return {
    config,
    logger: createLogger('silent'),
    rateLimiter: new MemoryRateLimiter(),
  } as unknown as ProviderRuntime;
}
