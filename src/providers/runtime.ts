import type { AppDeps } from '../http/context.ts';

/** What the provider platform's services need from a WearLink process (API node or worker alike). */
export type ProviderRuntime = Pick<AppDeps, 'db' | 'config' | 'logger' | 'rateLimiter' | 'secrets'>;
