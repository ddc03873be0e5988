import { z } from '@hono/zod-openapi';

const name = z.string().trim().min(1).max(100).nullable();

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const UserFieldsBody = z.strictObject({
  first_name: name.optional(),
  last_name: name.optional(),
  email: z.email().max(254).nullable().optional(),
  external_id: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .nullable()
    .optional()
    .openapi({ description: 'Your own identifier for this user; unique within your account' }),
  timezone: z
    .string()
    .max(64)
    .refine(isIanaZone, { message: 'must be an IANA time zone such as Europe/Berlin' })
    .nullable()
    .optional()
    .openapi({
      description: "IANA zone for data that arrives without a UTC offset; used to cut the user's local days",
    }),
});

export const CreateUserBody = UserFieldsBody.openapi('CreateUserRequest');
export const UpdateUserBody = UserFieldsBody.refine((body) => Object.keys(body).length > 0, {
  message: 'Send at least one of first_name, last_name, email, external_id, timezone',
}).openapi('UpdateUserRequest');

export const User = z
  .object({
    id: z.uuid(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    email: z.string().nullable(),
    external_id: z.string().nullable(),
    timezone: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('User');

export const ListUsersQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  search: z.string().trim().max(200).optional(),
  q: z.string().trim().max(200).optional().openapi({
    description:
      'Search: part of the name (first, last or "first last"), email or external_id, case-insensitive (same as search)',
  }),
  sort_by: z.enum(['created_at', 'updated_at', 'email', 'first_name', 'last_name']).default('created_at'),
  sort_order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().max(200).optional().openapi({ description: 'next_cursor from the previous page' }),
});

export const Pagination = z
  .object({
    next_cursor: z.string().nullable(),
    has_more: z.boolean(),
    total_count: z.number().int(),
  })
  .openapi('Pagination');

export const UserList = z
  .object({
    data: z.array(User),
    pagination: Pagination.extend({ page: z.number().int(), limit: z.number().int() }),
  })
  .openapi('UserList');

export const UserIdParams = z.object({
  user_id: z.uuid({ error: 'user_id must be a UUID' }).openapi({ param: { name: 'user_id', in: 'path' } }),
});
