import argon2 from 'argon2';

/**
 * Argon2id at OWASP's "m=46 MiB, t=1, p=1" (Password Storage Cheat Sheet), not node-argon2's default of
 * 64 MiB, t=3, p=4. Each hash in flight holds its memory and libuv runs four at once: four concurrent
 * sign-ups or logins peaked at 300 MiB RSS with the default (378 ms), 227 MiB with this (113 ms). OWASP's
 * equivalent 19 MiB, t=2 setting was tried and dropped: glibc serves blocks under 32 MiB from its arenas
 * after the first and keeps them resident once freed (bench:embedded-memory's peak rose 40–70 MiB), while
 * a block above 32 MiB is always mapped and unmapped. Hashes made with other parameters still verify.
 */
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 47_104, timeCost: 1, parallelism: 1 } as const;

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
