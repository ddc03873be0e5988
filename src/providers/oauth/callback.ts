import { type AuditRequest, recordAudit } from '../../audit/audit-log.ts';
import { upsertOAuthConnection } from '../../connections/connections.repo.ts';
import { oauthStateContext } from '../../crypto/contexts.ts';
import type { AppDeps } from '../../http/context.ts';
import { resolveProviderApp } from '../apps/provider-apps.repo.ts';
import { ProviderAuthError, ProviderRateLimitError } from '../errors.ts';
import { createVendorHttp, VendorUnavailableError } from '../http/vendor-client.ts';
import { findProviderModule } from '../registry.ts';
import type { ProviderModule, TokenSet, TokenSource } from '../types.ts';
import { ensureUserSubscription } from '../webhooks/subscriptions.ts';
import { OAuthFlowError, TokenRefusedError } from './errors.ts';
import { consumeOAuthState, hashState } from './oauth-states.repo.ts';
import { requestTokens } from './token-endpoint.ts';
import { sealTokens } from './token-store.ts';

export interface CallbackQuery {
  state?: string | undefined;
  code?: string | undefined;
  error?: string | undefined;
  error_description?: string | undefined;
  /** The scopes the user granted, as vendors that let users untick some report them (Strava). */
  scope?: string | undefined;
}

/**
 * The vendor sent the user's browser back: takes the state (once), exchanges the code, identifies the
 * vendor user (Polar registers them), stores the connection with sealed tokens (`connection.created`),
 * subscribes per-user vendors, starts the historical sync, and returns where to send the browser: the
 * developer's `redirect_uri` with `status=success&provider&connection_id`, or `status=error&error&detail`.
 *
 * A state that is missing, unknown (forged) or already used throws a 400 `OAuthFlowError` instead: no
 * redirect target can be trusted for it, and a replay must not act twice.
 */
