import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CURATED_DISHES, type CuratedDish, INGREDIENTS } from '../../data/food/in-curated.ts';
import { foodDataDir, usdaFoods } from '../../src/nutrition/food-db/data.ts';
import { phonetic } from '../../src/nutrition/food-db/index.ts';
import { foodWords } from '../../src/nutrition/food-db/normalize.ts';
import { computeDishes } from '../../src/nutrition/food-db/recipes.ts';
import { foodRows } from '../../src/nutrition/food-db/rows.ts';

describe('curated South-Asian dishes', () => {
  const computed = computeDishes();

  it('holds at least 60 dishes with unique keys, names, aliases and a typical portion', () => {
    expect(CURATED_DISHES.length).toBeGreaterThanOrEqual(60);
    const keys = CURATED_DISHES.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const dish of CURATED_DISHES) {
      expect(dish.key).toMatch(/^[a-z0-9_]+$/);
      expect(dish.name.length).toBeGreaterThan(2);
      expect(dish.portion_g).toBeGreaterThan(0);
    }
    // The spellings the issue names are aliases of the dish they spell.
    const aliasesOf = (key: string) => CURATED_DISHES.find((d) => d.key === key)?.aliases ?? [];
    expect(aliasesOf('biryani')).toEqual(expect.arrayContaining(['biriyani', 'briyani']));
    expect(aliasesOf('dal')).toEqual(expect.arrayContaining(['daal', 'dhal']));
    expect(aliasesOf('roti')).toEqual(expect.arrayContaining(['chapati']));
  });

  it('computes per-100 g macros from the ingredients: sum of (grams × value / 100) over the cooked yield', () => {
    // By hand for jeera rice: rice 200 g (20044), ghee 15 g (01003), cumin 4 g (02014), salt 3 g, water 400 g; 580 g cooked.
    const usda = new Map(usdaFoods().map((f) => [f.ndb, f.per100g]));
    const rice = usda.get('20044');
    const ghee = usda.get('01003');
    const cumin = usda.get('02014');
    const salt = usda.get('02047');
    if (!rice || !ghee || !cumin || !salt) throw new Error('USDA ingredients missing');
    const kcal = (rice.calories_kcal * 200 + ghee.calories_kcal * 15 + cumin.calories_kcal * 4) / 100;
    const sodium =
      ((rice.sodium_mg ?? 0) * 200 +
        (ghee.sodium_mg ?? 0) * 15 +
        (cumin.sodium_mg ?? 0) * 4 +
        (salt.sodium_mg ?? 0) * 3) /
      100;
    const jeera = computed.find((c) => c.dish.key === 'jeera_rice');
    expect(jeera?.per100g.calories_kcal).toBeCloseTo((kcal * 100) / 580, 1);
    expect(jeera?.per100g.sodium_mg).toBeCloseTo((sodium * 100) / 580, 1);
  });

  it('every dish passes the energy sanity check: kcal ≈ 4·protein + 4·carbs + 9·fat (±12%)', () => {
    const off: string[] = [];
    for (const { dish, per100g: m } of computed) {
      const atwater = 4 * m.protein_g + 4 * m.carbs_g + 9 * m.fat_g;
      if (Math.abs(m.calories_kcal - atwater) > 0.12 * atwater)
        off.push(`${dish.key}: ${m.calories_kcal} vs ${atwater}`);
      // And plausible for cooked food: energy between water and pure fat, macros within 100 g.
      expect(m.calories_kcal).toBeGreaterThan(10);
      expect(m.calories_kcal).toBeLessThan(900);
      expect(m.protein_g + m.carbs_g + m.fat_g).toBeLessThanOrEqual(100);
    }
    expect(off).toEqual([]);
  });

  it('plates made of other dishes take their macros from those dishes', () => {
    const per = new Map(computed.map((c) => [c.dish.key, c.per100g]));
    const rajma = per.get('rajma');
    const rice = per.get('rice_plain');
    const plate = per.get('rajma_chawal');
    if (!rajma || !rice || !plate) throw new Error('dishes missing');
    expect(plate.calories_kcal).toBeCloseTo((rajma.calories_kcal * 200 + rice.calories_kcal * 200) / 400, 0);
  });

  it('refuses a recipe with an unknown ingredient, a cycle or a zero yield', () => {
    const base: CuratedDish = {
      key: 'x',
      name: 'X',
      aliases: [],
      portion_g: 100,
      yield_g: 100,
      ingredients: { rice: 10 },
    };
    expect(() => computeDishes([{ ...base, ingredients: { ['unobtainium' as 'rice']: 10 } }])).toThrow(
      /unknown ingredient/,
    );
    expect(() => computeDishes([{ ...base, ingredients: { 'dish:x': 10 } }])).toThrow(/contains itself/);
    expect(() => computeDishes([{ ...base, yield_g: 0 }])).toThrow(/yield/);
    expect(() => computeDishes([{ ...base, ingredients: { rice: -5 } }])).toThrow(/positive/);
  });

  it('every USDA ingredient a recipe names is in the committed table', () => {
    const ndbs = new Set(usdaFoods().map((f) => f.ndb));
    for (const [key, source] of Object.entries(INGREDIENTS))
      if ('usda' in source) expect(ndbs.has(source.usda), `${key} → ${source.usda}`).toBe(true);
  });
});

describe('food table', () => {
  it('gives every row a source, an id of the form <source>:<id>, and searchable text', () => {
    const rows = foodRows();
    expect(rows.length).toBe(8789 + CURATED_DISHES.length);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const row of rows) {
      expect(row.id.startsWith(`${row.source}:`)).toBe(true);
      expect(row.search_text.length).toBeGreaterThan(0);
    }
  });

  it('normalises names and queries to the same words', () => {
    expect(foodWords('Tomatoes, red, ripe')).toEqual(['tomato', 'red', 'ripe']);
    expect(foodWords('2 idlis with sambar')).toEqual(['idli', 'sambar']);
    expect(foodWords('200g white rice, cooked')).toEqual(['white', 'rice', 'cooked']);
    expect(foodWords('Chicken 65', true)).toEqual(['chicken', '65']);
    expect(foodWords("McDONALD'S french fries")).toEqual(['mcdonald', 'french', 'fry']);
    expect(foodWords('Potatoes, french fried')).toEqual(['potato', 'french', 'fry']);
    expect(phonetic('poori')).toBe(phonetic('puri'));
    expect(phonetic('dhal')).toBe(phonetic('dal'));
    expect(phonetic('wada')).toBe(phonetic('vada'));
  });

  const source = join(foodDataDir(), '..', '..', '..', 'shared', 'reference', 'food', 'usda-sr28');
  it.skipIf(!existsSync(join(source, 'foods-macros.tsv')))(
    'scripts/build-food-db.ts rebuilds data/food/usda-sr28.tsv byte for byte from the SR28 extract',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'food-db-'));
      try {
        const out = join(dir, 'usda-sr28.tsv');
        execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-food-db.ts', source, out], {
          cwd: join(foodDataDir(), '..', '..'),
          stdio: 'pipe',
        });
        expect(readFileSync(out).equals(readFileSync(join(foodDataDir(), 'usda-sr28.tsv')))).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
