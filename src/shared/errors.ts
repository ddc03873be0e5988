/**
 * Errors that carry an HTTP meaning. Domain code throws these; `src/http/error-handler.ts` is the one
 * place that turns them (and everything else) into responses.
 */
export abstract class AppError extends Error {
  abstract readonly kind: AppErrorKind;
  /** A stable machine-readable reason, sent as `code` next to `detail` where a client must tell refusals apart. */
  readonly code?: string;
}

export type AppErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation'
  | 'rate_limited'
  | 'not_implemented'
  | 'unavailable';

export class BadRequestError extends AppError {
  readonly kind = 'bad_request';
}
export class UnauthorizedError extends AppError {
  readonly kind = 'unauthorized';
}
export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
}
export class NotFoundError extends AppError {
  readonly kind = 'not_found';
}
export class ConflictError extends AppError {
  readonly kind = 'conflict';
}
export class PayloadTooLargeError extends AppError {
  readonly kind = 'payload_too_large';
}
export class UnsupportedMediaTypeError extends AppError {
  readonly kind = 'unsupported_media_type';
}
export class NotImplementedError extends AppError {
  readonly kind = 'not_implemented';
}
export class ServiceUnavailableError extends AppError {
  readonly kind = 'unavailable';
}

export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

export class ValidationError extends AppError {
  readonly kind = 'validation';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; '));
  }
}

export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests. Please wait ${retryAfterSeconds} seconds and try again.`);
  }
}

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}
