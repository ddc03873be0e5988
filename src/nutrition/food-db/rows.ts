import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Per100g, usdaFoods } from './data.ts';
import { normalizeFoodText } from './normalize.ts';
import { computeDishes } from './recipes.ts';
import { trigramName, trigramSchema } from './trgm.ts';

export type FoodSource = 'in_curated' | 'usda_sr28';

/** One row of food_items, as the migration loads it. */
export interface FoodRow extends Per100g {
  id: string;
  source: FoodSource;
  name: string;
  aliases: string[];
  food_group: string | null;
  search_text: string;
  typical_portion_g: number | null;
}

/** Every food: the curated dishes (macros computed from their recipes) and the USDA SR28 table. */
export function foodRows(): FoodRow[] {
  const curated = computeDishes().map(
    ({ dish, per100g }): FoodRow => ({
      id: `in_curated:${dish.key}`,
      source: 'in_curated',
      name: dish.name,
      aliases: dish.aliases,
      food_group: null,
      search_text: normalizeFoodText([dish.name, ...dish.aliases].join(' | '), true),
      typical_portion_g: dish.portion_g,
      ...per100g,
    }),
  );
  const usda = usdaFoods().map(
    (food): FoodRow => ({
      id: `usda_sr28:${food.ndb}`,
      source: 'usda_sr28',
      name: food.name,
      aliases: food.commonName === '' ? [] : food.commonName.split(/\s*,\s*/),
      food_group: food.group,
      search_text: normalizeFoodText(`${food.name} | ${food.commonName}`),
      typical_portion_g: food.portionG,
      ...food.per100g,
    }),
  );
  return [...curated, ...usda];
}

/**
 * Inserts the rows in one statement: they travel as one JSON parameter that the server expands
 * (json_to_recordset): one round trip and one parse.
 */
export async function insertFoodItems<DB>(db: Kysely<DB>, rows: FoodRow[]): Promise<void> {
  await sql`
    insert into food_items (id, source, name, aliases, food_group, search_text, calories_kcal, protein_g,
      carbs_g, fat_g, fiber_g, sugar_g, sodium_mg, typical_portion_g)
    select id, source, name, aliases, food_group, search_text, calories_kcal, protein_g,
      carbs_g, fat_g, fiber_g, sugar_g, sodium_mg, typical_portion_g
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(id text, source text, name text, aliases text[],
      food_group text, search_text text, calories_kcal double precision, protein_g double precision,
      carbs_g double precision, fat_g double precision, fiber_g double precision, sugar_g double precision,
      sodium_mg double precision, typical_portion_g double precision)`.execute(db);
}

let versionCache: string | undefined;

/** A digest of every row as this code builds it: what food_items_version records once loaded. */
export function foodDataVersion(rows?: FoodRow[]): string {
  versionCache ??= createHash('sha256')
    .update(JSON.stringify(rows ?? foodRows()))
    .digest('hex')
    .slice(0, 32);
  return versionCache;
}

const synced = new WeakMap<object, Promise<void>>();

/**
 * Makes food_items hold the committed data, loading it on the first search of a process rather than
 * in the migration: every fresh database (each test server, each PGlite) migrates, few ever search
 * foods, and the load (building ~8.9k rows, inserting them, maintaining the trigram index) costs about
 * a second on PGlite. The table records the version it holds, so a change to the data files or to the
 * normalisation reloads it by itself, with no migration. Concurrent first searches (several processes
 * on one PostgreSQL schema) meet at an advisory lock; the loser finds the data current and returns.
 */
export function ensureFoodItems<DB>(db: Kysely<DB>): Promise<void> {
  let done = synced.get(db);
  if (done === undefined) {
    done = syncFoodItems(db);
    done.catch(() => synced.delete(db));
    // A transaction object lives for one transaction: remembering it would only leak.
    if (!db.isTransaction) synced.set(db, done);
  }
  return done;
}

async function syncFoodItems<DB>(db: Kysely<DB>): Promise<void> {
  // Built once: the digest needs the rows, and so does a load.
  let rows = versionCache === undefined ? foodRows() : undefined;
  const version = foodDataVersion(rows);
  const current = async (trx: Kysely<DB>) =>
    (await sql<{ version: string }>`select version from food_items_version`.execute(trx)).rows[0]?.version ===
    version;
  if (await current(db)) return;
  const load = async (trx: Kysely<DB>) => {
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.food_items'))`.execute(trx);
    if (await current(trx)) return;
    rows ??= foodRows();
    // The index is dropped for the load and built again after it: one build costs about half of
    // maintaining it row by row (measured on PGlite).
    const trgm = await trigramSchema(trx);
    await sql`drop index if exists food_items_search_trgm`.execute(trx);
    await sql`delete from food_items`.execute(trx);
    await insertFoodItems(trx, rows);
    await sql`create index food_items_search_trgm on food_items using gin (search_text ${trigramName(trgm, 'gin_trgm_ops')})`.execute(
      trx,
    );
    await sql`delete from food_items_version`.execute(trx);
    await sql`insert into food_items_version (version, loaded_at) values (${version}, now())`.execute(trx);
  };
  if (db.isTransaction) await load(db);
  else await db.transaction().execute(load);
}
