import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { ValidationError } from '../shared/errors.ts';

/**
 * Time zones a user may have: names both the database and ICU know. The database applies the zone in
 * SQL (rollups, local days), and its tz data is not ICU's: `US/Pacific-New` is in Node's ICU and not in
 * PostgreSQL's, so a zone accepted on ICU's word alone made every hourly read of that user fail.
 * The names come from `pg_timezone_names`, read once per database (the view scans the zone files).
 */
const zonesByDb = new WeakMap<Db, Promise<ReadonlyMap<string, string>>>();

function databaseZones(db: Db): Promise<ReadonlyMap<string, string>> {
  let zones = zonesByDb.get(db);
  if (zones === undefined) {
    zones = sql<{ name: string }>`select name from pg_timezone_names`
      .execute(db)
      .then(({ rows }) => new Map(rows.map((r) => [r.name.toLowerCase(), r.name])));
    // A failed read is not cached: the next call asks again.
    zones.catch(() => zonesByDb.delete(db));
    zonesByDb.set(db, zones);
  }
  return zones;
}

function icuKnows(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The database's spelling of `zone` (matched without regard to case), or undefined if either side does not know it. */
export async function knownTimezone(db: Db, zone: string): Promise<string | undefined> {
  const name = (await databaseZones(db)).get(zone.toLowerCase());
  return name !== undefined && icuKnows(name) ? name : undefined;
}

/**
 * The zone to apply for a user's stored `timezone`: UTC when unset, or when it is one the database does
 * not know (stored before zones were checked), so such a user's writes and reads keep working.
 */
export async function effectiveTimezone(db: Db, stored: string | null | undefined): Promise<string> {
  if (stored === null || stored === undefined || stored === 'UTC') return 'UTC';
  return (await knownTimezone(db, stored)) ?? 'UTC';
}

/**
 * A request's `timezone` as it will be stored (the database's spelling), or a 422 naming the field
 * when the database or ICU does not know it. Null and absent pass through.
 */
export async function checkedTimezone<T extends string | null | undefined>(db: Db, zone: T): Promise<T> {
  if (zone === null || zone === undefined) return zone;
  const known = await knownTimezone(db, zone);
  if (known === undefined) {
    throw new ValidationError([
      {
        loc: ['body', 'timezone'],
        msg: 'must be an IANA time zone the database knows, such as Europe/Berlin',
        type: 'value_error',
      },
    ]);
  }
  return known as T;
}
