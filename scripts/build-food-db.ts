/**
 * Builds WearLink's compact USDA food table, data/food/usda-sr28.tsv, from the public-domain USDA
 * National Nutrient Database for Standard Reference, Release 28 (see data/food/ATTRIBUTION.md).
 *
 * Rebuild (from the checkout's root, with the SR28 extract beside the checkout):
 *
 *   npx tsx scripts/build-food-db.ts [../shared/reference/food/usda-sr28] [data/food/usda-sr28.tsv]
 *
 * Input: foods-macros.tsv (one row per food, seven nutrients per 100 g), WEIGHT.txt (household
 * measures; a food's "NLEA serving", else the first measure listed, becomes its typical portion). Output: one row per food,
 * sorted by NDB number, numbers in their shortest form, so the same input always gives the same
 * bytes (the file is committed, and a rebuild must show no diff). The migration and the matcher read it
 * at run time (src/nutrition/food-db/data.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const sourceDir = process.argv[2] ?? '../shared/reference/food/usda-sr28';
const outFile = process.argv[3] ?? 'data/food/usda-sr28.tsv';

/** SR28's ASCII format: fields separated by `^`, text fields wrapped in `~`, lines ending CRLF or CR. */
function sr28Rows(text: string): string[][] {
  return text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('^').map((field) => field.replace(/^~|~$/g, '')));
}

/** "0.00" → "0", "53.10" → "53.1"; empty (not measured) stays empty. */
function shortNumber(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${value}`);
  return String(Math.round(n * 100) / 100);
}

/** Tabs or newlines inside a description would break the table; SR28 has none, this guards a rebuild. */
function clean(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').trim();
}

// A food's typical portion: its "NLEA serving" (the FDA reference amount customarily consumed) where
// SR28 lists one, else the first household measure it lists.
const portions = new Map<string, { rank: number; grams: number }>();
for (const [ndb, seq, , measure, grams] of sr28Rows(readFileSync(join(sourceDir, 'WEIGHT.txt'), 'latin1'))) {
  if (ndb === undefined || seq === undefined || grams === undefined) continue;
  const g = Number(grams);
  if (!Number.isFinite(g) || g <= 0) continue;
  const rank = measure?.trim().toLowerCase() === 'nlea serving' ? 0 : Number(seq);
  const current = portions.get(ndb);
  if (current === undefined || rank < current.rank) portions.set(ndb, { rank, grams: g });
}

const lines = readFileSync(join(sourceDir, 'foods-macros.tsv'), 'utf8').split('\n');
const header = (lines.shift() ?? '').split('\t');
const col = (name: string) => {
  const index = header.indexOf(name);
  if (index < 0) throw new Error(`foods-macros.tsv has no column ${name}`);
  return index;
};
const c = {
  ndb: col('ndb_no'),
  group: col('food_group'),
  name: col('long_desc'),
  common: col('common_name'),
  kcal: col('energy_kcal'),
  protein: col('protein_g'),
  carbs: col('carbohydrate_g'),
  fat: col('fat_g'),
  fiber: col('fiber_g'),
  sugar: col('sugars_g'),
  sodium: col('sodium_mg'),
};

const rows: string[][] = [];
for (const line of lines) {
  if (line.trim() === '') continue;
  const f = line.split('\t');
  const ndb = f[c.ndb] ?? '';
  if (!/^\d{5}$/.test(ndb)) throw new Error(`bad NDB number: ${ndb}`);
  const portion = portions.get(ndb);
  rows.push([
    ndb,
    f[c.group] ?? '',
    clean(f[c.name] ?? ''),
    clean(f[c.common] ?? ''),
    shortNumber(f[c.kcal]),
    shortNumber(f[c.protein]),
    shortNumber(f[c.carbs]),
    shortNumber(f[c.fat]),
    shortNumber(f[c.fiber]),
    shortNumber(f[c.sugar]),
    shortNumber(f[c.sodium]),
    portion === undefined ? '' : shortNumber(String(portion.grams)),
  ]);
}
rows.sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));

const out = [
  '# USDA National Nutrient Database for Standard Reference, Release 28 (2016), USDA Agricultural Research',
  '# Service; public domain. Derived by scripts/build-food-db.ts (see data/food/ATTRIBUTION.md). Per 100 g',
  '# edible portion; empty = not measured. portion_g = the NLEA serving, else the first household measure.',
  [
    'ndb_no',
    'group',
    'name',
    'common_name',
    'kcal',
    'protein_g',
    'carbs_g',
    'fat_g',
    'fiber_g',
    'sugar_g',
    'sodium_mg',
    'portion_g',
  ].join('\t'),
  ...rows.map((r) => r.join('\t')),
  '',
].join('\n');
writeFileSync(outFile, out);
console.log(`wrote ${rows.length} foods to ${outFile} (${out.length} bytes)`);
