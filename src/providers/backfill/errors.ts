/**
 * A push vendor (Garmin) sends its data itself: there is nothing to pull incrementally, and a
 * historical sync is a vendor backfill. The sync routes answer it 409 `{detail, code: 'push_only'}`.
 */
export class PushOnlyError extends Error {
  override name = 'PushOnlyError';
  constructor(providerName: string) {
    super(
      `${providerName} pushes its data to WearLink; it cannot be pulled. Ask for its history with a historical sync (a backfill).`,
    );
  }
}
