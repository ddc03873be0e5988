import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AnnouncementsTable } from '../db/schema.ts';

export type AnnouncementRow = Selectable<AnnouncementsTable>;
export type AnnouncementWithPublisher = AnnouncementRow & { published_by_email: string | null };

export interface NewAnnouncement {
  severity: AnnouncementRow['severity'];
  title: string;
  body: string;
  cta_label: string | null;
  cta_url: string | null;
  published_by: string;
}

/** The one active announcement (a unique partial index keeps it to one), if any. */
export function activeAnnouncement(db: Db): Promise<AnnouncementRow | undefined> {
  return db.selectFrom('announcements').selectAll().where('active', '=', true).executeTakeFirst();
}

export function findAnnouncement(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<AnnouncementRow | undefined> {
  const query = db.selectFrom('announcements').selectAll().where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * Deactivates whatever is active, then inserts the new one as active. Call it inside a transaction: the
 * two statements must commit together, or the index would see either none or two active rows. Returns
 * the new row and the id of the one it replaced.
 */
export async function publishAnnouncement(
  trx: Db,
  input: NewAnnouncement,
): Promise<{ row: AnnouncementRow; replaced: string | null }> {
  const now = new Date();
  const previous = await trx
    .updateTable('announcements')
    .set({ active: false, deactivated_at: now })
    .where('active', '=', true)
    .returning('id')
    .executeTakeFirst();
  const row = await trx
    .insertInto('announcements')
    .values({ id: randomUUID(), ...input, active: true, published_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, replaced: previous?.id ?? null };
}

export function deactivateAnnouncement(trx: Db, id: string): Promise<AnnouncementRow | undefined> {
  return trx
    .updateTable('announcements')
    .set({ active: false, deactivated_at: new Date() })
    .where('id', '=', id)
    .where('active', '=', true)
    .returningAll()
    .executeTakeFirst();
}

/** Newest first, with the publisher's email (null once that account is gone). */
export async function announcementHistory(
  db: Db,
  page: { limit: number; offset: number },
): Promise<{ rows: AnnouncementWithPublisher[]; total: number }> {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('announcements')
      .leftJoin('developers', 'developers.id', 'announcements.published_by')
      .selectAll('announcements')
      .select('developers.email as published_by_email')
      .orderBy('announcements.published_at', 'desc')
      .orderBy('announcements.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db
      .selectFrom('announcements')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
