import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { type AppError, AppError as AppErrorBase, assertNever, type FieldError } from '../shared/errors.ts';
import type { AppEnv } from './context.ts';

function statusOf(error: AppError): ContentfulStatusCode {
  switch (error.kind) {
    case 'bad_request':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'validation':
      return 422;
    case 'rate_limited':
      return 429;
    case 'not_implemented':
      return 501;
    case 'unavailable':
      return 503;
    default:
      return assertNever(error.kind, 'error kind');
  }
}

/** Zod issues in the `{loc, msg, type}` shape of the error contract; `loc` starts with where the input was. */
export function fieldErrors(target: string, error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    loc: [target, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    msg: issue.message,
    type: issue.code,
  }));
}

const validationTargetNames: Record<string, string> = {
  json: 'body',
  form: 'body',
  param: 'path',
  query: 'query',
};

export function validationResponse(c: Context, target: string, error: ZodError): Response {
  return c.json({ detail: fieldErrors(validationTargetNames[target] ?? target, error) }, 422);
}

export function errorResponse(error: unknown, c: Context<AppEnv>): Response {
  if (error instanceof AppErrorBase) {
    const status = statusOf(error);
    if (error.kind === 'validation' && 'errors' in error) return c.json({ detail: error.errors }, status);
    // The rest of an oversized body is never read: tell the client not to reuse this connection.
    if (error.kind === 'payload_too_large') c.header('Connection', 'close');
    if (error.kind === 'rate_limited' && 'retryAfterSeconds' in error) {
      c.header('Retry-After', String(error.retryAfterSeconds));
    }
    return c.json(
      error.code === undefined ? { detail: error.message } : { detail: error.message, code: error.code },
      status,
    );
  }
  if (error instanceof HTTPException) {
    // Hono's own parsing failures (malformed JSON, body limit, unsupported media type).
    const status = error.status as ContentfulStatusCode;
    const message =
      status === 400 && /json/i.test(error.message) ? `Malformed JSON in request body` : error.message;
    return c.json({ detail: message || 'Bad request' }, status);
  }
  c.var.logger?.error({ err: error }, 'unhandled error');
  return c.json({ detail: 'Internal server error' }, 500);
}
