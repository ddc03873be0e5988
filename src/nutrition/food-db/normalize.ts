/**
 * One normalisation for food names, aliases and queries, so that they meet on the same words:
 * lowercase ASCII, punctuation and digits-with-units out, simple plurals made singular
 * ("tomatoes" → "tomato", "idlis" → "idli", "berries" → "berry"), filler words dropped.
 */

/** Words that say nothing about which food it is (in a query or in an SR28 description). */
const FILLER = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'with',
  'in',
  'on',
  'or',
  'for',
  'some',
  'plate',
  'bowl',
  'serving',
  'piece',
  'pieces',
  'cup',
  'glass',
  'slice',
  'homemade',
  'home',
  'style',
]);

/**
 * Names, aliases and queries all go through the same rules, so a rule only has to be consistent, not
 * grammatical; these few words would otherwise lose a letter that makes them another word.
 */
const KEEP = new Set(['hummus', 'couscous', 'asparagus', 'swiss', 'citrus', 'molasses', 'grits', 'oats']);

export function singular(word: string): string {
  if (word.length <= 3 || KEEP.has(word) || word.endsWith('ss') || word.endsWith('us')) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`; // berries → berry
  if (word.endsWith('ied') && word.length > 4) return `${word.slice(0, -3)}y`; // fried → fry, meets "fries"
  if (/(?:oes|ches|shes|xes)$/.test(word)) return word.slice(0, -2); // tomatoes, peaches
  return word.endsWith('s') ? word.slice(0, -1) : word; // bananas, idlis, samosas
}

/** The words of a text: lowercase, accents off, split on anything but letters and digits. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/'s\b/g, '') // McDONALD'S, chef's
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Units and counting words a query may carry ("200 g rice", "1 cup dal", "two rotis"). */
const UNITS = new Set([
  'g',
  'gm',
  'gms',
  'gram',
  'kg',
  'ml',
  'oz',
  'lb',
  'cup',
  'tbsp',
  'tsp',
  'half',
  'one',
  'two',
  'three',
]);

/**
 * The words that identify a food: filler dropped, plurals singular. Numbers are dropped (quantities,
 * SR28's "3.25% milkfat", "8 grams protein per 8 ounce") unless `keepNumbers` (curated names and
 * queries: "chicken 65"), and even then a leading one is a quantity ("2 idlis").
 */
export function foodWords(text: string, keepNumbers = false): string[] {
  const all = words(text).filter((w) => !FILLER.has(w));
  const out: string[] = [];
  for (const [i, w] of all.entries()) {
    if (/^\d/.test(w)) {
      // A number: kept only where asked, never a leading quantity or one glued to its unit ("200g").
      if (keepNumbers && i > 0 && /^\d+$/.test(w)) out.push(w);
      continue;
    }
    const word = singular(w);
    if (!UNITS.has(word)) out.push(word);
  }
  return out;
}

/** The normalised text stored in food_items.search_text and sent to the trigram index. */
export function normalizeFoodText(text: string, keepNumbers = false): string {
  return foodWords(text, keepNumbers).join(' ');
}
