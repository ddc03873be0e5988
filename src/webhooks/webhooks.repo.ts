import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { webhookEndpointContext } from '../crypto/contexts.ts';
import { SecretBox, SecretOpenError } from '../crypto/secret-box.ts';
import type { Db } from '../db/database.ts';
import type { WebhookEndpointRow } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';
import { newMessageId, wakeDelivery, wakeDeliverySql } from './outbox.ts';
import { generateSecret } from './signing.ts';

export function newEndpointId(): string {
  return `ep_${randomBytes(12).toString('base64url')}`;
}

/**
 * An endpoint's signing secrets in plaintext (`whsec_…`). They are sealed at rest; a row still in
 * plaintext (written before secrets were sealed, by a node not yet upgraded) is read as it is, and
 * sealed by the next start (`sealLegacyWebhookSecrets`). Throws `SecretOpenError` when a value cannot
 * be opened.
 *
 * @example
 * const { secret } = openEndpointSecrets(deps.secrets, row); // 'whsec_…'
 */
export function openEndpointSecrets(
  secrets: SecretBox,
  row: { id: string; secret: string; previous_secret: string | null },
): { secret: string; previous_secret: string | null } {
  const open = (value: string, column: 'secret' | 'previous_secret') =>
    SecretBox.isSealed(value) ? secrets.open(value, webhookEndpointContext(row.id, column)) : value;
  return {
    secret: open(row.secret, 'secret'),
    previous_secret: row.previous_secret === null ? null : open(row.previous_secret, 'previous_secret'),
  };
}

export function createEndpoint(
  db: Db,
  secrets: SecretBox,
  input: {
    developerId: string;
    url: string;
    description: string | null;
    filterTypes: string[];
    enabled: boolean;
  },
): Promise<WebhookEndpointRow> {
  const id = newEndpointId();
  return db
    .insertInto('webhook_endpoints')
    .values({
      id,
      developer_id: input.developerId,
      url: input.url,
      description: input.description,
      filter_types: input.filterTypes,
      enabled: input.enabled,
      secret: secrets.seal(generateSecret(), webhookEndpointContext(id, 'secret')),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listEndpoints(db: Db, developerId: string): Promise<WebhookEndpointRow[]> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('developer_id', '=', developerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Every lookup is scoped to the developer: another tenant's endpoint does not exist. */
export function findEndpoint(
  db: Db,
  developerId: string,
  id: string,
): Promise<WebhookEndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateEndpoint(
  db: Db,
  developerId: string,
  id: string,
  changes: { url?: string; description?: string | null; filterTypes?: string[]; enabled?: boolean },
): Promise<WebhookEndpointRow | undefined> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      updated_at: new Date(),
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.filterTypes !== undefined ? { filter_types: changes.filterTypes } : {}),
      // Re-enabling starts the failure clock afresh.
      ...(changes.enabled === true
        ? { enabled: true, disabled_reason: null, failing_since: null, consecutive_failures: 0 }
        : {}),
      ...(changes.enabled === false ? { enabled: false, disabled_reason: 'disabled by the developer' } : {}),
    })
    .where('developer_id', '=', developerId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  // A re-enabled endpoint's backlog is due now, not at the next poll.
  if (row !== undefined && changes.enabled === true) await wakeDelivery(db);
  return row;
}

/** The deleted endpoint's URL; undefined when there was none. */
export function deleteEndpoint(
  db: Db,
  developerId: string,
  id: string,
): Promise<Pick<WebhookEndpointRow, 'url'> | undefined> {
  return db
    .deleteFrom('webhook_endpoints')
    .where('developer_id', '=', developerId)
    .where('id', '=', id)
    .returning('url')
    .executeTakeFirst();
}

/**
 * The old secret keeps signing (next to the new one) for `overlapSeconds`, so receivers can switch over.
 * Both are sealed, each with its own column's context, so the old one is opened and sealed again under
 * the row lock (two rotations at once each move the secret the other left).
 */
export function rotateSecret(
  db: Db,
  secrets: SecretBox,
  developerId: string,
  id: string,
  overlapSeconds: number,
): Promise<WebhookEndpointRow | undefined> {
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('webhook_endpoints')
      .select(['id', 'secret', 'previous_secret'])
      .where('developer_id', '=', developerId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (current === undefined) return undefined;
    let old: string | undefined;
    try {
      old = openEndpointSecrets(secrets, { ...current, previous_secret: null }).secret;
    } catch (error) {
      // A secret no configured key opens cannot keep signing: rotating is how its owner gets a new one.
      if (!(error instanceof SecretOpenError)) throw error;
    }
    return trx
      .updateTable('webhook_endpoints')
      .set({
        previous_secret:
          old === undefined ? null : secrets.seal(old, webhookEndpointContext(id, 'previous_secret')),
        previous_secret_expires_at: old === undefined ? null : new Date(Date.now() + overlapSeconds * 1000),
        secret: secrets.seal(generateSecret(), webhookEndpointContext(id, 'secret')),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

/** A test message to one endpoint, whatever its filters (a disabled endpoint gets it once re-enabled). */
export async function enqueueTestMessage(
  db: Db,
  endpoint: WebhookEndpointRow,
  type: string,
  data: Record<string, unknown>,
): Promise<string> {
  const id = newMessageId();
  const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
  // One statement (its own transaction): the message, its delivery and the wake-up commit together in one
  // round trip instead of five. A disabled endpoint's message waits for its re-enabling, which wakes the
  // loops then.
  await sql`
    with message as (
      insert into webhook_messages (id, developer_id, event_type, payload)
      values (${id}, ${endpoint.developer_id}, ${type}, ${payload})
      returning id
    ),
    delivery as (
      insert into webhook_deliveries (message_id, endpoint_id) select id, ${endpoint.id} from message
    )
    select ${endpoint.enabled ? wakeDeliverySql : sql`null`} from message`.execute(db);
  return id;
}

export interface AttemptRow {
  id: number;
  message_id: string;
  event_type: string;
  attempt: number;
  status_code: number | null;
  response_excerpt: string | null;
  error: string | null;
  duration_ms: number;
  next_attempt_at: Date | null;
  created_at: Date;
  delivery_status: string;
}

/** Newest first; `before` is the last id of the previous page. */
export async function listAttempts(
  db: Db,
  endpointId: string,
  options: { limit: number; before?: number; messageId?: string },
): Promise<AttemptRow[]> {
  let query = db
    .selectFrom('webhook_attempts as a')
    .innerJoin('webhook_messages as m', 'm.id', 'a.message_id')
    .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
    .select([
      'a.id',
      'a.message_id',
      'm.event_type',
      'a.attempt',
      'a.status_code',
      'a.response_excerpt',
      'a.error',
      'a.duration_ms',
      'a.next_attempt_at',
      'a.created_at',
      'd.status as delivery_status',
    ])
    .where('a.endpoint_id', '=', endpointId)
    .orderBy('a.id', 'desc')
    .limit(options.limit);
  if (options.before !== undefined) query = query.where('a.id', '<', options.before);
  if (options.messageId !== undefined) query = query.where('a.message_id', '=', options.messageId);
  return query.execute();
}

export async function countAttempts(db: Db, endpointId: string, messageId?: string): Promise<number> {
  let query = db
    .selectFrom('webhook_attempts')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('endpoint_id', '=', endpointId);
  if (messageId !== undefined) query = query.where('message_id', '=', messageId);
  return (await query.executeTakeFirstOrThrow()).n;
}
