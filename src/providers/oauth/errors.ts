import { AppError, type AppErrorKind } from '../../shared/errors.ts';
import { ProviderAuthError } from '../errors.ts';

/**
 * A refusal of the OAuth flow a client branches on: `{detail, code}` with the status of `kind`
 * (e.g. 404 `unknown_provider`, 400 `state_used`, 409 `provider_not_configured`).
 */
export class OAuthFlowError extends AppError {
  constructor(
    readonly kind: AppErrorKind,
    override readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The vendor's token endpoint refused the grant (400 `invalid_grant`, 401 `invalid_client`, Withings'
 * non-zero status): the code or refresh token is dead, the user must connect again.
 */
export class TokenRefusedError extends ProviderAuthError {
  override name = 'TokenRefusedError';
  constructor(
    message: string,
    /** The vendor's `error` (e.g. `invalid_grant`), when it named one. */
    readonly oauthError: string | undefined,
  ) {
    super(message);
  }
}
