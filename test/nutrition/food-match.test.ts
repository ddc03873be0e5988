import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURATED_DISHES } from '../../data/food/in-curated.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../../src/db/database.ts';
import type { Database } from '../../src/db/schema.ts';
import { usdaFoods } from '../../src/nutrition/food-db/data.ts';
import { macrosFor, searchFoods } from '../../src/nutrition/food-db/index.ts';
import { ensureFoodItems, foodDataVersion } from '../../src/nutrition/food-db/rows.ts';
import { databaseLegs, uniqueSuffix } from '../support/harness.ts';

/**
 * The food-matching test set: what a vision model or a person writes for a dish (misspellings, plurals,
 * Indian dish names, Western plates), and the entry it should find first. Some queries accept any of a
 * few entries that are equally right ("greek yogurt": plain, whichever fat level).
 */
const CASES: [query: string, expected: string | string[]][] = [
  // Indian and South-Asian dishes, by their usual names.
  ['chicken biryani', 'in_curated:biryani'],
  ['biryani', 'in_curated:biryani'],
  ['mutton biryani', 'in_curated:mutton_biryani'],
  ['veg biryani', 'in_curated:veg_biryani'],
  ['dal tadka', 'in_curated:dal'],
  ['sambar', 'in_curated:sambar'],
  ['rasam', 'in_curated:rasam'],
  ['masala dosa', 'in_curated:masala_dosa'],
  ['plain dosa', 'in_curated:dosa'],
  ['idli', 'in_curated:idli'],
  ['medu vada', 'in_curated:medu_vada'],
  ['upma', 'in_curated:upma'],
  ['poha', 'in_curated:poha'],
  ['chole', 'in_curated:chole'],
  ['chana masala', 'in_curated:chole'],
  ['rajma', 'in_curated:rajma'],
  ['rajma chawal', 'in_curated:rajma_chawal'],
  ['palak paneer', 'in_curated:palak_paneer'],
  ['paneer butter masala', 'in_curated:paneer_butter_masala'],
  ['kadai paneer', 'in_curated:kadai_paneer'],
  ['matar paneer', 'in_curated:matar_paneer'],
  ['butter chicken', 'in_curated:butter_chicken'],
  ['chicken tikka masala', 'in_curated:chicken_tikka_masala'],
  ['chicken 65', 'in_curated:chicken_65'],
  ['aloo paratha', 'in_curated:aloo_paratha'],
  ['roti', 'in_curated:roti'],
  ['chapati', 'in_curated:roti'],
  ['naan', 'in_curated:naan'],
  ['chole bhature', 'in_curated:chole_bhature'],
  ['veg thali', 'in_curated:veg_thali'],
  ['gulab jamun', 'in_curated:gulab_jamun'],
  ['rasgulla', 'in_curated:rasgulla'],
  ['kheer', 'in_curated:kheer'],
  ['gajar ka halwa', 'in_curated:gajar_halwa'],
  ['jalebi', 'in_curated:jalebi'],
  ['pav bhaji', 'in_curated:pav_bhaji'],
  ['vada pav', 'in_curated:vada_pav'],
  ['masala chai', 'in_curated:masala_chai'],
  ['mango lassi', 'in_curated:mango_lassi'],
  ['cucumber raita', 'in_curated:raita'],
  ['coconut chutney', 'in_curated:coconut_chutney'],
  ['curd rice', 'in_curated:curd_rice'],
  ['fish curry', 'in_curated:fish_curry'],
  ['egg curry', 'in_curated:egg_curry'],
  ['mutton curry', 'in_curated:mutton_curry'],
  ['aloo gobi', 'in_curated:aloo_gobi'],
  ['bhindi masala', 'in_curated:bhindi_masala'],
  ['sabudana khichdi', 'in_curated:sabudana_khichdi'],
  // Spelling variants and misspellings (most not among the aliases).
  ['biriyani', 'in_curated:biryani'],
  ['briyani', 'in_curated:biryani'],
  ['chiken biryaani', 'in_curated:biryani'],
  ['daal', 'in_curated:dal'],
  ['dhal', 'in_curated:dal'],
  ['sambhar', 'in_curated:sambar'],
  ['samber', 'in_curated:sambar'],
  ['chapathi', 'in_curated:roti'],
  ['chappathi', 'in_curated:roti'],
  ['idly', 'in_curated:idli'],
  ['uthappam', 'in_curated:uttapam'],
  ['dal makhni', 'in_curated:dal_makhani'],
  ['panner tikka', 'in_curated:paneer_tikka'],
  ['paneer buter masala', 'in_curated:paneer_butter_masala'],
  ['tandoori chiken', 'in_curated:tandoori_chicken'],
  ['gulabjamun', 'in_curated:gulab_jamun'],
  ['rasagolla', 'in_curated:rasgulla'],
  ['jalebee', 'in_curated:jalebi'],
  ['golgappa', 'in_curated:pani_puri'],
  ['pani poori', 'in_curated:pani_puri'],
  ['onion pakoda', 'in_curated:pakora'],
  ['khichri', 'in_curated:khichdi'],
  ['aloo parata', 'in_curated:aloo_paratha'],
  ['masala dosai', 'in_curated:masala_dosa'],
  ['bisibelebath', 'in_curated:bisi_bele_bath'],
  // Plurals and quantities.
  ['idlis', 'in_curated:idli'],
  ['2 rotis', 'in_curated:roti'],
  ['samosas', 'in_curated:samosa'],
  ['dosas', 'in_curated:dosa'],
  ['gulab jamuns', 'in_curated:gulab_jamun'],
  ['tomatoes', 'usda_sr28:11529'],
  ['tomato', 'usda_sr28:11529'],
  ['bananas', 'usda_sr28:09040'],
  ['potatoes boiled', 'usda_sr28:11367'],
  ['strawberries', 'usda_sr28:09316'],
  ['almonds', 'usda_sr28:12061'],
  ['200 g white rice', 'usda_sr28:20045'],
  // Western plates and staples.
  ['white rice cooked', 'usda_sr28:20045'],
  ['cooked white rice', 'usda_sr28:20045'],
  ['brown rice cooked', 'usda_sr28:20037'],
  ['hard boiled egg', 'usda_sr28:01129'],
  ['scrambled eggs', ['usda_sr28:01132', 'usda_sr28:21018']],
  ['apple', 'usda_sr28:09003'],
  ['avocado', 'usda_sr28:09037'],
  ['avacado', 'usda_sr28:09037'],
  ['broccolli', 'usda_sr28:11090'],
  ['whole milk', ['usda_sr28:01077', 'usda_sr28:01211']],
  ['greek yogurt', ['usda_sr28:01256', 'usda_sr28:01287', 'usda_sr28:01293']],
  ['orange juice', 'usda_sr28:09206'],
  ['peanut butter', ['usda_sr28:16098', 'usda_sr28:16397', 'usda_sr28:16398']],
  ['hummus', ['usda_sr28:16158', 'usda_sr28:16137']],
  ['oatmeal', ['usda_sr28:08121', 'usda_sr28:08180']],
  ['pepperoni pizza', 'usda_sr28:22903'],
  ['spaghetti with meat sauce', ['usda_sr28:22401', 'usda_sr28:36630']],
  ['mashed potatoes', ['usda_sr28:11657', 'usda_sr28:11934', 'usda_sr28:11371', 'usda_sr28:21139']],
  ['pancakes', ['usda_sr28:18293', 'usda_sr28:18292']],
  ['cheeseburger', 'usda_sr28:21089'],
  ['grilled chicken breast', ['usda_sr28:05747', 'usda_sr28:05749']],
  ['salmon', 'usda_sr28:15236'],
  ['mcdonalds cheeseburger', 'usda_sr28:21233'],
  ['bagel', ['usda_sr28:18001', 'usda_sr28:18003', 'usda_sr28:18968', 'usda_sr28:28322']],
  // Added after the matcher was tuned on the cases above, kept as they came out (two still miss:
  // SR28 spells grapes with a long qualifier, and says "cooked, dry heat" where a plate says "grilled").
  ['chicken biriyani with raita', 'in_curated:biryani'],
  ['dal fry', 'in_curated:dal'],
  ['toor dal', 'in_curated:dal'],
  ['rava upma', 'in_curated:upma'],
  ['pakoras', 'in_curated:pakora'],
  ['kerala parotta', 'in_curated:kerala_parotta'],
  ['appam', 'in_curated:appam'],
  ['boiled egg', 'usda_sr28:01129'],
  ['fried egg', 'usda_sr28:01128'],
  ['orange', 'usda_sr28:09200'],
  ['watermelon', 'usda_sr28:09326'],
  ['white bread toast', 'usda_sr28:18070'],
  ['cheddar cheese', 'usda_sr28:01009'],
  ['cashews', 'usda_sr28:12087'],
  ['grapes', 'usda_sr28:09132'],
  ['grilled salmon', 'usda_sr28:15237'],
];

