import { type Kysely, sql } from 'kysely';
import { trigramName, trigramSchema } from '../../nutrition/food-db/trgm.ts';

/**
 * Nutrition (issue 19): the food table the meal recogniser matches dish names against: curated Indian
 * and South-Asian dishes (data/food/in-curated.ts, macros computed from their recipes) and the USDA SR28
 * table (data/food/usda-sr28.tsv), searched through a trigram index.
 *
 * The rows are not loaded here but on the first search (ensureFoodItems in src/nutrition/food-db/rows.ts):
 * every fresh database migrates, few search foods, and the table then follows the data files by itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One extension per database, shared by every schema in it (see trgm.ts); concurrent migrations of
  // several schemas are already serialised by the migrator's advisory lock.
  await sql`create extension if not exists pg_trgm schema public`.execute(db);
  const trgm = await trigramSchema(db);
  await sql`
    create table food_items (
      id text primary key,
      source text not null check (source in ('in_curated', 'usda_sr28')),
      name text not null,
      aliases text[] not null default '{}',
      food_group text,
      search_text text not null,
      calories_kcal double precision not null,
      protein_g double precision not null,
      carbs_g double precision not null,
      fat_g double precision not null,
      fiber_g double precision,
      sugar_g double precision,
      sodium_mg double precision,
      typical_portion_g double precision
    )`.execute(db);
  await sql`create index food_items_search_trgm on food_items using gin (search_text ${trigramName(trgm, 'gin_trgm_ops')})`.execute(
    db,
  );
  // The version of the data food_items holds (one row), so that a change to the data reloads it.
  await sql`create table food_items_version (version text not null, loaded_at timestamptz not null)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The extension stays: other schemas of the same database may use it.
  await sql`drop table if exists food_items_version`.execute(db);
  await sql`drop table if exists food_items`.execute(db);
}
