import { type Kysely, sql } from 'kysely';
import type { Per100g } from './data.ts';
import { foodWords } from './normalize.ts';
import { ensureFoodItems, type FoodSource } from './rows.ts';
import { trigramName, trigramOperator, trigramSchema } from './trgm.ts';

export type { Per100g } from './data.ts';
export type { FoodSource } from './rows.ts';

/** One food the matcher found for a dish name; `score` is in [0, ~1.2], higher is better. */
export interface FoodMatch {
  source: FoodSource;
  /** `in_curated:<key>` or `usda_sr28:<NDB number>`: what nutrition_items.food_db_id stores. */
  id: string;
  name: string;
  per100g: Per100g;
  typical_portion_g: number | null;
  score: number;
}

export type Macros = Per100g;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The seven macros of `grams` of a matched food, rounded to 0.1 (null stays null: not measured). */
export function macrosFor(match: Pick<FoodMatch, 'per100g'>, grams: number): Macros {
  if (!Number.isFinite(grams) || grams < 0) throw new RangeError('grams must be a finite number >= 0');
  const scale = (value: number) => round1((value * grams) / 100);
  const { per100g: m } = match;
  return {
    calories_kcal: scale(m.calories_kcal),
    protein_g: scale(m.protein_g),
    carbs_g: scale(m.carbs_g),
    fat_g: scale(m.fat_g),
    fiber_g: m.fiber_g === null ? null : scale(m.fiber_g),
    sugar_g: m.sugar_g === null ? null : scale(m.sugar_g),
    sodium_mg: m.sodium_mg === null ? null : scale(m.sodium_mg),
  };
}

interface Candidate {
  id: string;
  source: FoodSource;
  name: string;
  aliases: string[];
  food_group: string | null;
  calories_kcal: number;
  protein_g: number;
  carbs_g: number;
  fat_g: number;
  fiber_g: number | null;
  sugar_g: number | null;
  sodium_mg: number | null;
  typical_portion_g: number | null;
}

/** How many trigram candidates the re-ranking sees. */
const CANDIDATES = 300;
/** Per-word trigram threshold for candidates: low, so misspellings ("biriyani", "sambhar") still come. */
const WORD_THRESHOLD = 0.4;
/** Below this a match is no match: better no food than a wrong one (the recogniser then keeps its own estimate). */
const MIN_SCORE = 0.45;

/**
 * Foods for a dish name, best first. Two stages: the trigram index finds candidates whose text holds
 * something like each query word (`<%`, word similarity), then every candidate is scored here word by
 * word against its name and each alias: how much of the query it covers, how little else it says
 * (so "Rice, white, ..., cooked" beats a longer variant), whether its head word (SR28's text before
 * the first comma) is a query word, plus a small prior for everyday SR28 entries and for curated
 * dishes, which win ties and near-ties over USDA.
 */
