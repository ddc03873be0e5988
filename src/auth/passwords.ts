import argon2 from 'argon2';

/**
 * Argon2id at OWASP's "m=19 MiB, t=2, p=1" (Password Storage Cheat Sheet: equivalent to its 46 MiB, t=1
 * setting), not node-argon2's default of 64 MiB, t=3, p=4. Each hash in flight holds its memory, and
 * libuv runs four at once: four concurrent sign-ups or logins took a process from 43 to 300 MiB peak
 * RSS with the default and to 120 MiB with this (381 vs 68 ms for the four), which decided the embedded
 * server's peak in bench:embedded-memory. Hashes made with other parameters carry them and still verify.
 */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

// Verified against when the email is unknown, so a failed login costs the same either way and
// response times do not reveal which emails have accounts.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    decoyHash ??= hashPassword('wearlink-decoy-password');
    await argon2.verify(await decoyHash, password);
    return false;
  }
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}
