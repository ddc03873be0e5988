import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from '../auth/derive-key.ts';

const PREFIX = 'wl1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Key {
  id: string;
  bytes: Buffer;
}

function keyFrom(secret: string): Key {
  const bytes = deriveKey(secret, 'wearlink/secret-box/v1');
  // Names the key without revealing it: a MAC of a fixed label, not a hash of the key itself.
  const id = createHmac('sha256', bytes).update('key-id').digest('hex').slice(0, 12);
  return { id, bytes };
}

/** A sealed value could not be opened: written with a key WearLink was not given, or tampered with. */
export class SecretOpenError extends Error {
  override name = 'SecretOpenError';
}

/**
 * Secrets at rest (OAuth tokens, client secrets, PKCE verifiers, webhook signing secrets): AES-256-GCM
 * under a key derived from ENCRYPTION_KEY, sealed as text `wl1.<key id>.<base64url(iv | ciphertext | tag)>`.
 * The key id lets ENCRYPTION_KEY be rotated: values sealed with a key listed in ENCRYPTION_KEY_PREVIOUS
 * still open, and `needsReseal` tells which ones to write again under the current key.
 *
 * @example
 * const box = new SecretBox(config.encryptionKey);
 * const sealed = box.seal('refresh-token', 'connection:1f0c…'); // the context binds it to its row
 * box.open(sealed, 'connection:1f0c…'); // 'refresh-token'
 */
export class SecretBox {
  readonly #current: Key;
  readonly #byId: Map<string, Key>;

  constructor(current: string, previous: readonly string[] = []) {
    this.#current = keyFrom(current);
    this.#byId = new Map([this.#current, ...previous.map(keyFrom)].map((k) => [k.id, k]));
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.#current.id;
  }

  /** `context` (a row's identity) is authenticated, not stored: a value copied to another row will not open. */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.#current.id}.${body.toString('base64url')}`;
  }

  open(sealed: string, context = ''): string {
    const [prefix, keyId, data] = sealed.split('.');
    if (prefix !== PREFIX || keyId === undefined || data === undefined)
      throw new SecretOpenError('not a sealed value');
    const key = this.#byId.get(keyId);
    if (key === undefined)
      throw new SecretOpenError(
        `sealed with key ${keyId}, which is neither ENCRYPTION_KEY nor one of ENCRYPTION_KEY_PREVIOUS`,
      );
    const body = Buffer.from(data, 'base64url');
    if (body.length < IV_BYTES + TAG_BYTES) throw new SecretOpenError('sealed value is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, body.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretOpenError('sealed value failed authentication (tampered, or sealed for another row)');
    }
  }

  /** Whether a value is sealed at all (plaintext legacy rows are not). */
  static isSealed(value: string): boolean {
    return value.startsWith(`${PREFIX}.`);
  }

  /** Sealed, but with a previous key: write it again with `seal`. */
  needsReseal(sealed: string): boolean {
    return sealed.split('.')[1] !== this.#current.id;
  }
}
