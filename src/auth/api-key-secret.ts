import { createHash, randomBytes } from 'node:crypto';

const PREFIX_LENGTH = 11; // "sk-" plus 8 characters

/** `sk-` + 256 bits of randomness, base64url. */
export function generateApiKey(): { key: string; hash: string; prefix: string } {
  const key = `sk-${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashApiKey(key), prefix: key.slice(0, PREFIX_LENGTH) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeApiKey(value: string): boolean {
  return /^sk-[A-Za-z0-9_-]{20,100}$/.test(value);
}
