import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import {
  newTokenNonce,
  signDownloadToken,
  verifyDownloadToken,
} from '../../src/data-rights/export/download-token.ts';
import { ZipTooLargeError, ZipWriter } from '../../src/data-rights/export/zip-writer.ts';
import { blobStoreFor } from '../../src/storage/blob-store.ts';
import { readZip, sha256, startMockS3 } from './export-support.ts';

async function zipOf(
  entries: [string, (Buffer | string)[]][],
  options?: ConstructorParameters<typeof ZipWriter>[1],
): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const zip = new ZipWriter(out, options);
  for (const [name, parts] of entries) await zip.addEntry(name, parts);
  await zip.finish();
  return Buffer.concat(chunks);
}

describe('streaming ZIP writer (read back with yauzl)', () => {
  const big = randomBytes(300_000); // incompressible: deflate output larger than one chunk
  const text = 'line\n'.repeat(50_000);
  const entries: [string, (Buffer | string)[]][] = [
    ['a.ndjson', ['{"x":1}\n', '{"x":2}\n']],
    ['empty.ndjson', []],
    ['samples/heart_rate.ndjson', [text.slice(0, 1000), text.slice(1000)]],
    ['random.bin', [big.subarray(0, 100_000), big.subarray(100_000)]],
    ['naïve-ünïcode.txt', ['é']],
  ];

  it('writes deflated entries with data descriptors that read back byte for byte, CRC and sizes checked', async () => {
    const data = await zipOf(entries);
    const read = await readZip(data);
    expect(read.entries.map((e) => e.name)).toEqual(entries.map(([n]) => n));
    expect(read.files.get('a.ndjson')?.toString()).toBe('{"x":1}\n{"x":2}\n');
    expect(read.files.get('empty.ndjson')?.length).toBe(0);
    expect(read.files.get('samples/heart_rate.ndjson')?.toString()).toBe(text);
    expect(sha256(read.files.get('random.bin') as Buffer)).toBe(sha256(big));
    expect(read.files.get('naïve-ünïcode.txt')?.toString()).toBe('é');
    // Text compresses: the entry is stored deflated, far smaller than its 250 kB.
    const textEntry = read.entries.find((e) => e.name === 'samples/heart_rate.ndjson');
    expect(textEntry?.uncompressedSize).toBe(text.length);
    expect(textEntry?.compressedSize).toBeLessThan(5000);
    // No ZIP64 records when nothing needs them.
    expect(data.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(false);
  });

  it('writes ZIP64 sizes, offsets and end records when past the threshold (lowered here), still readable', async () => {
    const data = await zipOf(entries, { zip64Threshold: 1 });
    expect(data.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // ZIP64 end of central dir
    expect(data.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // its locator
    const read = await readZip(data);
    expect(read.files.get('samples/heart_rate.ndjson')?.toString()).toBe(text);
    expect(sha256(read.files.get('random.bin') as Buffer)).toBe(sha256(big));
    expect(read.entries.find((e) => e.name === 'random.bin')?.uncompressedSize).toBe(big.length);
  });

  it('stops at maxBytes, and a failing source fails its entry instead of hanging', async () => {
    await expect(zipOf([['r.bin', [randomBytes(50_000)]]], { maxBytes: 10_000 })).rejects.toBeInstanceOf(
      ZipTooLargeError,
    );
    const zip = new ZipWriter(new PassThrough().resume());
    async function* failing() {
      yield Buffer.from('first');
      throw new Error('database went away');
    }
    await expect(zip.addEntry('x', failing())).rejects.toThrow('database went away');
  });
});

describe('export download tokens', () => {
  const secret = 'test-secret-test-secret-test-secret-0123';
  it('verify only when authentic and unexpired, and carry no ids', () => {
    const nonce = newTokenNonce();
    const token = signDownloadToken(secret, nonce, new Date(Date.now() + 60_000));
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyDownloadToken(secret, token)).toBe(nonce);
    expect(verifyDownloadToken('another-secret-another-secret-0123456', token)).toBeUndefined();
    const [n, exp, mac] = token.split('.') as [string, string, string];
    const later = (Number.parseInt(exp, 36) + 3600).toString(36);
    expect(verifyDownloadToken(secret, `${n}.${later}.${mac}`)).toBeUndefined();
    expect(verifyDownloadToken(secret, `${n}.${exp}.${mac.slice(0, -2)}AA`)).toBeUndefined();
    expect(verifyDownloadToken(secret, token, Date.now() + 61_000)).toBeUndefined();
    const past = signDownloadToken(secret, nonce, new Date(Date.now() - 1000));
    expect(verifyDownloadToken(secret, past)).toBeUndefined();
    expect(verifyDownloadToken(secret, 'not-a-token')).toBeUndefined();
  });
});

describe('blob store on S3 (mock with its own SigV4 check)', async () => {
  const s3 = await startMockS3();
  const dir = mkdtempSync(join(tmpdir(), 'wl-export-s3-'));
  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const config = loadConfig({
    JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
    ENCRYPTION_KEY: 'test-encryption-key-that-is-long-enough-012345',
    WEARLINK_DATA_DIR: 'memory://',
    UPLOAD_DIR: dir,
    ...s3.env,
  });

  it('puts a file with a signed payload hash and streams it back; missing objects are undefined', async () => {
    const store = blobStoreFor(config);
    expect(store.kind).toBe('s3');
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const path = join(dir, 'upload.zip');
    writeFileSync(path, body);
    await store.putFile('exports/abc.zip', path, 'application/zip');
    const put = s3.requests.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({ key: 'exports/abc.zip', status: 200 });
    expect(s3.objects.get('exports/abc.zip')?.type).toBe('application/zip');
    expect(sha256(s3.objects.get('exports/abc.zip')?.body as Buffer)).toBe(sha256(body));
    // The source is taken over, as the local store's rename does.
    expect(() => writeFileSync(join(dir, 'upload.zip'), '', { flag: 'wx' })).not.toThrow();

    const opened = await store.open('exports/abc.zip');
    expect(opened?.bytes).toBe(body.length);
    const chunks: Buffer[] = [];
    for await (const chunk of opened?.stream ?? []) chunks.push(chunk as Buffer);
    expect(sha256(Buffer.concat(chunks))).toBe(sha256(body));

    await store.putBuffer('nutrition/x.jpg', Buffer.from('jpeg'), 'image/jpeg');
    expect(s3.objects.get('nutrition/x.jpg')?.body.toString()).toBe('jpeg');
    await store.delete('exports/abc.zip');
    expect(await store.open('exports/abc.zip')).toBeUndefined();
    expect(s3.requests.every((r) => r.problem === undefined)).toBe(true);
  });
});
