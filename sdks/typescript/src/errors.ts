/** One entry of a 422 body: where (`loc`, e.g. `["query", "limit"]`), what (`msg`) and a machine `type`. */
export interface FieldError {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** What went wrong, for `switch (error.kind)`; the HTTP status is on `status` too (0 when no response came). */
export type WearLinkErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'validation'
  | 'rate_limited'
  | 'server'
  | 'network'
  | 'http';

export interface WearLinkErrorInit {
  status: number;
  detail: string;
  code?: string | undefined;
  requestId?: string | undefined;
  body?: unknown;
  fieldErrors?: FieldError[] | undefined;
  retryAfter?: number | undefined;
  cause?: unknown;
}

function kindOf(status: number): WearLinkErrorKind {
  switch (status) {
    case 0:
      return 'network';
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 422:
      return 'validation';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'server' : 'http';
  }
}

/**
 * Every failed call throws a WearLinkError (or a subclass per status below): the server's `detail`, its
 * machine `code` where it sends one (e.g. `role_forbidden`, `push_only`), and the `X-Request-Id` to quote
 * when reporting a problem.
 */
export class WearLinkError extends Error {
  override readonly name: string = 'WearLinkError';
  readonly kind: WearLinkErrorKind;
  readonly status: number;
  /** The server's explanation; for a 422 the field errors joined as `loc: msg; …`. */
  readonly detail: string;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  /** The parsed response body, as sent. */
  readonly body: unknown;

  constructor(init: WearLinkErrorInit) {
    super(init.status === 0 ? init.detail : `${init.status}: ${init.detail}`, { cause: init.cause });
    this.status = init.status;
    this.kind = kindOf(init.status);
    this.detail = init.detail;
    this.code = init.code;
    this.requestId = init.requestId;
    this.body = init.body;
  }
}

export class BadRequestError extends WearLinkError {
  override readonly name = 'BadRequestError';
}
export class UnauthorizedError extends WearLinkError {
  override readonly name = 'UnauthorizedError';
}
export class ForbiddenError extends WearLinkError {
  override readonly name = 'ForbiddenError';
}
export class NotFoundError extends WearLinkError {
  override readonly name = 'NotFoundError';
}
export class ConflictError extends WearLinkError {
  override readonly name = 'ConflictError';
}
/** 422: `fieldErrors` says which inputs were refused. */
export class ValidationError extends WearLinkError {
  override readonly name = 'ValidationError';
  readonly fieldErrors: FieldError[];
  constructor(init: WearLinkErrorInit) {
    super(init);
    this.fieldErrors = init.fieldErrors ?? [];
  }
}
/** 429: wait `retryAfter` seconds (from the Retry-After header) before trying again. */
export class RateLimitError extends WearLinkError {
  override readonly name = 'RateLimitError';
  readonly retryAfter: number | undefined;
  constructor(init: WearLinkErrorInit) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}
/** No HTTP answer at all: the server could not be reached, or the connection broke (status 0). */
export class ConnectionError extends WearLinkError {
  override readonly name = 'ConnectionError';
}

function isFieldErrors(value: unknown): value is FieldError[] {
  return (
    Array.isArray(value) &&
    value.every((e) => typeof e === 'object' && e !== null && 'msg' in e && Array.isArray(e.loc))
  );
}

/** The typed error for a non-2xx response whose body has already been read (`text`). */
export function errorFromResponse(response: Response, text: string): WearLinkError {
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const raw = typeof body === 'object' && body !== null ? (body as { detail?: unknown; code?: unknown }) : {};
  const fieldErrors = isFieldErrors(raw.detail) ? raw.detail : undefined;
  const detail =
    typeof raw.detail === 'string'
      ? raw.detail
      : fieldErrors !== undefined
        ? fieldErrors.map((e) => `${e.loc.join('.')}: ${e.msg}`).join('; ')
        : text || response.statusText || `HTTP ${response.status}`;
  const retryHeader = response.headers.get('retry-after');
  const retryAfter =
    retryHeader !== null && /^\d+$/.test(retryHeader.trim()) ? Number(retryHeader) : undefined;
  const init: WearLinkErrorInit = {
    status: response.status,
    detail,
    code: typeof raw.code === 'string' ? raw.code : undefined,
    requestId: response.headers.get('x-request-id') ?? undefined,
    body,
    fieldErrors,
    retryAfter,
  };
  switch (response.status) {
    case 400:
      return new BadRequestError(init);
    case 401:
      return new UnauthorizedError(init);
    case 403:
      return new ForbiddenError(init);
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError(init);
    case 422:
      return new ValidationError(init);
    case 429:
      return new RateLimitError(init);
    default:
      return new WearLinkError(init);
  }
}
