import type { ProviderRuntime } from '../../../src/providers/runtime.ts';
import { providerRuntimeFor } from '../../support/provider-runtime.ts';

/** The app and the provider runtime the Oura tests call the local Oura mock with (no database needed). */
export const DAY = 86_400_000;
export const app = {
  developerId: null,
  clientId: 'oura-cid',
  clientSecret: 'oura-secret',
  webhookSecret: 'vt-1',
  scopes: [],
};

export const runtimeFor = (url: string): ProviderRuntime => providerRuntimeFor('oura', url);