export async function searchFoods<DB>(db: Kysely<DB>, query: string, limit = 5): Promise<FoodMatch[]> {
  const queryWords = [...new Set(foodWords(query, true))].slice(0, 8);
  if (queryWords.length === 0 || limit <= 0) return [];
  await ensureFoodItems(db);
  const schema = await trigramSchema(db);
  const wordSimilarity = trigramName(schema, 'word_similarity');
  const similarTo = trigramOperator(schema, '<%');
  const similar = (w: string) => sql`${w} ${similarTo} search_text`;
  const all = (ws: string[]) => sql`(${sql.join(ws.map(similar), sql` and `)})`;
  // Candidates hold every query word, or all but one of three or more ("grilled chicken breast" finds
  // "Chicken, breast, ..., roasted"); only when too few do, any one word. The conjunctions keep the
  // candidate set small, which matters: a common word alone ("cooked") matches thousands of rows, and
  // each is rechecked and ranked by word similarity.
  const tiers = [all(queryWords)];
  if (queryWords.length >= 3)
    tiers.push(
      sql.join(
        queryWords.map((_, skip) => all(queryWords.filter((__, i) => i !== skip))),
        sql` or `,
      ),
    );
  if (queryWords.length >= 2) tiers.push(sql.join(queryWords.map(similar), sql` or `));
  const rank = sql.join(
    queryWords.map((w) => sql`${wordSimilarity}(${w}, search_text)`),
    sql` + `,
  );
  const search = async (trx: Kysely<DB>) => {
    // Local to this transaction: the threshold `<%` (and so the index) uses.
    await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(WORD_THRESHOLD)}, true)`.execute(
      trx,
    );
    const found = new Map<string, Candidate>();
    for (const where of tiers) {
      const { rows } = await sql<Candidate>`
        select id, source, name, aliases, food_group, calories_kcal, protein_g, carbs_g, fat_g, fiber_g,
          sugar_g, sodium_mg, typical_portion_g
        from food_items where ${where}
        order by ${rank} desc, id
        limit ${CANDIDATES}`.execute(trx);
      for (const row of rows) found.set(row.id, row);
      if (found.size >= limit) break;
    }
    return [...found.values()];
  };
  // Inside a caller's transaction (a recognition job writing its items) the search joins it.
  const candidates = db.isTransaction ? await search(db) : await db.transaction().execute(search);
  return candidates
    .map((c) => ({ c, score: scoreCandidate(queryWords, c) }))
    .filter(({ score }) => score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.c.name.length - b.c.name.length || (a.c.id < b.c.id ? -1 : 1))
    .slice(0, limit)
    .map(({ c, score }) => ({
      source: c.source,
      id: c.id,
      name: c.name,
      per100g: {
        calories_kcal: c.calories_kcal,
        protein_g: c.protein_g,
        carbs_g: c.carbs_g,
        fat_g: c.fat_g,
        fiber_g: c.fiber_g,
        sugar_g: c.sugar_g,
        sodium_mg: c.sodium_mg,
      },
      typical_portion_g: c.typical_portion_g,
      score: Math.round(score * 1000) / 1000,
    }));
}

/**
 * SR28 qualifiers that tell variants apart but say little about the food a person names: a name
 * carrying them is barely "longer" for it.
 */
const QUALIFIERS = new Set([
  'regular',
  'enriched',
  'unenriched',
  'commercial',
  'commercially',
  'prepared',
  'variety',
  'all',
  'type',
  'year',
  'round',
  'average',
  'include',
  'includes',
  'mature',
  'seed',
  'without',
  'salt',
  'added',
  'fresh',
  'meat',
  'only',
  'edible',
  'portion',
  'from',
  'ripe',
  'red',
  'whole',
  'plain',
  'flesh',
  'skin',
  'raw',
  'cooked',
  // SR28's category prefixes ("Nuts, cashew nuts", "Beverages, ...") and its serving notes.
  'nut',
  'spice',
  'beverage',
  'cereal',
  'crustacean',
  'mollusk',
  'gram',
  'protein',
  'per',
  'ounce',
  'nfs',
  'recipe',
  'fast',
  'food',
  'restaurant',
  'family',
  'long',
  'medium',
  'short',
  'grain',
]);

/**
 * Everyday SR28 entries: where several variants match a query equally well ("white rice cooked",
 * "tomato", "egg"), these are the ones a logged meal means. A small prior, not a rule: a query that
 * says "brown", "parboiled" or "canned" still finds those.
 */
const EVERYDAY = new Set([
  '20045', // Rice, white, long-grain, regular, enriched, cooked
  '20037', // Rice, brown, long-grain, cooked
  '11529', // Tomatoes, red, ripe, raw, year round average
  '09040', // Bananas, raw
  '09003', // Apples, raw, with skin
  '09200', // Oranges, raw, all commercial varieties
  '09176', // Mangos, raw
  '01123', // Egg, whole, raw, fresh
  '01129', // Egg, whole, cooked, hard-boiled
  '01077', // Milk, whole, 3.25% milkfat
  '01116', // Yogurt, plain, whole milk
  '01001', // Butter, salted
  '01009', // Cheese, cheddar
  '05062', // Chicken breast, skinless, boneless, raw
  '05064', // Chicken, broilers or fryers, breast, meat only, cooked, roasted
  '11352', // Potatoes, flesh and skin, raw
  '11674', // Potatoes, baked, flesh and skin, without salt
  '11282', // Onions, raw
  '11124', // Carrots, raw
  '11090', // Broccoli, raw
  '11457', // Spinach, raw
  '11205', // Cucumber, with peel, raw
  '11251', // Lettuce, cos or romaine, raw
  '09037', // Avocados, raw, all commercial varieties
  '18069', // Bread, white, commercially prepared
  '18075', // Bread, whole-wheat, commercially prepared
  '20121', // Pasta, cooked, enriched, without added salt
  '08121', // Oats, cooked with water, without salt
  '16056', // Chickpeas, mature seeds, raw
  '14209', // Coffee, brewed
  '14355', // Tea, black, brewed
  '15236', // Salmon, Atlantic, farmed, raw
  '12061', // Almonds
  '16098', // Peanut butter, smooth style, with salt
  '11367', // Potatoes, boiled, cooked without skin, flesh, without salt
  '09132', // Grapes, red or green (European type), raw
  '09326', // Watermelon, raw
  '12087', // Nuts, cashew nuts, raw
]);

interface Label {
  words: string[];
  /** Brand words (SR28 spells brands in capitals: "McDONALD'S", "Cereals, QUAKER, ..."). */
  brand: Set<string>;
  /** SR28's head segment (before the first comma): its words, for the head-word bonus. */
  head: string[];
}

function labelsOf(c: Candidate): Label[] {
  const head = (text: string) => foodWords(text.split(',')[0] ?? '');
  if (c.source === 'usda_sr28') {
    const brand = new Set(
      c.name
        .split(/[^A-Za-z']+/)
        .filter((w) => /[A-Z]{2,}/.test(w))
        .flatMap((w) => foodWords(w)),
    );
    const labels: Label[] = [{ words: foodWords(c.name), head: head(c.name), brand }];
    for (const alias of c.aliases)
      labels.push({ words: foodWords(alias), head: foodWords(alias), brand: new Set() });
    return labels.filter((l) => l.words.length > 0);
  }
  // A curated name's parenthesis is another name for the dish: "Roti (chapati)", "Chole (chana masala)".
  const names = [c.name, ...(c.name.includes('(') ? c.name.split(/[()]/) : []), ...c.aliases];
  return names
    .map((text) => ({ words: foodWords(text, true), head: [], brand: new Set<string>() }))
    .filter((l) => l.words.length > 0);
}

/**
 * One spelling for the ways South-Asian names are romanised: doubled letters single, "oo" → "u",
 * "ee" → "i", aspirates plain ("dh" → "d", "th" → "t", "bh" → "b"), "w" → "v", a final "y" → "i"
 * (so "poori"/"puri", "dhal"/"dal", "chapathi"/"chapati", "wada"/"vada", "idly"/"idli" meet).
 */
export function phonetic(word: string): string {
  return word
    .replace(/oo/g, 'u')
    .replace(/ee/g, 'i')
    .replace(/([bcdgjkpt])h/g, '$1')
    .replace(/w/g, 'v')
    .replace(/(.)\1+/g, '$1')
    .replace(/y$/, 'i');
}

/** How alike two words are, 0..1: equal, one a stem of the other, or a small misspelling. */
export function wordMatch(q: string, w: string): number {
  if (q === w) return 1;
  const [short, long] = q.length <= w.length ? [q, w] : [w, q];
  // A stem ("chickpea", "chickpeas"), not a word inside a longer one ("cheese", "cheeseburger").
  if (short.length >= 4 && long.length - short.length <= 3 && long.startsWith(short)) return 0.85;
  if (short.length < 3) return 0;
  const pq = phonetic(q);
  const pw = phonetic(w);
  if (pq === pw) return 0.9;
  const distance = Math.min(editDistance(q, w), editDistance(pq, pw));
  const closeness = 1 - distance / long.length;
  // One edit in a word of 4+ letters ("biriyani", "sambhar"), two in one of 7+ ("chapathi", "gulabjamun").
  if ((distance === 1 && short.length >= 3) || (distance === 2 && long.length >= 7))
    return 0.8 * closeness + 0.1;
  return 0;
}

/** Damerau-Levenshtein (optimal string alignment) distance. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}

function scoreLabel(
  queryWords: string[],
  label: Label,
  source: FoodSource,
): { score: number; precision: number } {
  // Compound spellings: "gulabjamun" against "gulab jamun", "panipuri" against "pani puri".
  const joined = label.words.join('');
  const matchedLabel = new Set<number>();
  let covered = 0;
  for (const q of queryWords) {
    let best = 0;
    let bestIndex = -1;
    for (const [i, w] of label.words.entries()) {
      const m = wordMatch(q, w);
      if (m > best) {
        best = m;
        bestIndex = i;
      }
    }
    if (best < 1 && label.words.length > 1 && q.length >= 6) {
      const m = wordMatch(q, joined);
      if (m > best) {
        best = m;
        bestIndex = -2;
      }
    }
    if (bestIndex === -2) for (const i of label.words.keys()) matchedLabel.add(i);
    else if (bestIndex >= 0) matchedLabel.add(bestIndex);
    covered += best;
  }
  const coverage = covered / queryWords.length;
  // How much of the label the query accounts for; SR28 qualifiers weigh a fifth of a word.
  let labelWeight = 0;
  let matchedWeight = 0;
  for (const [i, w] of label.words.entries()) {
    const weight = source === 'usda_sr28' && QUALIFIERS.has(w) ? 0.2 : 1;
    labelWeight += weight;
    if (matchedLabel.has(i)) matchedWeight += weight;
  }
  const precision = labelWeight === 0 ? 0 : matchedWeight / labelWeight;
  // SR28 names put the food first ("Tomatoes, ...", not "Soup, tomato, ..."); curated names need no help.
  const headHit =
    source === 'usda_sr28' && label.head.some((h) => queryWords.some((q) => wordMatch(q, h) >= 0.8)) ? 1 : 0;
  // A branded item is what a query means when it names the brand.
  const brandMiss = label.words.some((w, i) => label.brand.has(w) && !matchedLabel.has(i)) ? 1 : 0;
  return {
    score: coverage * (0.7 + 0.3 * precision) + 0.06 * headHit * coverage - 0.12 * brandMiss,
    precision,
  };
}

function scoreCandidate(queryWords: string[], c: Candidate): number {
  let best = 0;
  let bestPrecision = 0;
  for (const label of labelsOf(c)) {
    const { score, precision } = scoreLabel(queryWords, label, c.source);
    if (score > best) {
      best = score;
      bestPrecision = precision;
    }
  }
  if (best === 0) return 0;
  const ndb = c.id.slice('usda_sr28:'.length);
  if (c.source === 'usda_sr28' && EVERYDAY.has(ndb)) best += 0.08;
  // Baby food, and Alaska Native / American Indian foods, are what a meal photo means least often.
  if (c.food_group === '0300' || c.food_group === '3500') best -= 0.05;
  // Curated dishes win ties and near-ties, the more so the more of the dish's name the query says
  // (so "tomatoes" stays with the tomato, not with "tomato rasam").
  if (c.source === 'in_curated') best += 0.08 * bestPrecision;
  return best;
}
