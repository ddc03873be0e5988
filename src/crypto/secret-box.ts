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

/** `wl1.<key id>.<data>` split into its parts, or undefined when the text is not a sealed value. */
function parse(sealed: string): { keyId: string; data: string } | undefined {
  const parts = sealed.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || !parts[2]) return undefined;
  return { keyId: parts[1], data: parts[2] };
}

/** A sealed value could not be opened: written with a key WearLink was not given, or tampered with. */
export class SecretOpenError extends Error {
  override name = 'SecretOpenError';
}

/** ENCRYPTION_KEY_PREVIOUS as a list: comma-separated, blanks ignored. */
export function previousKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
}

/**
 * Secrets at rest (OAuth tokens, client secrets, PKCE verifiers, webhook signing secrets): AES-256-GCM
 * under a key derived from ENCRYPTION_KEY, sealed as text `wl1.<key id>.<base64url(iv | ciphertext | tag)>`.
 * The key id lets ENCRYPTION_KEY be rotated: values sealed with a key listed in ENCRYPTION_KEY_PREVIOUS
 * still open, and `needsReseal` tells which ones to write again under the current key
 * (`wearlink secrets rotate` does it for every sealed column). Context strings come from `./contexts.ts`.
 *
 * @example
 * const box = SecretBox.fromConfig(config); // ENCRYPTION_KEY + ENCRYPTION_KEY_PREVIOUS
 * const sealed = box.seal('refresh-token', connectionTokensContext(id)); // the context binds it to its row
 * box.open(sealed, connectionTokensContext(id)); // 'refresh-token'
 */
export class SecretBox {
  readonly #current: Key;
  readonly #byId: Map<string, Key>;

  constructor(current: string, previous: readonly string[] = []) {
    this.#current = keyFrom(current);
    // The current key last, so it wins should a previous key be listed twice or equal it.
    this.#byId = new Map([...previous.map(keyFrom), this.#current].map((k) => [k.id, k]));
  }

  /** The box of a process: ENCRYPTION_KEY, and ENCRYPTION_KEY_PREVIOUS (comma-separated) still readable. */
  static fromConfig(config: {
    encryptionKey: string;
    ENCRYPTION_KEY_PREVIOUS?: string | undefined;
  }): SecretBox {
    return new SecretBox(config.encryptionKey, previousKeys(config.ENCRYPTION_KEY_PREVIOUS));
  }

  /** The id of the key new values are sealed with. */
  get keyId(): string {
    return this.#current.id;
  }

  /** Ids of every key this box can open with, the current one included. */
  get readableKeyIds(): string[] {
    return [...this.#byId.keys()];
  }

  /** `context` (a row's identity) is authenticated, not stored: a value copied to another row will not open. */
  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.#current.id}.${body.toString('base64url')}`;
  }

  /** The plaintext; throws `SecretOpenError` (saying why) when it cannot be opened with this context. */
  open(sealed: string, context = ''): string {
    const parsed = parse(sealed);
    if (parsed === undefined) throw new SecretOpenError('not a sealed value');
    const key = this.#byId.get(parsed.keyId);
    if (key === undefined)
      throw new SecretOpenError(
        `sealed with key ${parsed.keyId}, which is neither ENCRYPTION_KEY (key ${this.#current.id}) nor one of ENCRYPTION_KEY_PREVIOUS`,
      );
    const body = Buffer.from(parsed.data, 'base64url');
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
    return parse(value) !== undefined;
  }

  /** The id of the key a value was sealed with, or undefined when it is not a sealed value. */
  static keyIdOf(sealed: string): string | undefined {
    return parse(sealed)?.keyId;
  }

  /** Sealed, but not with the current key: write it again with `seal` (`wearlink secrets rotate`). */
  needsReseal(sealed: string): boolean {
    return SecretBox.keyIdOf(sealed) !== this.#current.id;
  }
}
