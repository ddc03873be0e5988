import type { Db } from '../db/database.ts';
import { type AuditLogRow, auditChainHead, auditedDevelopers, auditRowsInOrder } from './audit.repo.ts';
import { auditRowHash, GENESIS_HASH, type HashedAuditFields } from './audit-log.ts';

export interface ChainReport {
  developerId: string;
  /** Rows read (up to the first break). */
  rows: number;
  ok: boolean;
  /** The first broken seq (the row that does not hold, or where one is missing); absent when ok. */
  badSeq?: number;
  reason?: string;
}

/** The fields a stored row's hash covers, as `recordAudit` hashed them. */
export function hashedFieldsOf(row: AuditLogRow): HashedAuditFields {
  return {
    developer_id: row.developer_id,
    seq: Number(row.seq),
    actor_type: row.actor_type,
    actor_id: row.actor_id,
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    ip: row.ip,
    user_agent: row.user_agent,
    request_id: row.request_id,
    // jsonb comes back parsed (drivers differ on nothing here); a string would be a driver's raw text.
    detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail,
    created_at: row.created_at.toISOString(),
  };
}

/**
 * Checks one developer's trail: seqs run 1, 2, 3… without a gap, each row's `prev_hash` is the previous
 * row's `hash` (the genesis hash for the first), each `hash` is what the row's stored fields hash to,
 * and the chain head names the last row. Rows are read a page at a time, so any length fits in memory.
 * Stops at the first break, which is what an operator needs to look at.
 */
export async function verifyDeveloperChain(
  db: Db,
  developerId: string,
  pageSize = 1000,
): Promise<ChainReport> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  const broken = (badSeq: number, reason: string): ChainReport => ({
    developerId,
    rows,
    ok: false,
    badSeq,
    reason,
  });
  for await (const page of auditRowsInOrder(db, { developerId }, { pageSize })) {
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return broken(expectedSeq, `row seq ${expectedSeq} is missing (next stored row is seq ${seq})`);
      }
      if (row.prev_hash !== prevHash) {
        return broken(
          seq,
          'prev_hash does not match the previous row’s hash (a row was removed or replaced)',
        );
      }
      if (auditRowHash(prevHash, hashedFieldsOf(row)) !== row.hash) {
        return broken(seq, 'hash does not match the row’s contents (the row was changed)');
      }
      prevHash = row.hash;
      expectedSeq = seq + 1;
      rows++;
    }
  }
  const head = await auditChainHead(db, developerId);
  const lastSeq = expectedSeq - 1;
  if (head === undefined) {
    if (rows > 0) return broken(1, 'rows exist but the chain head is missing');
  } else if (
    head.seq !== lastSeq ||
    (lastSeq > 0 && head.hash !== prevHash) ||
    (lastSeq === 0 && head.hash !== GENESIS_HASH)
  ) {
    // The head is written with every row: a head ahead of the rows means the newest rows were removed.
    return broken(
      Math.min(head.seq, lastSeq) + 1,
      head.seq > lastSeq
        ? `the chain head is at seq ${head.seq} but the rows end at seq ${lastSeq} (rows removed from the end)`
        : `the chain head (seq ${head.seq}) does not name the last row (seq ${lastSeq})`,
    );
  }
  return { developerId, rows, ok: true };
}

/** Every developer's trail (or the one named), one report each, in developer id order. */
export async function verifyAuditChains(db: Db, developerId?: string): Promise<ChainReport[]> {
  const developers = developerId === undefined ? await auditedDevelopers(db) : [developerId];
  const reports: ChainReport[] = [];
  for (const id of developers) reports.push(await verifyDeveloperChain(db, id));
  return reports;
}

/**
 * `wearlink audit verify [--developer <id>]`: one line per developer, then a summary. Exit code 0 when
 * every chain holds, 1 when any is broken (naming its first bad seq), 2 for a malformed developer id.
 */
export async function verifyAuditFromCli(
  db: Db,
  options: { developer?: string | undefined },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const only = options.developer?.toLowerCase();
  if (only !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(only)) {
    err('wearlink: --developer must be a developer id (a UUID)');
    return 2;
  }
  const reports = await verifyAuditChains(db, only);
  let broken = 0;
  for (const r of reports) {
    if (r.ok) out(`developer ${r.developerId}: ok (${r.rows} rows)`);
    else {
      broken++;
      out(`developer ${r.developerId}: BROKEN at seq ${r.badSeq}: ${r.reason}`);
    }
  }
  if (reports.length === 0) out('No audit log rows.');
  if (broken > 0) {
    err(`wearlink: audit log tampering detected in ${broken} of ${reports.length} developer trail(s)`);
    return 1;
  }
  out(`Audit log verified: ${reports.length} developer trail(s) intact.`);
  return 0;
}
