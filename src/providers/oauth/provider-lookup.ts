import { PROVIDER_SLUGS } from '../../catalog/providers.ts';
import { resolveProviderApp } from '../apps/provider-apps.repo.ts';
import { findProviderModule } from '../registry.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule } from '../types.ts';
import { type AuthorizationStart, startAuthorization } from './authorize.ts';
import { OAuthFlowError } from './errors.ts';

/**
 * A provider a developer's user can connect by OAuth: its module and the app to use. Refusals a client
 * branches on: 404 `unknown_provider`, 501 `provider_not_available` (in the catalogue, not built yet),
 * 400 `not_oauth` (SDK or built-in providers), 400 `provider_not_configured` (no app: Settings → Providers
 * or the instance's `<VENDOR>_CLIENT_ID`).
 */
export async function oauthProvider(
  runtime: Pick<ProviderRuntime, 'db' | 'config' | 'secrets'>,
  developerId: string,
  provider: string,
): Promise<{ module: ProviderModule; app: ProviderAppCredentials }> {
  const module = findProviderModule(provider);
  if (module === undefined) {
    if ((PROVIDER_SLUGS as readonly string[]).includes(provider))
      throw new OAuthFlowError(
        'not_implemented',
        'provider_not_available',
        `Connecting ${provider} is not available yet`,
      );
    throw new OAuthFlowError('not_found', 'unknown_provider', `Unknown provider "${provider}"`);
  }
  if (module.manifest.oauth === undefined)
    throw new OAuthFlowError(
      'bad_request',
      'not_oauth',
      `${module.manifest.name} does not connect through OAuth`,
    );
  const app = await resolveProviderApp(runtime, developerId, provider);
  if (app === undefined || app.clientSecret === undefined)
    throw new OAuthFlowError(
      'bad_request',
      'provider_not_configured',
      `${module.manifest.name} is not configured: add your app's client id and secret (PUT /api/v1/developer/providers/${provider})`,
    );
  return { module, app };
}

/** `oauthProvider` then `startAuthorization`: the authorize route and the hosted connect page share it. */
export async function authorizeFor(
  runtime: Pick<ProviderRuntime, 'db' | 'config' | 'secrets'>,
  input: { provider: string; developerId: string; userId: string; redirectUri: string; callbackUrl: string },
): Promise<AuthorizationStart> {
  const { module, app } = await oauthProvider(runtime, input.developerId, input.provider);
  return startAuthorization(runtime, { module, app, ...input });
}
