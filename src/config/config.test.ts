import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from './config.ts';
import { loadConfig } from './load-config.ts';

describe('configuration', () => {
  it('applies documented defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8000,
      WEARLINK_DATA_DIR: '.wearlink',
      LOG_LEVEL: 'info',
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names each bad variable, without echoing secrets', () => {
    let error: unknown;
    try {
      parseEnv({ PORT: '99999', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', TRUST_PROXY: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'JWT_SECRET', 'TRUST_PROXY']) expect(message).toContain(name);
    expect(message).not.toContain('short');
  });

  it('generates embedded secrets once and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wearlink-config-'));
    try {
      const first = loadConfig({ WEARLINK_DATA_DIR: dir });
      const second = loadConfig({ WEARLINK_DATA_DIR: dir });
      expect(first.mode).toBe('embedded');
      expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
      expect(second.jwtSecret).toBe(first.jwtSecret);
      expect(second.encryptionKey).toBe(first.encryptionKey);
      expect(JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')).jwt_secret).toBe(first.jwtSecret);
      expect(loadConfig({ WEARLINK_DATA_DIR: dir, JWT_SECRET: 'x'.repeat(40) }).jwtSecret).toBe(
        'x'.repeat(40),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requires explicit secrets with PostgreSQL, where every node must share them', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/db' })).toThrow(
      /JWT_SECRET, ENCRYPTION_KEY must be set/,
    );
    const config = loadConfig({
      DATABASE_URL: 'postgres://localhost/db',
      JWT_SECRET: 'j'.repeat(32),
      ENCRYPTION_KEY: 'e'.repeat(32),
    });
    expect(config.mode).toBe('postgres');
  });

  it('memory:// keeps nothing on disk', () => {
    const config = loadConfig({ WEARLINK_DATA_DIR: 'memory://' });
    expect(config.dataDir).toBeUndefined();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });
});
