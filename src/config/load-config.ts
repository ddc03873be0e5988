import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type Env, parseEnv } from './config.ts';

export type StorageMode = 'embedded' | 'postgres';

export type Config = Omit<Env, 'JWT_SECRET' | 'ENCRYPTION_KEY'> & {
  mode: StorageMode;
  /** Absolute path of WEARLINK_DATA_DIR, or undefined for `memory://` (nothing kept after exit). */
  dataDir: string | undefined;
  jwtSecret: string;
  encryptionKey: string;
  publicUrl: string;
};

const secretsFileSchema = z.object({ jwt_secret: z.string().min(32), encryption_key: z.string().min(32) });

/**
 * Embedded mode needs no setup: secrets are generated on first start and kept (mode 0600) in the data
 * directory next to the database they protect. Values given in the environment always win.
 */
function embeddedSecrets(dataDir: string): { jwtSecret: string; encryptionKey: string } {
  const file = join(dataDir, 'secrets.json');
  let raw: string | undefined;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (raw !== undefined) {
    const parsed = secretsFileSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) throw new ConfigError(`${file} is corrupt; delete it to generate new secrets`);
    return { jwtSecret: parsed.data.jwt_secret, encryptionKey: parsed.data.encryption_key };
  }
  const generated = {
    jwt_secret: randomBytes(48).toString('base64url'),
    encryption_key: randomBytes(32).toString('base64url'),
  };
  writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  return { jwtSecret: generated.jwt_secret, encryptionKey: generated.encryption_key };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const { JWT_SECRET, ENCRYPTION_KEY, ...rest } = parseEnv(env);
  const mode: StorageMode = rest.DATABASE_URL === undefined ? 'embedded' : 'postgres';
  const dataDir = rest.WEARLINK_DATA_DIR === 'memory://' ? undefined : resolve(rest.WEARLINK_DATA_DIR);
  const publicUrl =
    rest.PUBLIC_URL ?? `http://${rest.HOST === '0.0.0.0' ? 'localhost' : rest.HOST}:${rest.PORT}`;

  let jwtSecret = JWT_SECRET;
  let encryptionKey = ENCRYPTION_KEY;
  if (jwtSecret === undefined || encryptionKey === undefined) {
    if (mode === 'postgres') {
      const missing = [jwtSecret ? undefined : 'JWT_SECRET', encryptionKey ? undefined : 'ENCRYPTION_KEY'];
      throw new ConfigError(
        `Invalid configuration:\n  ${missing.filter(Boolean).join(', ')} must be set when DATABASE_URL is set ` +
          '(every API node and worker must share them; generate with: openssl rand -base64 48)',
      );
    }
    let generated: { jwtSecret: string; encryptionKey: string };
    if (dataDir === undefined) {
      generated = {
        jwtSecret: randomBytes(48).toString('base64url'),
        encryptionKey: randomBytes(32).toString('base64url'),
      };
    } else {
      mkdirSync(dataDir, { recursive: true });
      generated = embeddedSecrets(dataDir);
    }
    jwtSecret ??= generated.jwtSecret;
    encryptionKey ??= generated.encryptionKey;
  }
  return { ...rest, mode, dataDir, jwtSecret, encryptionKey, publicUrl };
}
