import { describe, expect, it } from 'vitest';
import { connectionTokensContext, webhookEndpointContext } from '../../src/crypto/contexts.ts';
import { previousKeys, SecretBox, SecretOpenError } from '../../src/crypto/secret-box.ts';

const OLD = 'old-encryption-key-that-is-long-enough-0123456789';
const NEW = 'new-encryption-key-that-is-long-enough-0123456789';

describe('SecretBox', () => {
  it('round-trips text (unicode too) and seals the same text differently each time', () => {
    const box = new SecretBox(NEW);
    const context = connectionTokensContext('c1');
    const plain = '{"access_token":"ä€😀","refresh_token":"r"}';
    const a = box.seal(plain, context);
    const b = box.seal(plain, context);
    expect(a).not.toBe(b); // a fresh IV each time
    expect(a).toMatch(new RegExp(`^wl1\\.${box.keyId}\\.[A-Za-z0-9_-]+$`));
    expect(a).not.toContain('access_token');
    expect(box.open(a, context)).toBe(plain);
    expect(box.open(b, context)).toBe(plain);
    expect(box.open(box.seal('', context), context)).toBe('');
  });

  it('does not open a value under another context (copied to another row or column)', () => {
    const box = new SecretBox(NEW);
    const sealed = box.seal('whsec_x', webhookEndpointContext('ep_1', 'secret'));
    expect(() => box.open(sealed, webhookEndpointContext('ep_2', 'secret'))).toThrow(SecretOpenError);
    expect(() => box.open(sealed, webhookEndpointContext('ep_1', 'previous_secret'))).toThrow(
      /failed authentication/,
    );
  });

  it('refuses a tampered, truncated or malformed value', () => {
    const box = new SecretBox(NEW);
    const sealed = box.seal('secret', 'ctx');
    const [prefix, id, data] = sealed.split('.') as [string, string, string];
    const bytes = Buffer.from(data, 'base64url');
    for (const index of [0, 12, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index] = (tampered[index] as number) ^ 1;
      expect(() => box.open(`${prefix}.${id}.${tampered.toString('base64url')}`, 'ctx')).toThrow(
        /failed authentication/,
      );
    }
    expect(() => box.open(`${prefix}.${id}.${bytes.subarray(0, 20).toString('base64url')}`, 'ctx')).toThrow(
      /truncated/,
    );
    for (const bad of ['secret', 'whsec_abc', `${sealed}.extra`, `wl2.${id}.${data}`, `wl1..${data}`])
      expect(() => box.open(bad, 'ctx')).toThrow(/not a sealed value/);
  });

  it('opens values sealed with a previous key, and says which ones need sealing again', () => {
    const old = new SecretBox(OLD);
    const rotated = new SecretBox(NEW, [OLD]);
    const sealedOld = old.seal('token', 'ctx');
    expect(rotated.open(sealedOld, 'ctx')).toBe('token');
    expect(rotated.needsReseal(sealedOld)).toBe(true);
    const resealed = rotated.seal(rotated.open(sealedOld, 'ctx'), 'ctx');
    expect(rotated.needsReseal(resealed)).toBe(false);
    expect(SecretBox.keyIdOf(resealed)).toBe(rotated.keyId);
    expect(SecretBox.keyIdOf(sealedOld)).toBe(old.keyId);
    expect(rotated.keyId).not.toBe(old.keyId);
    expect(rotated.readableKeyIds.sort()).toEqual([old.keyId, rotated.keyId].sort());
    // The new key alone no longer opens the old value.
    expect(() => new SecretBox(NEW).open(sealedOld, 'ctx')).toThrow(SecretOpenError);
  });

  it('names an unknown key by its id and says which variables it is not', () => {
    const other = new SecretBox('some-other-key-nobody-configured-0123456789');
    const box = new SecretBox(NEW, [OLD]);
    expect(() => box.open(other.seal('x', 'ctx'), 'ctx')).toThrow(
      `sealed with key ${other.keyId}, which is neither ENCRYPTION_KEY (key ${box.keyId}) nor one of ENCRYPTION_KEY_PREVIOUS`,
    );
  });

  it('derives a stable key id from the key, revealing nothing of it', () => {
    expect(new SecretBox(NEW).keyId).toBe(new SecretBox(NEW).keyId);
    expect(new SecretBox(NEW).keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(SecretBox.isSealed('whsec_abc')).toBe(false);
    expect(SecretBox.isSealed(new SecretBox(NEW).seal('x'))).toBe(true);
  });

  it('reads ENCRYPTION_KEY_PREVIOUS as a comma-separated list', () => {
    expect(previousKeys(undefined)).toEqual([]);
    expect(previousKeys(` ${OLD} , ,other `)).toEqual([OLD, 'other']);
    const box = SecretBox.fromConfig({ encryptionKey: NEW, ENCRYPTION_KEY_PREVIOUS: `${OLD},${NEW}` });
    expect(box.keyId).toBe(new SecretBox(NEW).keyId);
    expect(box.open(new SecretBox(OLD).seal('a', 'c'), 'c')).toBe('a');
    // The current key listed among the previous ones still seals as the current key.
    expect(box.needsReseal(box.seal('a'))).toBe(false);
  });
});
