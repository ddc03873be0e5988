import { z } from '@hono/zod-openapi';
import type { Selectable } from 'kysely';
import type { NutritionItemsTable, NutritionLogsTable } from '../db/schema.ts';
import { boundedDate, boundedTimestamp } from '../health-data/date-range.ts';

export type LogRow = Selectable<NutritionLogsTable>;
export type ItemRow = Selectable<NutritionItemsTable>;

export const MEAL_TYPES = ['breakfast', 'lunch', 'dinner', 'snack', 'other'] as const;
export const MealType = z.enum(MEAL_TYPES, { error: `meal_type must be one of ${MEAL_TYPES.join(', ')}` });

/** The seven macros every item carries (null: unknown). */
export const MACRO_FIELDS = [
  'calories_kcal',
  'protein_g',
  'carbs_g',
  'fat_g',
  'fiber_g',
  'sugar_g',
  'sodium_mg',
] as const;
export type MacroField = (typeof MACRO_FIELDS)[number];

export const USER_ID_DESCRIPTION =
  "The user the log belongs to; an SDK token may only name its own user, another developer's user is a 404.";

/** `?user_id=`: fenced by the routes' authentication before this schema sees it (canonical, yours). */
export const UserIdQuery = z.object({
  user_id: z
    .uuid({ error: 'user_id must be a UUID' })
    .openapi({ param: { name: 'user_id', in: 'query' }, description: USER_ID_DESCRIPTION }),
});

export const LogIdParams = z.object({
  log_id: z.uuid({ error: 'log_id must be a UUID' }).openapi({ param: { name: 'log_id', in: 'path' } }),
});
export const ItemParams = LogIdParams.extend({
  item_id: z.uuid({ error: 'item_id must be a UUID' }).openapi({ param: { name: 'item_id', in: 'path' } }),
});

const grams = z.number().positive().max(100_000);
const macro = z.number().min(0).max(100_000);
const dishName = z.string().trim().min(1).max(200);

export const NutritionItem = z
  .object({
    id: z.uuid(),
    dish_name: z.string(),
    quantity_grams: z.number().nullable(),
    quantity_uncertainty: z.number().nullable(),
    confidence: z.number().nullable(),
    calories_kcal: z.number().nullable(),
    protein_g: z.number().nullable(),
    carbs_g: z.number().nullable(),
    fat_g: z.number().nullable(),
    fiber_g: z.number().nullable(),
    sugar_g: z.number().nullable(),
    sodium_mg: z.number().nullable(),
    food_db_source: z.string().nullable(),
    food_db_id: z.string().nullable(),
    is_corrected: z.boolean(),
  })
  .openapi('NutritionItem');

export const NutritionLog = z
  .object({
    id: z.uuid(),
    user_id: z.uuid(),
    detected_at: z.string(),
    meal_type: MealType,
    status: z.enum(['pending', 'recognized', 'manual', 'failed', 'discarded']),
    confidence_score: z.number().nullable(),
    vision_model: z.string().nullable(),
    human_reviewed: z.boolean(),
    note: z.string().nullable(),
    has_image: z.boolean(),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    total_kcal: z.number().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    items: z.array(NutritionItem).openapi({ description: 'Empty while the log is pending' }),
  })
  .openapi('NutritionLog');

export const NutritionLogList = z
  .object({
    data: z.array(NutritionLog),
    pagination: z.object({
      next_cursor: z.string().nullable(),
      has_more: z.boolean(),
      total_count: z.number().int(),
    }),
  })
  .openapi('NutritionLogList');

export const ImageAccepted = z
  .object({ job_id: z.string(), log_id: z.uuid(), status: z.literal('pending') })
  .openapi('NutritionImageAccepted');

const ManualItem = z
  .strictObject({
    dish_name: dishName,
    quantity_grams: grams.optional(),
    calories_kcal: macro.optional(),
    protein_g: macro.optional(),
    carbs_g: macro.optional(),
    fat_g: macro.optional(),
    fiber_g: macro.optional(),
    sugar_g: macro.optional(),
    sodium_mg: macro.optional(),
  })
  .openapi('NutritionManualItem', {
    description:
      'Macros as given; an item with no macro at all is looked up in the food database by dish_name, scaled to quantity_grams (or the dish’s typical portion).',
  });

