import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { StartupError } from '../platform.ts';
import { CANARY_CONTEXT } from './contexts.ts';
import { sealLegacyWebhookSecrets } from './sealed-columns.ts';
import { SecretBox, SecretOpenError } from './secret-box.ts';

/** Why a start is refused: the data's key is not among the keys this process was given. */
function wrongKeyMessage(canaryKeyId: string, secrets: SecretBox, reason: string): string {
  return (
    `ENCRYPTION_KEY differs from the key this database's secrets were written with ` +
    `(data key id ${canaryKeyId}; this ENCRYPTION_KEY has key id ${secrets.keyId}): ${reason}. ` +
    'Without it, stored OAuth tokens, provider app secrets and webhook signing secrets cannot be read. ' +
    'Fix: set ENCRYPTION_KEY back to the key the data was written with (embedded mode keeps a generated ' +
    'one in secrets.json in the data directory), or, to change keys, set the new key in ENCRYPTION_KEY and ' +
    'the old one in ENCRYPTION_KEY_PREVIOUS, then run `wearlink secrets rotate` before dropping ENCRYPTION_KEY_PREVIOUS.'
  );
}

/**
 * Start-up check that ENCRYPTION_KEY is the key the database's secrets were written with, run by
 * `openPlatform` after migrations. The first start writes a canary (a random value sealed with the
 * current key); a later start opens it, so a wrong key fails here with a `StartupError` that says how
 * to fix it, instead of every connection breaking later one by one. A canary sealed with a key of
 * ENCRYPTION_KEY_PREVIOUS is sealed again with the current key. Then webhook endpoint secrets still in
 * plaintext (written before secrets were sealed) are sealed. Safe when several nodes start at once:
 * the canary is inserted `on conflict do nothing` and read back, and every update is conditional on the
 * value it replaces.
 *
 * @example
 * await checkEncryptionKey(database.db, SecretBox.fromConfig(config)); // throws StartupError on a wrong key
 */
export async function checkEncryptionKey(db: Db, secrets: SecretBox): Promise<void> {
  await db
    .insertInto('encryption_canary')
    .values({
      id: 1,
      key_id: secrets.keyId,
      sealed: secrets.seal(randomBytes(24).toString('base64url'), CANARY_CONTEXT),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const canary = await db
    .selectFrom('encryption_canary')
    .select(['sealed'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const canaryKeyId = SecretBox.keyIdOf(canary.sealed) ?? 'unknown';
  let plaintext: string;
  try {
    plaintext = secrets.open(canary.sealed, CANARY_CONTEXT);
  } catch (error) {
    if (!(error instanceof SecretOpenError)) throw error;
    const reason = secrets.readableKeyIds.includes(canaryKeyId)
      ? 'the encryption canary was altered and does not open with it'
      : 'neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS opens the encryption canary';
    throw new StartupError(wrongKeyMessage(canaryKeyId, secrets, reason));
  }
  if (secrets.needsReseal(canary.sealed)) {
    await db
      .updateTable('encryption_canary')
      .set({ key_id: secrets.keyId, sealed: secrets.seal(plaintext, CANARY_CONTEXT), updated_at: new Date() })
      .where('id', '=', 1)
      .where('sealed', '=', canary.sealed)
      .execute();
  }
  await sealLegacyWebhookSecrets(db, secrets);
}