const databaseUrl = process.env.TEST_DATABASE_URL;

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(`food database [${leg}]${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let handle: DatabaseHandle;
    const schema = `test_food_${uniqueSuffix()}`;
    let migrationMs = 0;

    beforeAll(async () => {
      handle =
        leg === 'pglite'
          ? await openDatabase({ kind: 'pglite', dataDir: undefined, schema })
          : await openDatabase({ kind: 'postgres', url: databaseUrl as string, schema, poolSize: 2 });
      const started = performance.now();
      await migrateToLatest(handle);
      migrationMs = performance.now() - started;
    });
    afterAll(async () => {
      await handle?.close();
      if (leg === 'postgres') {
        const admin = new pg.Client({ connectionString: databaseUrl });
        await admin.connect();
        await admin.query(`drop schema if exists "${schema}" cascade`);
        await admin.end();
      }
    });

    it('migration makes the table and its trigram index; the first search loads every food, once', async () => {
      const count = async () =>
        (
          await sql<{ source: string; n: number }>`
            select source, count(*)::int as n from food_items group by source order by source`.execute(
            handle.db,
          )
        ).rows;
      expect(await count()).toEqual([]);
      const index = await sql<{ def: string }>`
        select indexdef as def from pg_indexes where tablename = 'food_items' and indexname = 'food_items_search_trgm'
          and schemaname = ${schema}`.execute(handle.db);
      expect(index.rows[0]?.def).toMatch(/USING gin \(search_text "?\w+"?\.gin_trgm_ops\)/);

      let started = performance.now();
      // Two first searches at once: one load.
      await Promise.all([searchFoods(handle.db, 'dal'), searchFoods(handle.db, 'rice')]);
      const firstMs = performance.now() - started;
      expect(await count()).toEqual([
        { source: 'in_curated', n: CURATED_DISHES.length },
        { source: 'usda_sr28', n: usdaFoods().length },
      ]);
      expect(usdaFoods().length).toBe(8789);
      started = performance.now();
      await searchFoods(handle.db, 'dal');
      const laterMs = performance.now() - started;
      const version = await sql<{ version: string }>`select version from food_items_version`.execute(
        handle.db,
      );
      expect(version.rows).toEqual([{ version: foodDataVersion() }]);
      console.log(
        `[${leg}] fresh database: all migrations ${migrationMs.toFixed(0)} ms; first search (loads the foods) ${firstMs.toFixed(0)} ms; next search ${laterMs.toFixed(0)} ms`,
      );
    });

    it('reloads the foods when the data they were loaded from changed', async () => {
      await sql`update food_items_version set version = 'older'`.execute(handle.db);
      await sql`delete from food_items where id = 'in_curated:dal'`.execute(handle.db);
      // Another process (a new release) finds the version stale: ensureFoodItems on a fresh handle.
      await handle.db.transaction().execute((trx) => ensureFoodItems<Database>(trx));
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from food_items`.execute(handle.db);
      expect(rows[0]?.n).toBe(usdaFoods().length + CURATED_DISHES.length);
      expect((await searchFoods(handle.db, 'daal'))[0]?.id).toBe('in_curated:dal');
    });

    it(`top-1 accuracy on ${CASES.length} food queries is at least 90%`, async () => {
      const misses: string[] = [];
      for (const [query, expected] of CASES) {
        const [top] = await searchFoods(handle.db, query, 3);
        const accept = typeof expected === 'string' ? [expected] : expected;
        if (!top || !accept.includes(top.id))
          misses.push(
            `${query} → ${top ? `${top.id} (${top.name})` : 'nothing'}; expected ${accept.join(' | ')}`,
          );
      }
      const accuracy = (CASES.length - misses.length) / CASES.length;
      console.log(
        `[${leg}] food matching: top-1 accuracy ${(accuracy * 100).toFixed(1)}% (${CASES.length - misses.length}/${CASES.length})${misses.length ? `\n  misses:\n  ${misses.join('\n  ')}` : ''}`,
      );
      expect(CASES.length).toBeGreaterThanOrEqual(60);
      expect(accuracy).toBeGreaterThanOrEqual(0.9);
    });

    it('returns FoodMatch rows with source, id, per-100 g macros and a portion', async () => {
      const [biryani] = await searchFoods(handle.db, 'biriyani');
      expect(biryani).toMatchObject({
        source: 'in_curated',
        id: 'in_curated:biryani',
        name: 'Chicken biryani',
        typical_portion_g: 300,
      });
      expect(biryani?.per100g.calories_kcal).toBeGreaterThan(100);
      const rice = await searchFoods(handle.db, 'white rice cooked', 5);
      expect(rice[0]).toMatchObject({
        source: 'usda_sr28',
        id: 'usda_sr28:20045',
        name: 'Rice, white, long-grain, regular, enriched, cooked',
        per100g: {
          calories_kcal: 130,
          protein_g: 2.69,
          carbs_g: 28.17,
          fat_g: 0.28,
          fiber_g: 0.4,
          sugar_g: 0.05,
          sodium_mg: 1,
        },
        typical_portion_g: 158,
      });
      expect(rice.length).toBeLessThanOrEqual(5);
      const scores = rice.map((m) => m.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    });

    it('the curated entry wins over USDA when both match', async () => {
      // SR28 has "Bread, chapati or roti, plain, commercially prepared"; the curated roti comes first.
      const matches = await searchFoods(handle.db, 'chapati roti', 10);
      expect(matches[0]?.id).toBe('in_curated:roti');
      expect(matches.some((m) => m.id === 'usda_sr28:28306')).toBe(true);
      const naan = await searchFoods(handle.db, 'naan', 10);
      expect(naan[0]?.id).toBe('in_curated:naan');
      expect(naan.some((m) => m.source === 'usda_sr28')).toBe(true);
    });

    it('finds nothing for nonsense, empty or filler-only queries, and never errors on odd input', async () => {
      expect(await searchFoods(handle.db, 'xqzvw plorf')).toEqual([]);
      expect(await searchFoods(handle.db, '')).toEqual([]);
      expect(await searchFoods(handle.db, 'a plate of the')).toEqual([]);
      expect(await searchFoods(handle.db, "'; drop table food_items; --% _ \\ ")).toEqual([]);
      expect(await searchFoods(handle.db, 'dal', 0)).toEqual([]);
      expect((await searchFoods(handle.db, 'दाल chawal rice')).length).toBeGreaterThan(0);
    });
  });
}

describe('macrosFor', () => {
  const match = {
    per100g: {
      calories_kcal: 130,
      protein_g: 2.69,
      carbs_g: 28.17,
      fat_g: 0.28,
      fiber_g: 0.4,
      sugar_g: null,
      sodium_mg: 1,
    },
  };

  it('scales per-100 g values to the grams eaten, rounded to 0.1', () => {
    expect(macrosFor(match, 158)).toEqual({
      calories_kcal: 205.4,
      protein_g: 4.3,
      carbs_g: 44.5,
      fat_g: 0.4,
      fiber_g: 0.6,
      sugar_g: null,
      sodium_mg: 1.6,
    });
    expect(macrosFor(match, 100)).toMatchObject({ calories_kcal: 130, protein_g: 2.7 });
    expect(macrosFor(match, 0)).toMatchObject({ calories_kcal: 0, fat_g: 0 });
  });

  it('refuses negative or non-finite grams', () => {
    expect(() => macrosFor(match, -1)).toThrow(RangeError);
    expect(() => macrosFor(match, Number.NaN)).toThrow(RangeError);
    expect(() => macrosFor(match, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
