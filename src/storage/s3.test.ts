import { describe, expect, it } from 'vitest';
import type { S3Settings } from '../config/config.ts';
import { amzDate, objectUrl, presignUrl, signedRequestHeaders, uriEncode } from './s3.ts';

/** The credentials and bucket of AWS's published Signature Version 4 examples for S3. */
const example: S3Settings = {
  endpoint: 'https://s3.amazonaws.com',
  region: 'us-east-1',
  bucket: 'examplebucket',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  forcePathStyle: false,
};
const exampleDate = new Date('2013-05-24T00:00:00Z');

describe('S3 Signature Version 4', () => {
  it("reproduces AWS's presigned-URL example (GET examplebucket/test.txt, 86400 s)", () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
    const url = presignUrl(example, 'GET', 'test.txt', { expiresInSeconds: 86_400, now: exampleDate });
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt' +
        '?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z' +
        '&X-Amz-Expires=86400' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404' +
        '&X-Amz-SignedHeaders=host',
    );
  });

  it("reproduces AWS's header-signed example (GET test.txt with Range: bytes=0-9)", () => {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
    const { url, headers } = signedRequestHeaders(example, 'GET', 'test.txt', {
      now: exampleDate,
      headers: { Range: 'bytes=0-9' },
    });
    expect(url.toString()).toBe('https://examplebucket.s3.amazonaws.com/test.txt');
    expect(headers['x-amz-date']).toBe('20130524T000000Z');
    expect(headers['x-amz-content-sha256']).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });

  it('addresses objects path-style or virtual-host style, keeping ports and base paths', () => {
    const minio: S3Settings = { ...example, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true };
    expect(objectUrl(minio, 'apple-imports/d/u/x.upload').toString()).toBe(
      'http://127.0.0.1:9000/examplebucket/apple-imports/d/u/x.upload',
    );
    expect(objectUrl({ ...minio, endpoint: 'https://store.example.com/s3' }, 'a b+c').toString()).toBe(
      'https://store.example.com/s3/examplebucket/a%20b%2Bc',
    );
    expect(
      objectUrl({ ...example, endpoint: 'https://s3.eu-west-1.amazonaws.com' }, 'k/é(1).zip').toString(),
    ).toBe('https://examplebucket.s3.eu-west-1.amazonaws.com/k/%C3%A9%281%29.zip');
    const presigned = new URL(presignUrl(minio, 'PUT', 'k', { expiresInSeconds: 60, now: exampleDate }));
    expect(presigned.host).toBe('127.0.0.1:9000');
    expect(presigned.searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('encodes as SigV4 requires and refuses expiries it cannot sign', () => {
    expect(uriEncode("a/b c!'()*~._-")).toBe('a%2Fb%20c%21%27%28%29%2A~._-');
    expect(uriEncode('a/b', true)).toBe('a/b');
    expect(amzDate(new Date('2026-04-23T10:11:12.345Z'))).toBe('20260423T101112Z');
    expect(() => presignUrl(example, 'PUT', 'k', { expiresInSeconds: 8 * 86_400 })).toThrow(RangeError);
  });
});
