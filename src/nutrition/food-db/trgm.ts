import { type Kysely, sql } from 'kysely';

/**
 * The schema pg_trgm lives in. The migration installs it in `public` (one extension per database, and
 * every WearLink schema in that database, each test's included, shares it; inside an app schema a
 * `drop schema ... cascade` would take it away from the others), but an operator may have installed it
 * elsewhere first: its functions, operators and operator class are always named through this schema,
 * since the app's search_path holds only its own schema.
 */
const cache = new WeakMap<object, Promise<string>>();

export function trigramSchema<DB>(db: Kysely<DB>): Promise<string> {
  let schema = cache.get(db);
  if (schema === undefined) {
    schema = sql<{ schema: string }>`
      select n.nspname as schema from pg_catalog.pg_extension e
      join pg_catalog.pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`
      .execute(db)
      .then(({ rows }) => {
        const found = rows[0]?.schema;
        if (found === undefined)
          throw new Error('pg_trgm is not installed (migration 0014_food_db installs it)');
        return found;
      });
    schema.catch(() => cache.delete(db));
    cache.set(db, schema);
  }
  return schema;
}

const quoted = (schema: string) => `"${schema.replace(/"/g, '""')}"`;

/** `"schema".name`, for a function or operator class of pg_trgm. */
export function trigramName(schema: string, name: string) {
  return sql.raw(`${quoted(schema)}.${name}`);
}

/** `operator("schema".op)`, for one of pg_trgm's operators. */
export function trigramOperator(schema: string, op: '<%' | '%') {
  return sql.raw(`operator(${quoted(schema)}.${op})`);
}
