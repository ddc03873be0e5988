import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Db } from '../db/database.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * Keeps what a source sent, gzip-compressed, so normalisation can be re-run when a mapper is fixed and
 * an interrupted run can be resumed from exactly the bytes that were accepted.
 */
export async function archiveRawPayload(
  db: Db,
  payload: { userId: string; provider: string; kind: string; contentType: string; body: Uint8Array | string },
): Promise<number> {
  const bytes = typeof payload.body === 'string' ? Buffer.from(payload.body) : payload.body;
  // Level 1: several times faster than the default for ~10% more bytes; ingest is on the hot path.
  const compressed = await gzipAsync(bytes, { level: 1 });
  const row = await db
    .insertInto('raw_payloads')
    .values({
      user_id: payload.userId,
      provider: payload.provider,
      kind: payload.kind,
      content_type: payload.contentType,
      encoding: 'gzip',
      size_bytes: bytes.byteLength,
      body: compressed,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function readRawPayload(
  db: Db,
  id: number,
): Promise<{ kind: string; body: Buffer } | undefined> {
  const row = await db
    .selectFrom('raw_payloads')
    .select(['kind', 'body', 'encoding'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    kind: row.kind,
    body: row.encoding === 'gzip' ? await gunzipAsync(row.body) : Buffer.from(row.body),
  };
}