export const ManualLogBody = z
  .strictObject({
    meal_type: MealType.default('other'),
    detected_at: boundedTimestamp.optional().openapi({ description: 'When the meal was eaten; default now' }),
    note: z.string().max(1000).optional(),
    items: z.array(ManualItem).min(1).max(50),
  })
  .openapi('NutritionManualLog');

export const ItemCorrectionBody = z
  .strictObject({
    dish_name: dishName.optional(),
    quantity_grams: grams.optional(),
    calories_kcal: macro.optional(),
    protein_g: macro.optional(),
    carbs_g: macro.optional(),
    fat_g: macro.optional(),
    fiber_g: macro.optional(),
    sugar_g: macro.optional(),
    sodium_mg: macro.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'Send at least one field to correct' })
  .openapi('NutritionItemCorrection', {
    description: 'Fields sent replace the stored ones (macros are not rescaled when only grams change).',
  });

export const ListLogsQuery = UserIdQuery.extend({
  date_from: boundedDate.optional().openapi({ description: "First local day (the user's time zone)" }),
  date_to: boundedDate.optional().openapi({ description: 'Last local day, inclusive' }),
  meal_type: MealType.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().openapi({ description: 'next_cursor from the previous page' }),
});

export const NutritionSummary = z
  .object({
    user_id: z.uuid(),
    days: z.array(
      z.object({
        date: z.string(),
        log_count: z.number().int(),
        calories_kcal: z.number(),
        protein_g: z.number(),
        carbs_g: z.number(),
        fat_g: z.number(),
        fiber_g: z.number(),
        sugar_g: z.number(),
        sodium_mg: z.number(),
      }),
    ),
  })
  .openapi('NutritionSummary');

const round1 = (v: number) => Math.round(v * 10) / 10;

export function totalKcal(items: readonly ItemRow[]): number | null {
  const known = items.filter((i) => i.calories_kcal !== null);
  return known.length === 0 ? null : round1(known.reduce((sum, i) => sum + (i.calories_kcal ?? 0), 0));
}

export function toItemJson(row: ItemRow): z.infer<typeof NutritionItem> {
  return {
    id: row.id,
    dish_name: row.dish_name,
    quantity_grams: row.quantity_grams,
    quantity_uncertainty: row.quantity_uncertainty,
    confidence: row.confidence,
    calories_kcal: row.calories_kcal,
    protein_g: row.protein_g,
    carbs_g: row.carbs_g,
    fat_g: row.fat_g,
    fiber_g: row.fiber_g,
    sugar_g: row.sugar_g,
    sodium_mg: row.sodium_mg,
    food_db_source: row.food_db_source,
    food_db_id: row.food_db_id,
    is_corrected: row.is_corrected,
  };
}

const failureOf = (value: unknown): { code: string; message: string } | null => {
  const v = (typeof value === 'string' ? JSON.parse(value) : value) as {
    code?: unknown;
    message?: unknown;
  } | null;
  return v && typeof v === 'object'
    ? { code: String(v.code ?? 'failed'), message: String(v.message ?? '') }
    : null;
};

/**
 * A log as its user sees it. A pending log (awaiting recognition or a reviewer) shows no items: the end
 * user sees the outcome only once it is final, as if recognition had happened in one step.
 */
export function toLogJson(log: LogRow, items: readonly ItemRow[]): z.infer<typeof NutritionLog> {
  const shown = log.status === 'pending' ? [] : items;
  return {
    id: log.id,
    user_id: log.user_id,
    detected_at: log.detected_at.toISOString(),
    meal_type: log.meal_type as z.infer<typeof MealType>,
    status: log.status as z.infer<typeof NutritionLog>['status'],
    confidence_score: log.status === 'pending' ? null : log.confidence_score,
    vision_model: log.vision_model,
    human_reviewed: log.human_reviewed,
    note: log.note,
    has_image: log.image_key !== null && log.image_deleted_at === null,
    failure: log.status === 'failed' ? failureOf(log.failure) : null,
    total_kcal: totalKcal(shown),
    created_at: log.created_at.toISOString(),
    updated_at: log.updated_at.toISOString(),
    items: shown.map(toItemJson),
  };
}
