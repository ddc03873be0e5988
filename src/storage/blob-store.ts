import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { s3Settings } from '../config/config.ts';
import type { Config } from '../config/load-config.ts';
import { uploadDirectory } from '../importers/apple-health/import-service.ts';
import { S3BlobStore } from './s3.ts';

/**
 * Where WearLink keeps files it made or was given for later (user exports, meal photos): a directory
 * under the upload dir, or the S3 bucket when one is configured (S3_*). Keys are relative paths such
 * as `exports/<id>.zip`; nothing in a key comes from a client unchecked.
 */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  /** Stores the file at `path` under `key` and takes it over (moved or streamed, never buffered whole; the source is gone afterwards). */
  putFile(key: string, path: string, contentType: string): Promise<void>;
  putBuffer(key: string, data: Buffer, contentType: string): Promise<void>;
  /** Streams the object with its size, or undefined when it does not exist. */
  open(key: string): Promise<{ stream: Readable; bytes: number } | undefined>;
  /** Deletes the object; a missing one counts as deleted. */
  delete(key: string): Promise<void>;
}

const safeKey = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export function assertBlobKey(key: string): void {
  if (!safeKey.test(key) || key.includes('..')) throw new Error(`invalid blob key ${JSON.stringify(key)}`);
}

/** Files under one directory (UPLOAD_DIR/blobs by default); writes land under a temp name, then rename. */
export class LocalBlobStore implements BlobStore {
  readonly kind = 'local';
  constructor(readonly root: string) {}

  #path(key: string): string {
    assertBlobKey(key);
    const path = resolve(this.root, key);
    if (!path.startsWith(resolve(this.root) + sep)) throw new Error(`invalid blob key ${key}`);
    return path;
  }

  async putFile(key: string, path: string): Promise<void> {
    const target = this.#path(key);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(path, target);
    } catch (error) {
      // Another file system: copy through a stream, then drop the source.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const { copyFile } = await import('node:fs/promises');
      await copyFile(path, `${target}.part`);
      await rename(`${target}.part`, target);
      await rm(path, { force: true });
    }
  }

  async putBuffer(key: string, data: Buffer): Promise<void> {
    const target = this.#path(key);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.part`, data, { mode: 0o600 });
    await rename(`${target}.part`, target);
  }

  async open(key: string): Promise<{ stream: Readable; bytes: number } | undefined> {
    const path = this.#path(key);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path), bytes: size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }
}

/** Objects in the configured S3 bucket, streamed both ways (s3.ts). */
export class S3ObjectBlobStore implements BlobStore {
  readonly kind = 's3';
  constructor(readonly client: S3BlobStore) {}

  async putFile(key: string, path: string, contentType: string): Promise<void> {
    assertBlobKey(key);
    await this.client.putFile(key, path, contentType);
    await rm(path, { force: true });
  }

  async putBuffer(key: string, data: Buffer, contentType: string): Promise<void> {
    assertBlobKey(key);
    await this.client.putBuffer(key, data, contentType);
  }

  async open(key: string): Promise<{ stream: Readable; bytes: number } | undefined> {
    assertBlobKey(key);
    return this.client.openStream(key);
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.delete(key);
  }
}

/** The store this configuration asks for: S3 when S3_* are set, else `<upload dir>/blobs`. */
export function blobStoreFor(config: Config): BlobStore {
  const settings = s3Settings(config);
  if (settings !== undefined) return new S3ObjectBlobStore(new S3BlobStore(settings));
  return new LocalBlobStore(join(uploadDirectory(config), 'blobs'));
}
