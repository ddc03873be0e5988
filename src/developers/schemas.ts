import { z } from '@hono/zod-openapi';

export const RegisterBody = z
  .strictObject({
    email: z.email().max(254),
    password: z.string().min(8, 'Password must be at least 8 characters').max(256),
    name: z.string().trim().min(1).max(200),
    /** From POST /developer/invites: admits this email where REGISTRATION_MODE refuses self-service. */
    invite_token: z.string().min(1).max(4096).optional(),
  })
  .openapi('RegisterRequest');

export const LoginForm = z
  .object({ username: z.email().max(254), password: z.string().min(1).max(256) })
  .openapi('LoginForm');

export const AccessToken = z
  .object({ access_token: z.string(), token_type: z.literal('bearer'), expires_in: z.number().int() })
  .openapi('AccessToken');

export const Developer = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    plan: z.string(),
    organization: z.string().nullable(),
    email_verified: z
      .boolean()
      .openapi({ description: 'Whether the address was confirmed by the mailed link' }),
    email_verified_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Developer');

export const UpdateProfileBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    organization: z.string().trim().min(1).max(200).nullable().optional(),
  })
  .openapi('UpdateProfileRequest');

export const VerifyEmailQuery = z.object({
  token: z
    .string()
    .min(1)
    .max(512)
    .openapi({ param: { name: 'token', in: 'query' }, description: 'The token of the mailed link' }),
});

export const VerifyEmailResult = z
  .object({ id: z.uuid(), email: z.string(), email_verified_at: z.string() })
  .openapi('EmailVerified');

export const VerificationResent = z
  .object({
    email: z.string(),
    already_verified: z.boolean(),
    emailed: z.boolean().openapi({
      description:
        'Sent by mail (false: no SMTP on this instance, the link was logged for the operator, or the server refused it)',
    }),
  })
  .openapi('VerificationResent');

export const ApiKeyWithSecret = z
  .object({
    id: z.uuid(),
    name: z.string(),
    key: z.string().openapi({ description: 'The full key. Shown once: store it now.' }),
    prefix: z.string(),
    created_at: z.string(),
  })
  .openapi('ApiKeyCreated');

export const ApiKeySummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the key, to tell keys apart.' }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
  })
  .openapi('ApiKey');

export const RegisterResponse = Developer.extend({ api_key: ApiKeyWithSecret }).openapi('RegisterResponse');

export const CreateApiKeyBody = z
  .strictObject({ name: z.string().trim().min(1).max(100).default('Default') })
  .openapi('CreateApiKeyRequest');
