import { z } from '@hono/zod-openapi';

/** `{detail}`: the one error body; validation errors carry a list of field errors instead of a string. */
export const ErrorSchema = z
  .object({
    detail: z.union([
      z.string(),
      z.array(
        z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
      ),
    ]),
    code: z.string().optional().openapi({
      description: 'A stable reason, on refusals a client must tell apart (e.g. `registration_closed`)',
    }),
  })
  .openapi('Error');

const errorBody = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorSchema } },
});

export const errorResponses = {
  400: errorBody('Business rule violated or malformed body'),
  401: errorBody('Missing, invalid, expired or revoked credentials'),
  403: errorBody('Credential not allowed for this route'),
  404: errorBody('Not found (or owned by another developer)'),
  409: errorBody('Duplicate resource'),
  413: errorBody('Body too large'),
  415: errorBody('Unsupported media type'),
  422: errorBody('Validation error'),
  429: errorBody('Rate limited; see Retry-After'),
} as const;

export function pickErrors<K extends keyof typeof errorResponses>(
  ...codes: K[]
): Pick<typeof errorResponses, K> {
  return Object.fromEntries(codes.map((code) => [code, errorResponses[code]])) as Pick<
    typeof errorResponses,
    K
  >;
}

export const security = {
  developer: [{ ApiKey: [] }, { ApiKeyAlt: [] }, { Bearer: [] }],
  developerOrSdk: [{ ApiKey: [] }, { ApiKeyAlt: [] }, { Bearer: [] }],
  session: [{ Bearer: [] }, { ApiKey: [] }, { ApiKeyAlt: [] }],
};

export const UuidParam = (name: string) =>
  z
    .uuid({ error: `${name} must be a UUID` })
    .openapi({ param: { name, in: 'path' }, example: '550e8400-e29b-41d4-a716-446655440000' });

/**
 * A user id arriving in a query or a body: canonical lowercase, as in paths (canonicalPath) and as
 * WearLink compares ids as strings (event channels, SDK token subjects).
 */
export const UserIdField = z.uuid({ error: 'user_id must be a UUID' }).overwrite((id) => id.toLowerCase());

export const Timestamp = z.iso.datetime({ offset: true }).openapi({ example: '2026-04-23T10:00:00Z' });

/** Default body cap for JSON routes; bulk ingest routes set their own. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
