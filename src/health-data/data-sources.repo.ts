import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { type SourceDescriptor, sourceFingerprint } from './canonical.ts';

/**
 * Returns the data-source id of each descriptor (same order), creating the missing ones. Sorted by
 * fingerprint so concurrent batches take row locks in one order and cannot deadlock.
 */
export async function upsertDataSources(
  db: Db,
  userId: string,
  sources: SourceDescriptor[],
): Promise<number[]> {
  if (sources.length === 0) return [];
  const rows = sources.map((s) => ({
    user_id: userId,
    provider: s.provider,
    device_name: s.deviceName ?? null,
    device_model: s.deviceModel ?? null,
    device_type: s.deviceType ?? null,
    device_manufacturer: s.deviceManufacturer ?? null,
    app_name: s.appName ?? null,
    app_id: s.appId ?? null,
    software_version: s.softwareVersion ?? null,
    fingerprint: sourceFingerprint(s),
  }));
  const unique = [...new Map(rows.map((r) => [r.fingerprint, r])).values()].sort((a, b) =>
    a.fingerprint < b.fingerprint ? -1 : 1,
  );
  const saved = await db
    .insertInto('data_sources')
    .values(unique)
    .onConflict((oc) =>
      oc.columns(['user_id', 'fingerprint']).doUpdateSet({
        software_version: sql`coalesce(excluded.software_version, data_sources.software_version)`,
      }),
    )
    .returning(['id', 'fingerprint'])
    .execute();
  const ids = new Map(saved.map((r) => [r.fingerprint, r.id]));
  return rows.map((r) => {
    const id = ids.get(r.fingerprint);
    if (id === undefined) throw new Error(`data source ${r.fingerprint} was not saved`);
    return id;
  });
}
