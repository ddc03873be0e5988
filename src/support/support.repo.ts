import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { SupportTicketsTable } from '../db/schema.ts';

export type SupportTicketRow = Selectable<SupportTicketsTable>;
export type SupportTicketListed = SupportTicketRow & {
  developer_email: string | null;
  resolved_by_email: string | null;
};

export function createTicket(
  trx: Db,
  input: { email: string; name: string | null; subject: string; message: string; developerId: string | null },
): Promise<SupportTicketRow> {
  return trx
    .insertInto('support_tickets')
    .values({
      id: randomUUID(),
      email: input.email,
      name: input.name,
      subject: input.subject,
      message: input.message,
      developer_id: input.developerId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Newest first; `q` matches email, name, subject or message (case-insensitive substring). */
export async function listTickets(
  db: Db,
  query: { status?: 'open' | 'resolved' | undefined; q?: string | undefined; limit: number; offset: number },
): Promise<{ rows: SupportTicketListed[]; total: number; open: number }> {
  let base = db.selectFrom('support_tickets as t');
  if (query.status !== undefined) base = base.where('t.status', '=', query.status);
  if (query.q !== undefined && query.q !== '') {
    const pattern = `%${escapeLike(query.q)}%`;
    base = base.where((eb) =>
      eb.or([
        eb('t.email', 'ilike', pattern),
        eb(sql<string>`coalesce(t.name, '')`, 'ilike', pattern),
        eb('t.subject', 'ilike', pattern),
        eb('t.message', 'ilike', pattern),
      ]),
    );
  }
  const [rows, count, open] = await Promise.all([
    base
      .leftJoin('developers as d', 'd.id', 't.developer_id')
      .leftJoin('developers as r', 'r.id', 't.resolved_by')
      .selectAll('t')
      .select(['d.email as developer_email', 'r.email as resolved_by_email'])
      .orderBy('t.created_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('support_tickets')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n), open: Number(open.n) };
}

export function findTicket(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.selectFrom('support_tickets').selectAll().where('id', '=', id);
  return (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

/** With the emails the admin list shows. */
export function findTicketListed(db: Db, id: string): Promise<SupportTicketListed | undefined> {
  return db
    .selectFrom('support_tickets as t')
    .leftJoin('developers as d', 'd.id', 't.developer_id')
    .leftJoin('developers as r', 'r.id', 't.resolved_by')
    .selectAll('t')
    .select(['d.email as developer_email', 'r.email as resolved_by_email'])
    .where('t.id', '=', id)
    .executeTakeFirst();
}

export function setTicketResolved(
  trx: Db,
  id: string,
  resolved: { by: string } | null,
): Promise<SupportTicketRow | undefined> {
  return trx
    .updateTable('support_tickets')
    .set(
      resolved === null
        ? { status: 'open', resolved_at: null, resolved_by: null }
        : { status: 'resolved', resolved_at: new Date(), resolved_by: resolved.by },
    )
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