export async function completeAuthorization(
  deps: AppDeps,
  input: { provider: string; query: CallbackQuery; callbackUrl: string; request?: AuditRequest },
): Promise<string> {
  const { query, provider } = input;
  if (!query.state) throw new OAuthFlowError('bad_request', 'state_missing', 'The callback carries no state');
  const stateHash = hashState(query.state);
  const taken = await consumeOAuthState(deps.db, stateHash);
  if (taken.outcome === 'unknown')
    throw new OAuthFlowError(
      'bad_request',
      'state_unknown',
      'Unknown OAuth state: start again from the authorize link',
    );
  if (taken.outcome === 'used')
    throw new OAuthFlowError(
      'bad_request',
      'state_used',
      'This OAuth state was already used: start again from the authorize link',
    );
  const state = taken.row;
  if (state.provider !== provider)
    throw new OAuthFlowError(
      'bad_request',
      'state_mismatch',
      `This OAuth state was issued for ${state.provider}, not ${provider}`,
    );
  const back = (params: Record<string, string>) => {
    const url = new URL(state.redirect_uri);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  };
  const fail = (error: string, detail: string) =>
    back({ status: 'error', provider, error, detail: detail.slice(0, 300) });
  if (taken.outcome === 'expired')
    return fail('state_expired', 'The authorization took too long; start again');
  if (query.error !== undefined) {
    // The vendor's own code (access_denied…), kept only when it looks like one.
    const code = /^[a-z0-9_.-]{1,64}$/i.test(query.error) ? query.error : 'vendor_error';
    return fail(code, query.error_description ?? `The provider answered ${code}`);
  }
  if (!query.code) return fail('missing_code', 'The provider sent neither a code nor an error');

  const module = findProviderModule(provider);
  const app = await resolveProviderApp(deps, state.developer_id, provider);
  if (module?.manifest.oauth === undefined || app === undefined)
    return fail('provider_not_configured', `${provider} is not configured for this developer`);
  const logContext = { provider, developerId: state.developer_id, userId: state.user_id };

  let tokens: TokenSet;
  let providerUserId: string | null;
  let granted: string[] | undefined;
  try {
    const verifier =
      state.code_verifier_sealed === null
        ? undefined
        : deps.secrets.open(state.code_verifier_sealed, oauthStateContext(stateHash));
    tokens = await requestTokens(deps, module, app, {
      grant_type: 'authorization_code',
      code: query.code,
      redirect_uri: input.callbackUrl,
      ...(verifier === undefined ? {} : { code_verifier: verifier }),
    });
    // A token response without `scope` (Strava's): the granted scopes the redirect reported.
    if (tokens.scope === undefined && query.scope !== undefined) tokens.scope = query.scope;
    ({ providerUserId, granted } = await identify(deps, module, app, tokens, state.user_id));
  } catch (error) {
    deps.logger.warn({ ...logContext, err: error }, 'OAuth callback failed');
    return fail(...failureOf(error));
  }

  const scopes = granted ?? tokens.scope?.split(/[ ,]+/).filter(Boolean) ?? app.scopes;
  const row = await deps.db.transaction().execute(async (trx) => {
    const stored = await upsertOAuthConnection(
      trx,
      {
        developerId: state.developer_id,
        userId: state.user_id,
        provider,
        providerUserId,
        scopes,
        tokenExpiresAt: tokens.expires_at === undefined ? null : new Date(tokens.expires_at),
      },
      (connectionId) => sealTokens(deps, connectionId, tokens),
    );
    // Every completed consent is one row: a new connection, a revoked one taken back, or an active
    // one's grant replaced (which changes what WearLink may read). The actor is the end user the
    // developer's authorize link was issued for; the tokens never enter the trail.
    await recordAudit(trx, {
      developerId: state.developer_id,
      actor: { type: 'end_user', id: state.user_id },
      action: 'connection.created',
      target: { type: 'connection', id: stored.row.id },
      ...(input.request === undefined ? {} : { request: input.request }),
      detail: {
        provider,
        user_id: state.user_id,
        via: 'oauth',
        outcome: stored.created ? 'created' : stored.reactivated ? 'reactivated' : 'reauthorized',
        scopes,
      },
    });
    return stored.row;
  });
  await ensureUserSubscription(deps, module, app, row);
  try {
    await deps.sync.requestSync(row, 'historical');
  } catch (error) {
    // The connection stands; the scheduler's next pass syncs it (its next_sync_at is now).
    deps.logger.warn({ ...logContext, err: error }, 'historical sync not started after connect');
  }
  deps.logger.info({ ...logContext, connectionId: row.id }, 'provider connected');
  return back({ status: 'success', provider, connection_id: row.id, user_id: row.user_id });
}

/** The vendor's id of the user: the module's `identify`, else what the token response carried. */
async function identify(
  deps: AppDeps,
  module: ProviderModule,
  app: NonNullable<Awaited<ReturnType<typeof resolveProviderApp>>>,
  tokens: TokenSet,
  userId: string,
): Promise<{ providerUserId: string | null; granted?: string[] | undefined }> {
  if (module.identify !== undefined) {
    // Tokens fresh from the exchange: a 401 now is a refusal, not an expiry to refresh.
    const fixed: TokenSource = {
      current: async () => tokens,
      refresh: async () => {
        throw new ProviderAuthError(`${module.manifest.name} refused the token it just issued`);
      },
    };
    const http = createVendorHttp(deps, { module, app, tokens: fixed });
    const identified = await module.identify({ http, tokens, userId });
    return { providerUserId: identified.providerUserId, granted: identified.scopes };
  }
  const extra = tokens.extra ?? {};
  const athlete = extra.athlete as { id?: unknown } | undefined;
  for (const candidate of [extra.x_user_id, extra.userid, extra.user_id, athlete?.id])
    if (typeof candidate === 'string' || typeof candidate === 'number')
      return { providerUserId: String(candidate) };
  return { providerUserId: null };
}

function failureOf(error: unknown): [string, string] {
  if (error instanceof TokenRefusedError) return ['token_refused', error.message];
  if (error instanceof ProviderAuthError) return ['identify_failed', error.message];
  if (error instanceof ProviderRateLimitError) return ['provider_rate_limited', error.message];
  if (error instanceof VendorUnavailableError) return ['provider_unavailable', error.message];
  return ['provider_error', error instanceof Error ? error.message : String(error)];
}
