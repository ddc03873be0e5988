import type { Platform } from '../platform.ts';
import { rotateSecrets, sealedKeyIds } from './reseal.ts';

/**
 * `wearlink secrets rotate`: after ENCRYPTION_KEY was changed (the old key in ENCRYPTION_KEY_PREVIOUS),
 * seals every stored secret again under the new key and prints what it did per column, then which key
 * ids remain. Exit code 0 when nothing is left under another key, 1 otherwise (each unreadable row is named).
 */
export async function rotateSecretsFromCli(
  platform: Platform,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  err: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<number> {
  const { db, secrets } = platform.deps;
  const results = await rotateSecrets(db, secrets);
  out(`Sealing every stored secret under ENCRYPTION_KEY (key id ${secrets.keyId}):`);
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    const parts = [`${r.resealed} re-sealed`, `${r.current} already current`];
    if (r.sealed > 0) parts.push(`${r.sealed} plaintext sealed`);
    if (r.failed.length > 0) parts.push(`${r.failed.length} unreadable`);
    out(`  ${r.name.padEnd(width)}  ${parts.join(', ')}`);
  }
  const failed = results.flatMap((r) => r.failed.map((f) => ({ ...f, name: r.name })));
  for (const f of failed.slice(0, 50)) err(`wearlink: ${f.name} row ${f.row}: ${f.reason}`);
  if (failed.length > 50) err(`wearlink: … and ${failed.length - 50} more unreadable rows`);
  const stale = Object.entries(await sealedKeyIds(db)).flatMap(([name, ids]) =>
    Object.entries(ids)
      .filter(([id]) => id !== secrets.keyId)
      .map(([id, n]) => `${name}: ${n} under ${id}`),
  );
  if (stale.length > 0) {
    err(
      `wearlink: values not under the current key remain (${stale.join('; ')}); keep ENCRYPTION_KEY_PREVIOUS.`,
    );
    return 1;
  }
  out(
    'Every stored secret is sealed under the current key: once every node runs with this ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS can be removed.',
  );
  return 0;
}
