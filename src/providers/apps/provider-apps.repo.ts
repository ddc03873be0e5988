import { providerAppContext } from '../../crypto/contexts.ts';
import { SecretOpenError } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import type { ProviderAppRow } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { ProviderRuntime } from '../runtime.ts';
import type { ProviderAppCredentials } from '../types.ts';
import { defaultScopes, instanceApp } from './instance-app.ts';

type SecretField = 'client_secret' | 'webhook_secret';

export function findProviderApp(
  db: Db,
  developerId: string,
  provider: string,
): Promise<ProviderAppRow | undefined> {
  return db
    .selectFrom('provider_apps')
    .selectAll()
    .where('developer_id', '=', developerId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

/** Every app a developer registered, one per vendor. */
export function listProviderApps(db: Db, developerId: string): Promise<ProviderAppRow[]> {
  return db
    .selectFrom('provider_apps')
    .selectAll()
    .where('developer_id', '=', developerId)
    .orderBy('provider')
    .execute();
}

/** A secret as PUT gives it: a new value, `null` to clear it, `undefined` to keep what is stored. */
export type SecretChange = string | null | undefined;

export interface SaveProviderApp {
  developerId: string;
  provider: string;
  clientId: string;
  clientSecret: SecretChange;
  webhookSecret: SecretChange;
  /** null: the vendor manifest's default scopes. */
  scopes: string[] | null;
}

/** A client id changed while its stored client secret would be kept: that secret belongs to the old app. */
export class StaleClientSecretError extends Error {
  override name = 'StaleClientSecretError';
}

/**
 * Creates or replaces a developer's app of one vendor. Secrets are sealed under `providerAppContext`
 * (bound to the developer, vendor and column, so a value copied to another row does not open); one left `undefined` keeps
 * the stored value (a dashboard never has it to send back). Throws `StaleClientSecretError` when the
 * client id changes and the old client secret would be kept.
 */
export async function saveProviderApp(
  runtime: Pick<ProviderRuntime, 'db' | 'secrets'>,
  input: SaveProviderApp,
): Promise<{ row: ProviderAppRow; created: boolean }> {
  const seal = (field: SecretField, change: SecretChange) =>
    change === undefined || change === null
      ? change
      : runtime.secrets.seal(change, providerAppContext(input.developerId, input.provider, field));
  const clientSecret = seal('client_secret', input.clientSecret);
  const webhookSecret = seal('webhook_secret', input.webhookSecret);
  return inTransaction(runtime.db, async (trx) => {
    const existing = await trx
      .selectFrom('provider_apps')
      .selectAll()
      .where('developer_id', '=', input.developerId)
      .where('provider', '=', input.provider)
      .forUpdate()
      .executeTakeFirst();
    if (
      existing !== undefined &&
      existing.client_id !== input.clientId &&
      existing.client_secret_sealed !== null &&
      clientSecret === undefined
    ) {
      throw new StaleClientSecretError(input.provider);
    }
    const now = new Date();
    // ON CONFLICT as well: two first PUTs at once both see no row; the second then replaces the first.
    const row = await trx
      .insertInto('provider_apps')
      .values({
        developer_id: input.developerId,
        provider: input.provider,
        client_id: input.clientId,
        client_secret_sealed: clientSecret ?? null,
        webhook_secret_sealed: webhookSecret ?? null,
        scopes: input.scopes,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['developer_id', 'provider']).doUpdateSet((eb) => ({
          client_id: eb.ref('excluded.client_id'),
          scopes: eb.ref('excluded.scopes'),
          updated_at: now,
          ...(clientSecret !== undefined
            ? { client_secret_sealed: eb.ref('excluded.client_secret_sealed') }
            : {}),
          ...(webhookSecret !== undefined
            ? { webhook_secret_sealed: eb.ref('excluded.webhook_secret_sealed') }
            : {}),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row, created: existing === undefined };
  });
}

/** Drops a developer's app of a vendor; false when there was none. */
export async function deleteProviderApp(db: Db, developerId: string, provider: string): Promise<boolean> {
  const result = await db
    .deleteFrom('provider_apps')
    .where('developer_id', '=', developerId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** A stored app with its secrets opened; a secret that will not open names its app. */
function credentialsOf(
  runtime: Pick<ProviderRuntime, 'secrets'>,
  row: ProviderAppRow,
): ProviderAppCredentials {
  const open = (field: SecretField, sealed: string | null) => {
    if (sealed === null) return undefined;
    try {
      return runtime.secrets.open(sealed, providerAppContext(row.developer_id, row.provider, field));
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      throw new SecretOpenError(
        `The ${field} of developer ${row.developer_id}'s ${row.provider} app cannot be opened: ${error.message}`,
      );
    }
  };
  return {
    developerId: row.developer_id,
    clientId: row.client_id,
    clientSecret: open('client_secret', row.client_secret_sealed),
    webhookSecret: open('webhook_secret', row.webhook_secret_sealed),
    scopes: row.scopes ?? defaultScopes(row.provider),
  };
}

/**
 * The app a developer's calls to a vendor are made with: their own (Settings → Providers), else the
 * instance default from the environment (`OURA_CLIENT_ID`, …), else undefined. Scopes the app does not
 * name are the manifest's defaults. A stored secret that cannot be opened throws `SecretOpenError`.
 *
 * @example
 * const app = await resolveProviderApp(runtime, principal.developerId, 'oura');
 * if (app?.clientSecret === undefined) throw new Error('Oura is not configured');
 * // app.developerId === null: the instance default
 */
export async function resolveProviderApp(
  runtime: Pick<ProviderRuntime, 'db' | 'config' | 'secrets'>,
  developerId: string,
  provider: string,
): Promise<ProviderAppCredentials | undefined> {
  const row = await findProviderApp(runtime.db, developerId, provider);
  if (row !== undefined) return credentialsOf(runtime, row);
  return instanceApp(runtime.config, provider);
}

/**
 * Every app of a vendor: each developer's own, then the instance default. An inbound vendor webhook
 * does not say which app it is for, so its signature is tried against each of these in turn (the
 * verifying app's `developerId` then scopes the lookup of connections). An app whose secrets cannot
 * be opened is logged and left out rather than failing every delivery of the vendor.
 *
 * @example
 * for (const app of await candidateApps(runtime, 'whoop')) {
 *   if (app.clientSecret !== undefined && verify(body, signature, app.clientSecret)) return app;
 * }
 */
export async function candidateApps(
  runtime: Pick<ProviderRuntime, 'db' | 'config' | 'secrets' | 'logger'>,
  provider: string,
): Promise<ProviderAppCredentials[]> {
  const rows = await runtime.db
    .selectFrom('provider_apps')
    .selectAll()
    .where('provider', '=', provider)
    .orderBy('created_at')
    .orderBy('developer_id')
    .execute();
  const apps: ProviderAppCredentials[] = [];
  for (const row of rows) {
    try {
      apps.push(credentialsOf(runtime, row));
    } catch (error) {
      if (!(error instanceof SecretOpenError)) throw error;
      runtime.logger.warn({ err: error, provider, developerId: row.developer_id }, 'provider app skipped');
    }
  }
  const instance = instanceApp(runtime.config, provider);
  if (instance !== undefined) apps.push(instance);
  return apps;
}
