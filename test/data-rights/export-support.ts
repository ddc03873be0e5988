import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import yauzl from 'yauzl';

/** A ZIP read by yauzl (the independent oracle): each entry's bytes, and the central directory's view. */
export interface ReadZip {
  files: Map<string, Buffer>;
  entries: { name: string; compressedSize: number; uncompressedSize: number; crc32: number }[];
}

export function readZip(data: Buffer): Promise<ReadZip> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(data, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const files = new Map<string, Buffer>();
      const entries: ReadZip['entries'] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve({ files, entries }));
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push({
          name: entry.fileName,
          compressedSize: entry.compressedSize,
          uncompressedSize: entry.uncompressedSize,
          crc32: entry.crc32,
        });
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export const ndjsonLines = (data: Buffer | undefined): any[] =>
  (data ?? Buffer.alloc(0))
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * A stand-in for S3 (the outside world) like test/importers/s3-upload.test.ts's, checking every request's
 * Signature Version 4 with its own implementation, and for PUTs that the signed payload hash is the
 * SHA-256 of the body received (so a streamed upload that sent other bytes is refused, as S3 does).
 */
export const S3_TEST = {
  accessKey: 'WLEXPORTACCESSKEY',
  secretKey: 'wl-export-secret/with+odd=chars',
  region: 'eu-west-1',
  bucket: 'wearlink-exports',
};

function rfc3986(value: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(ch) || (keepSlash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function verifyHeaderSignature(req: IncomingMessage, rawPath: string, body: Buffer): string | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      req.headers.authorization ?? '',
    );
  if (!match) return 'no signature';
  const [, credential, signedHeaders = '', given] = match;
  const date = req.headers['x-amz-date'] as string | undefined;
  const payloadHash = req.headers['x-amz-content-sha256'] as string | undefined;
  if (!date || !payloadHash) return 'missing x-amz-date or x-amz-content-sha256';
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signedHeaders.split(';').includes(required)) return `${required} not signed`;
  }
  if (payloadHash !== sha256(body)) return 'XAmzContentSHA256Mismatch';
  const day = date.slice(0, 8);
  if (credential !== `${S3_TEST.accessKey}/${day}/${S3_TEST.region}/s3/aws4_request`) return 'bad scope';
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((name) => `${name}:${String(req.headers[name] ?? '').trim()}\n`)
    .join('');
  const canonicalRequest = `${req.method}\n${rfc3986(decodeURIComponent(rawPath), true)}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${day}/${S3_TEST.region}/s3/aws4_request\n${sha256(Buffer.from(canonicalRequest))}`;
  let key: Buffer = Buffer.from(`AWS4${S3_TEST.secretKey}`);
  for (const part of [day, S3_TEST.region, 's3', 'aws4_request'])
    key = createHmac('sha256', key).update(part).digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex') === given
    ? undefined
    : 'SignatureDoesNotMatch';
}

export async function startMockS3() {
  const objects = new Map<string, { body: Buffer; type: string | undefined }>();
  const requests: { method: string; key: string; status: number; problem?: string }[] = [];
  const server = createServer(async (req, res) => {
    const [rawPath = '/'] = (req.url ?? '/').split('?');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const key = decodeURIComponent(rawPath).slice(S3_TEST.bucket.length + 2);
    const problem = verifyHeaderSignature(req, rawPath, body);
    const answer = (status: number, payload?: Buffer, headers: Record<string, string | number> = {}) => {
      requests.push({ method: req.method ?? '', key, status, ...(problem ? { problem } : {}) });
      res.writeHead(status, headers);
      res.end(payload);
    };
    if (problem !== undefined) {
      return answer(403, Buffer.from(`<Error><Code>${problem}</Code><Message>${problem}</Message></Error>`));
    }
    const object = objects.get(key);
    if (req.method === 'PUT') {
      if (Number(req.headers['content-length']) !== body.length) return answer(400);
      objects.set(key, { body, type: req.headers['content-type'] });
      return answer(200);
    }
    if (req.method === 'GET') {
      if (!object) return answer(404, Buffer.from('<Error><Code>NoSuchKey</Code></Error>'));
      return answer(200, object.body, { 'content-length': object.body.length });
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      return answer(204);
    }
    return answer(405);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    env: {
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_REGION: S3_TEST.region,
      S3_BUCKET: S3_TEST.bucket,
      S3_ACCESS_KEY_ID: S3_TEST.accessKey,
      S3_SECRET_ACCESS_KEY: S3_TEST.secretKey,
    },
    objects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
