import { randomUUID } from 'node:crypto';
import { providerSubscriptionContext } from '../../crypto/contexts.ts';
import { SecretOpenError } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import type { ConnectionRow, ProviderSubscriptionRow } from '../../db/schema.ts';
import type { ProviderRuntime } from '../runtime.ts';

/**
 * `provider_subscriptions`: what WearLink created at a vendor so that it sends webhooks, one row per
 * app (`kind = 'app'`, Oura, Strava, Polar) or per connection (`kind = 'user'`, Withings).
 * A signing secret a vendor hands out on creation (Polar's `signature_secret_key`, shown once) is kept
 * sealed in `details.webhook_secret_sealed`, never in plain text.
 */
export type SubscriptionKind = 'app' | 'user';

/** Re-sealed by `wearlink secrets rotate` (src/crypto/sealed-columns.ts names this field). */
const SEALED_SECRET = 'webhook_secret_sealed';

export function findAppSubscription(
  db: Db,
  provider: string,
  developerId: string | null,
): Promise<ProviderSubscriptionRow | undefined> {
  return db
    .selectFrom('provider_subscriptions')
    .selectAll()
    .where('provider', '=', provider)
    .where('kind', '=', 'app')
    .where('connection_id', 'is', null)
    .where('developer_id', 'is not distinct from', developerId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}

export function findUserSubscription(
  db: Db,
  provider: string,
  connectionId: string,
): Promise<ProviderSubscriptionRow | undefined> {
  return db
    .selectFrom('provider_subscriptions')
    .selectAll()
    .where('provider', '=', provider)
    .where('kind', '=', 'user')
    .where('connection_id', '=', connectionId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
}

/**
 * A row's details as its vendor adapter sees them: a secret sealed in the row comes back opened as
 * `webhook_secret` (as the adapter once returned it), or is left out when it will not open (the adapter
 * then knows it has none and can make the vendor issue a new one).
 */
export function adapterDetails(
  runtime: Pick<ProviderRuntime, 'secrets'>,
  row: ProviderSubscriptionRow,
): Record<string, unknown> {
  const { [SEALED_SECRET]: sealed, ...rest } = row.details;
  if (typeof sealed !== 'string') return rest;
  try {
    return { ...rest, webhook_secret: runtime.secrets.open(sealed, providerSubscriptionContext(row.id)) };
  } catch (error) {
    if (!(error instanceof SecretOpenError)) throw error;
    return rest;
  }
}

/**
 * Creates or updates a subscription row. A `webhook_secret` string in `details` is sealed (bound to the
 * row) instead of stored; without one, a secret sealed earlier is kept.
 */
export async function saveSubscription(
  runtime: Pick<ProviderRuntime, 'db' | 'secrets'>,
  existing: ProviderSubscriptionRow | undefined,
  input: {
    provider: string;
    developerId: string | null;
    connectionId: string | null;
    kind: SubscriptionKind;
    vendorSubscriptionId: string | null;
    callbackUrl: string;
    expiresAt: Date | null;
    details: Record<string, unknown>;
  },
): Promise<ProviderSubscriptionRow> {
  const id = existing?.id ?? randomUUID();
  const { webhook_secret: secret, ...details } = input.details;
  if (typeof secret === 'string' && secret !== '')
    details[SEALED_SECRET] = runtime.secrets.seal(secret, providerSubscriptionContext(id));
  else if (existing?.details[SEALED_SECRET] !== undefined)
    details[SEALED_SECRET] = existing.details[SEALED_SECRET];
  const values = {
    vendor_subscription_id: input.vendorSubscriptionId,
    callback_url: input.callbackUrl,
    expires_at: input.expiresAt,
    details: JSON.stringify(details),
    updated_at: new Date(),
  };
  if (existing !== undefined)
    return runtime.db
      .updateTable('provider_subscriptions')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  return runtime.db
    .insertInto('provider_subscriptions')
    .values({
      id,
      provider: input.provider,
      developer_id: input.developerId,
      connection_id: input.connectionId,
      kind: input.kind,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Marks a subscription as checked now (the vendor said nothing needed changing). */
export async function touchSubscription(db: Db, id: string): Promise<void> {
  await db
    .updateTable('provider_subscriptions')
    .set({ updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function deleteSubscription(db: Db, id: string): Promise<void> {
  await db.deleteFrom('provider_subscriptions').where('id', '=', id).execute();
}

/**
 * Signing secrets vendors handed out when WearLink subscribed (Polar), per app (`developerId` null:
 * the instance default). A secret that will not open is logged and left out.
 */
export async function subscriptionWebhookSecrets(
  runtime: Pick<ProviderRuntime, 'db' | 'secrets' | 'logger'>,
  provider: string,
): Promise<{ developerId: string | null; secret: string }[]> {
  const rows = await runtime.db
    .selectFrom('provider_subscriptions')
    .selectAll()
    .where('provider', '=', provider)
    .where('kind', '=', 'app')
    .execute();
  const out: { developerId: string | null; secret: string }[] = [];
  for (const row of rows) {
    const sealed = row.details[SEALED_SECRET];
    if (typeof sealed !== 'string') continue;
    try {
      out.push({
        developerId: row.developer_id,
        secret: runtime.secrets.open(sealed, providerSubscriptionContext(row.id)),
      });
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      runtime.logger.warn(
        { provider, subscription_id: row.id },
        'subscription secret cannot be opened; skipped',
      );
    }
  }
  return out;
}

/** Active connections of a per-user vendor with no subscription row, oldest first. */
export function connectionsWithoutSubscription(
  db: Db,
  provider: string,
  limit: number,
): Promise<ConnectionRow[]> {
  return db
    .selectFrom('connections as c')
    .selectAll('c')
    .where('c.provider', '=', provider)
    .where('c.status', '=', 'active')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('provider_subscriptions as s')
            .select('s.id')
            .whereRef('s.connection_id', '=', 'c.id')
            .where('s.kind', '=', 'user'),
        ),
      ),
    )
    .orderBy('c.created_at')
    .limit(limit)
    .execute();
}
