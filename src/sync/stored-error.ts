/**
 * What may be written about a failure into a run row or a queue job (both jsonb / text columns).
 *
 * A raw driver error carries the failed statement's parameters (user data, credentials), a stack and
 * driver internals; and any string may hold a NUL or a lone surrogate, which PostgreSQL's text and jsonb
 * refuse: the write of the failure then fails too (on PGlite, pg-boss's unawaited write of such an error
 * was an unhandled rejection that ended the embedded server). Everything that stores a failure goes
 * through here: `{code, message}` with clean strings, nothing else of the error object.
 */
export interface StoredError {
  code: string;
  message: string;
}

/** Longest message kept: enough for any driver or provider message, not a whole payload echoed back. */
export const STORED_MESSAGE_MAX_CHARS = 2000;
/** A code is an identifier (`INTERNAL_ERROR`, a SQLSTATE like `22021`), never free text. */
const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

// NUL, and surrogate halves that are not part of a pair.
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with what PostgreSQL text/jsonb refuses replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}…`;
}

/** `{code, message}` of anything thrown: `fallbackCode` unless the error has an identifier-like code. */
export function toStoredError(error: unknown, fallbackCode = 'INTERNAL_ERROR'): StoredError {
  const raw =
    typeof error === 'object' && error !== null
      ? (error as { code?: unknown; message?: unknown })
      : { message: error };
  const code = typeof raw.code === 'string' && CODE.test(raw.code) ? raw.code : fallbackCode;
  const message =
    typeof raw.message === 'string' && raw.message !== '' ? raw.message : String(raw.message ?? 'Error');
  return { code, message: truncate(storableText(message), STORED_MESSAGE_MAX_CHARS) };
}

/** Depth past which a stored value is cut off: results and errors are small, shallow documents. */
const MAX_DEPTH = 8;

/**
 * A copy of a JSON-bound value (a run's result or error) that jsonb accepts: strings (keys too) made
 * storable, non-finite numbers as null, Error objects (anywhere) reduced to `{code, message}`, and
 * nothing deeper than MAX_DEPTH.
 */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'object') return undefined; // functions, symbols, undefined: dropped, as JSON does
  if (value instanceof Error) return toStoredError(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => storableJson(item, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const stored = storableJson(item, depth + 1);
    if (stored !== undefined) out[storableText(key)] = stored;
  }
  return out;
}

/**
 * A run's `error`: the caller's `{code, message, …details}` made storable, or `{code, message}` of a
 * thrown value.
 */
export function storableRunError(error: unknown): Record<string, unknown> {
  if (error instanceof Error || typeof error !== 'object' || error === null)
    return { ...toStoredError(error) };
  const stored = storableJson(error) as Record<string, unknown>;
  const { code, message } = toStoredError(error);
  return { ...stored, code, message };
}
