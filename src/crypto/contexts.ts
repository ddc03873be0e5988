/**
 * The context of every sealed column: `SecretBox` authenticates it with the value, so a sealed value
 * copied to another row (or another column) does not open. Every writer and reader of a column uses the
 * builder here, and `wearlink secrets rotate` (./reseal.ts) re-seals each column with the same one.
 *
 * @example
 * const sealed = runtime.secrets.seal(JSON.stringify(tokens), connectionTokensContext(connection.id));
 * const app = runtime.secrets.open(row.client_secret_sealed, providerAppContext(devId, 'oura', 'client_secret'));
 */

/** `connections.tokens_sealed`: the connection's OAuth token set. */
export function connectionTokensContext(connectionId: string): string {
  return `connection:${connectionId}:tokens`;
}

/** `provider_apps.client_secret_sealed` / `webhook_secret_sealed` of one developer's app for a vendor. */
export function providerAppContext(
  developerId: string,
  provider: string,
  secret: 'client_secret' | 'webhook_secret',
): string {
  return `provider_app:${developerId}:${provider}:${secret}`;
}

/** `oauth_states.code_verifier_sealed`: the PKCE verifier of an authorize in flight (keyed by the state's hash). */
export function oauthStateContext(stateHash: string): string {
  return `oauth_state:${stateHash}`;
}

/**
 * `provider_subscriptions.details.webhook_secret_sealed`: a signing secret a vendor issued for one of
 * WearLink's subscriptions (Polar's `signature_secret_key`).
 */
export function providerSubscriptionContext(subscriptionId: string): string {
  return `provider_subscription:${subscriptionId}:webhook_secret`;
}

/** `webhook_endpoints.secret` / `previous_secret`: an outgoing endpoint's `whsec_…` signing secrets. */
export function webhookEndpointContext(endpointId: string, column: 'secret' | 'previous_secret'): string {
  return `webhook_endpoint:${endpointId}:${column}`;
}

/** `encryption_canary.sealed`: the value a start opens to prove ENCRYPTION_KEY is the data's key. */
export const CANARY_CONTEXT = 'encryption_canary';
