import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The seven macros, per 100 g; fiber, sugar and sodium are null where the source did not measure them. */
export interface Per100g {
  calories_kcal: number;
  protein_g: number;
  carbs_g: number;
  fat_g: number;
  fiber_g: number | null;
  sugar_g: number | null;
  sodium_mg: number | null;
}

export interface UsdaFood {
  ndb: string;
  group: string;
  name: string;
  commonName: string;
  per100g: Per100g;
  portionG: number | null;
}

/**
 * The checkout's data/food directory. Found by walking up from this module rather than by a fixed
 * relative path: the sources run from src/nutrition/food-db, the bundled CLI (bin/wearlink.mjs) from
 * node_modules/.cache/wearlink; both sit under the checkout.
 */
export function foodDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'data', 'food');
    if (existsSync(join(candidate, 'usda-sr28.tsv'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('data/food/usda-sr28.tsv not found above the WearLink sources');
    dir = parent;
  }
}

let usdaCache: UsdaFood[] | undefined;

/** data/food/usda-sr28.tsv (built by scripts/build-food-db.ts), parsed once per process. */
export function usdaFoods(): UsdaFood[] {
  if (usdaCache) return usdaCache;
  const text = readFileSync(join(foodDataDir(), 'usda-sr28.tsv'), 'utf8');
  const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  const header = lines.shift()?.split('\t') ?? [];
  const expected =
    'ndb_no group name common_name kcal protein_g carbs_g fat_g fiber_g sugar_g sodium_mg portion_g';
  if (header.join(' ') !== expected)
    throw new Error('data/food/usda-sr28.tsv: unexpected columns; rebuild it');
  const num = (value: string | undefined) => (value === undefined || value === '' ? null : Number(value));
  usdaCache = lines.map((line) => {
    const [ndb = '', group = '', name = '', commonName = '', kcal, p, c, f, fi, su, na, portion] =
      line.split('\t');
    return {
      ndb,
      group,
      name,
      commonName,
      per100g: {
        calories_kcal: num(kcal) ?? 0,
        protein_g: num(p) ?? 0,
        carbs_g: num(c) ?? 0,
        fat_g: num(f) ?? 0,
        fiber_g: num(fi),
        sugar_g: num(su),
        sodium_mg: num(na),
      },
      portionG: num(portion),
    };
  });
  return usdaCache;
}
