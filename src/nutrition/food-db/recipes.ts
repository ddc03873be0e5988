import {
  CURATED_DISHES,
  type CuratedDish,
  INGREDIENTS,
  type IngredientSource,
} from '../../../data/food/in-curated.ts';
import { type Per100g, type UsdaFood, usdaFoods } from './data.ts';

export interface ComputedDish {
  dish: CuratedDish;
  per100g: Per100g;
}

const MACROS = ['calories_kcal', 'protein_g', 'carbs_g', 'fat_g', 'fiber_g', 'sugar_g', 'sodium_mg'] as const;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A dish's macros per 100 g: the sum over its ingredients of (grams × per-100 g value / 100), divided by
 * the cooked batch's weight. An ingredient SR28 did not measure fiber, sugar or sodium for adds nothing
 * to that total (the dish then counts what its other ingredients report). Unknown ingredients, dish
 * cycles and non-positive weights throw: the curated table is data under review, not user input.
 */
export function computeDishes(
  dishes: readonly CuratedDish[] = CURATED_DISHES,
  usda: readonly UsdaFood[] = usdaFoods(),
): ComputedDish[] {
  const byNdb = new Map(usda.map((food) => [food.ndb, food.per100g]));
  const byKey = new Map(dishes.map((dish) => [dish.key, dish]));
  const computed = new Map<string, Per100g>();
  const visiting = new Set<string>();

  const ingredientPer100g = (ref: string, dishKey: string): Per100g => {
    if (ref.startsWith('dish:')) return dishPer100g(ref.slice('dish:'.length));
    const source = (INGREDIENTS as Record<string, IngredientSource>)[ref];
    if (source === undefined) throw new Error(`${dishKey}: unknown ingredient ${ref}`);
    if ('basic' in source) return source.basic;
    const per100g = byNdb.get(source.usda);
    if (per100g === undefined)
      throw new Error(`${dishKey}: ${ref} names USDA ${source.usda}, not in the table`);
    return per100g;
  };

  const dishPer100g = (key: string): Per100g => {
    const done = computed.get(key);
    if (done) return done;
    const dish = byKey.get(key);
    if (dish === undefined) throw new Error(`unknown dish ${key}`);
    if (visiting.has(key)) throw new Error(`dish ${key} contains itself`);
    if (!(dish.yield_g > 0) || !(dish.portion_g > 0))
      throw new Error(`${key}: yield and portion must be > 0`);
    visiting.add(key);
    const totals = {
      calories_kcal: 0,
      protein_g: 0,
      carbs_g: 0,
      fat_g: 0,
      fiber_g: 0,
      sugar_g: 0,
      sodium_mg: 0,
    };
    for (const [ref, grams] of Object.entries(dish.ingredients)) {
      if (grams === undefined || !(grams > 0)) throw new Error(`${key}: ${ref} needs a positive weight`);
      const per100g = ingredientPer100g(ref, key);
      for (const macro of MACROS) totals[macro] += ((per100g[macro] ?? 0) * grams) / 100;
    }
    visiting.delete(key);
    const result = Object.fromEntries(
      MACROS.map((macro) => [macro, round1((totals[macro] * 100) / dish.yield_g)]),
    ) as unknown as Per100g;
    computed.set(key, result);
    return result;
  };

  return dishes.map((dish) => ({ dish, per100g: dishPer100g(dish.key) }));
}
