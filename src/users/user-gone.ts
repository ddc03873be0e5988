import { NotFoundError } from '../shared/errors.ts';

/**
 * A write for a user who is deleted or being deleted (`users.deleted_at` set, or the row gone): the
 * write path refuses it, so nothing lands after a deletion has started. Clients see the 404 any lookup
 * of that user gives; jobs (syncs, imports) take it as "stop", not as a failure worth retrying.
 */
export class UserGoneError extends NotFoundError {
  override readonly code = 'user_deleted';
  constructor(readonly userId: string) {
    super('User not found');
  }
}

export const isUserGone = (error: unknown): error is UserGoneError => error instanceof UserGoneError;
