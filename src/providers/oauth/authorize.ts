import { createHash, randomBytes } from 'node:crypto';
import { oauthStateContext } from '../../crypto/contexts.ts';
import { resolveEndpoint } from '../manifest.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule } from '../types.ts';
import { OAuthFlowError } from './errors.ts';
import { hashState, insertOAuthState } from './oauth-states.repo.ts';

export interface AuthorizationStart {
  authorization_url: string;
  state: string;
  expires_at: string;
}

/**
 * The vendor's consent URL for one user, with a fresh single-use `state` (32 random bytes; only its hash
 * is stored, bound to developer, user, provider and the developer's `redirect_uri`) and, when the
 * manifest asks for PKCE, an S256 challenge whose verifier is stored sealed.
 *
 * @example
 * const start = await startAuthorization(runtime, {
 *   module: ouraProvider, app, developerId, userId,
 *   redirectUri: 'https://app.example.com/connected',
 *   callbackUrl: 'https://wearlink.example.com/v1/providers/oura/callback',
 * });
 * // 302 the user's browser to start.authorization_url
 */
export async function startAuthorization(
  runtime: Pick<ProviderRuntime, 'db' | 'config' | 'secrets'>,
  input: {
    module: ProviderModule;
    app: ProviderAppCredentials;
    developerId: string;
    userId: string;
    redirectUri: string;
    callbackUrl: string;
  },
): Promise<AuthorizationStart> {
  const { manifest } = input.module;
  const oauth = manifest.oauth;
  if (oauth === undefined)
    throw new OAuthFlowError('bad_request', 'not_oauth', `${manifest.name} does not connect through OAuth`);
  checkRedirectUri(input.redirectUri);
  const state = randomBytes(32).toString('base64url');
  const stateHash = hashState(state);
  const expiresAt = new Date(Date.now() + runtime.config.OAUTH_STATE_TTL_SECONDS * 1000);
  const url = new URL(resolveEndpoint(manifest, oauth.authorize, runtime.config.PROVIDER_URLS));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.app.clientId);
  url.searchParams.set('redirect_uri', input.callbackUrl);
  url.searchParams.set('state', state);
  const scopes = input.app.scopes.length > 0 ? input.app.scopes : oauth.default_scopes;
  if (oauth.send_scope && scopes.length > 0)
    url.searchParams.set('scope', scopes.join(oauth.scope_separator));
  let verifierSealed: string | null = null;
  if (oauth.pkce) {
    const verifier = randomBytes(48).toString('base64url');
    url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    url.searchParams.set('code_challenge_method', 'S256');
    verifierSealed = runtime.secrets.seal(verifier, oauthStateContext(stateHash));
  }
  for (const [name, value] of Object.entries(oauth.extra_authorize_params)) url.searchParams.set(name, value);
  await insertOAuthState(runtime.db, {
    stateHash,
    developerId: input.developerId,
    userId: input.userId,
    provider: manifest.slug,
    redirectUri: input.redirectUri,
    codeVerifierSealed: verifierSealed,
    expiresAt,
  });
  return { authorization_url: url.toString(), state, expires_at: expiresAt.toISOString() };
}

/**
 * Where the user's browser may be sent back to: an absolute http(s) URL without credentials. Checked
 * when the flow starts, so the callback only ever redirects to a URL the developer's credential chose.
 */
export function checkRedirectUri(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthFlowError('bad_request', 'invalid_redirect_uri', 'redirect_uri must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OAuthFlowError('bad_request', 'invalid_redirect_uri', 'redirect_uri must be an http(s) URL');
  if (url.username !== '' || url.password !== '')
    throw new OAuthFlowError(
      'bad_request',
      'invalid_redirect_uri',
      'redirect_uri must not carry credentials',
    );
  if (value.length > 2000)
    throw new OAuthFlowError(
      'bad_request',
      'invalid_redirect_uri',
      'redirect_uri is longer than 2000 characters',
    );
}
