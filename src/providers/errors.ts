/**
 * The outside world's expected failures, as the sync engine and the OAuth flow branch on them. Vendor
 * modules and the vendor HTTP client raise these; the engine maps each to a run outcome in one place.
 */

/** The vendor (or WearLink's shared budget for it) said wait: the job is rescheduled, never slept through. */
export class ProviderRateLimitError extends Error {
  override name = 'ProviderRateLimitError';
  constructor(
    readonly retryAfterSeconds: number,
    detail = 'Provider rate limit',
  ) {
    super(`${detail}; retry after ${retryAfterSeconds} s`);
  }
}

/** The vendor refused our credentials (a refresh refused, 401 after a refresh): the user must reconnect. */
export class ProviderAuthError extends Error {
  override name = 'ProviderAuthError';
}

/**
 * The vendor answered something we cannot use: malformed JSON, an unexpected 4xx, a body that does not
 * have the documented shape. Retrying does not help; the run fails with this message.
 */
export class ProviderResponseError extends Error {
  override name = 'ProviderResponseError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
