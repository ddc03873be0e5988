import { z } from 'zod';
import { vendorText } from './http.ts';
import { fail, ok, type RecognitionError, type RecognizedDish, type Result } from './recognizer.ts';

/**
 * The strict JSON both vendors are asked for, and its zod schema. Shared by every adapter: what counts
 * as a valid answer does not depend on who answered.
 */

/** More dishes than this on one photo is not a meal the model read correctly. */
export const MAX_DISHES = 20;

export const dishSchema = z.object({
  dish_name: z.string().trim().min(1).max(120),
  grams: z.number().positive().max(5000),
  uncertainty: z.number().min(0).max(1),
  confidence: z.number().min(0).max(1),
});

export const dishListSchema = z.object({ dishes: z.array(dishSchema).max(MAX_DISHES) });

export const RECOGNITION_SYSTEM_PROMPT = `You are a nutrition assistant that identifies the food in a meal photo.
List every distinct dish or food item you can see, including South Asian dishes (for example biryani, dal, roti, idli, sambar, paneer tikka) and Western foods.
Use the common English or transliterated name of each dish, in lower case, without brand names.
For each dish estimate the weight in grams of the portion visible in the photo.
Answer with JSON only, no prose, no code fences, exactly in this shape:
{"dishes":[{"dish_name":"<name>","grams":<number>,"uncertainty":<number>,"confidence":<number>}]}
- grams: estimated weight of the visible portion, a number greater than 0.
- uncertainty: relative uncertainty of the grams estimate between 0 and 1 (0.2 means plus or minus 20 percent).
- confidence: your confidence between 0 and 1 that the dish is what you named.
If the photo shows no food, answer {"dishes":[]}.`;

export const RECOGNITION_PROMPT =
  'Identify the dishes in this meal photo and answer with the JSON described.';

/** The JSON object in a model's text: as is, inside a ```json fence, or between its outermost braces. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(trimmed);
  const candidate = fenced?.[1] ?? trimmed;
  try {
    return JSON.parse(candidate);
  } catch {
    const start = candidate.indexOf('{');
    const end = candidate.lastIndexOf('}');
    if (start < 0 || end <= start) throw new SyntaxError('no JSON object in the answer');
    return JSON.parse(candidate.slice(start, end + 1));
  }
}

/** Parses `text` against `schema`; a failure is `malformed_output` naming the first problem. */
export function parseModelJson<T>(schema: z.ZodType<T>, text: string): Result<T, RecognitionError> {
  let json: unknown;
  try {
    json = extractJson(text);
  } catch (error) {
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: `the model answer is not JSON (${(error as Error).message}): ${vendorText(text).slice(0, 120)}`,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'answer';
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: `the model answer does not match the dish list schema (${where}: ${issue?.message ?? 'invalid'})`,
    });
  }
  return ok(parsed.data);
}

export function parseDishList(text: string): Result<RecognizedDish[], RecognitionError> {
  const parsed = parseModelJson(dishListSchema, text);
  return parsed.ok ? ok(parsed.value.dishes) : parsed;
}
