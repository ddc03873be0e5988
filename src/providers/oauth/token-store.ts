import {
  findConnectionById,
  lockConnection,
  markReauthRequired,
  writeConnectionTokens,
} from '../../connections/connection-tokens.repo.ts';
import { connectionTokensContext } from '../../crypto/contexts.ts';
import type { Db } from '../../db/database.ts';
import type { ConnectionRow } from '../../db/schema.ts';
import { ProviderAuthError } from '../errors.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials, ProviderModule, TokenSet, TokenSource } from '../types.ts';
import { TokenRefusedError } from './errors.ts';
import { requestTokens } from './token-endpoint.ts';

/** An access token this close to its expiry is refreshed before use rather than sent to fail. */
export const REFRESH_MARGIN_MS = 2 * 60_000;

/** The connection's token set, opened; undefined when it has none (revoked, `reauth_required`, sandbox). */
export function readTokens(
  runtime: Pick<ProviderRuntime, 'secrets'>,
  connection: ConnectionRow,
): TokenSet | undefined {
  if (connection.tokens_sealed === null) return undefined;
  return JSON.parse(
    runtime.secrets.open(connection.tokens_sealed, connectionTokensContext(connection.id)),
  ) as TokenSet;
}

/** The sealed text of a token set for one connection's row. */
export function sealTokens(
  runtime: Pick<ProviderRuntime, 'secrets'>,
  connectionId: string,
  tokens: TokenSet,
): string {
  return runtime.secrets.seal(JSON.stringify(tokens), connectionTokensContext(connectionId));
}

/** Stores a connection's tokens (sealed) and their expiry; `db` may be the caller's transaction. */
export async function storeTokens(
  runtime: Pick<ProviderRuntime, 'secrets'>,
  db: Db,
  connectionId: string,
  tokens: TokenSet,
): Promise<void> {
  const expiresAt = tokens.expires_at === undefined ? null : new Date(tokens.expires_at);
  await writeConnectionTokens(db, connectionId, sealTokens(runtime, connectionId, tokens), expiresAt);
}

const expiring = (tokens: TokenSet, now = Date.now()) =>
  tokens.expires_at !== undefined && tokens.expires_at - now < REFRESH_MARGIN_MS;

/**
 * Where the vendor client gets one connection's tokens. A refresh runs at most once per connection at a
 * time across every worker and node: it happens inside a transaction holding the connection's row lock
 * (`SELECT … FOR UPDATE`), re-reads the tokens under it and refreshes only if they are still the stale
 * (or expiring) ones, stores the new set and commits before anyone uses it. Vendors that rotate refresh
 * tokens kill the grant when two refreshes race, which this rules out.
 *
 * A refusal (400 `invalid_grant`, 401, Withings' auth statuses) marks the connection `reauth_required`
 * and emits `connection.revoked` in the same transaction, then throws `ProviderAuthError`. A network
 * error or 5xx throws `VendorUnavailableError` and a 429 `ProviderRateLimitError`: retried later, the
 * connection untouched.
 *
 * @example
 * const tokens = connectionTokenSource(runtime, ouraProvider, app, connection.id);
 * const http = createVendorHttp(runtime, { module: ouraProvider, app, tokens });
 */
export function connectionTokenSource(
  runtime: ProviderRuntime,
  module: ProviderModule,
  app: ProviderAppCredentials,
  connectionId: string,
): TokenSource {
  const refreshUnlessReplaced = async (stale: string | undefined): Promise<TokenSet> => {
    let refused: ProviderAuthError | undefined;
    const fresh = await runtime.db.transaction().execute(async (trx) => {
      const row = await lockConnection(trx, connectionId);
      const current = row === undefined ? undefined : usable(row);
      if (row === undefined || current === undefined) return undefined;
      // Another worker refreshed while this one waited for the lock: its tokens are the answer.
      if ((stale === undefined || current.access_token !== stale) && !expiring(current)) return current;
      if (current.refresh_token === undefined || module.manifest.oauth?.refresh === 'none') {
        refused = new ProviderAuthError(
          `${module.manifest.name} access token expired and cannot be refreshed`,
        );
        await markReauthRequired(trx, connectionId, 'token_expired');
        return undefined;
      }
      try {
        const tokens = await requestTokens(
          runtime,
          module,
          app,
          {
            grant_type: 'refresh_token',
            refresh_token: current.refresh_token,
            ...module.manifest.oauth?.extra_refresh_params,
          },
          current,
        );
        await storeTokens(runtime, trx, connectionId, tokens);
        runtime.logger.debug({ connectionId, provider: module.manifest.slug }, 'access token refreshed');
        return tokens;
      } catch (error) {
        if (!(error instanceof TokenRefusedError)) throw error;
        refused = error;
        await markReauthRequired(trx, connectionId, error.oauthError ?? 'refresh_refused');
        return undefined;
      }
    });
    if (refused !== undefined) {
      runtime.logger.warn(
        { connectionId, provider: module.manifest.slug, err: refused },
        'refresh refused: connection needs re-authorization',
      );
      throw refused;
    }
    if (fresh === undefined)
      throw new ProviderAuthError(
        `${module.manifest.name} connection has no credentials (revoked or awaiting re-authorization)`,
      );
    return fresh;
  };

  function usable(row: ConnectionRow): TokenSet | undefined {
    if (row.status !== 'active') return undefined;
    return readTokens(runtime, row);
  }

  return {
    async current() {
      const row = await findConnectionById(runtime.db, connectionId);
      const tokens = row === undefined ? undefined : usable(row);
      if (tokens === undefined)
        throw new ProviderAuthError(
          `${module.manifest.name} connection has no credentials (revoked or awaiting re-authorization)`,
        );
      return expiring(tokens) ? refreshUnlessReplaced(tokens.access_token) : tokens;
    },
    refresh: (staleAccessToken) => refreshUnlessReplaced(staleAccessToken),
  };
}
