import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { postWebhook } from '../../src/webhooks/delivery.ts';
import { addressRefusal, guardedLookup, isPrivateAddress, urlRefusal } from '../../src/webhooks/ssrf.ts';
import { describeEachDatabase } from '../support/harness.ts';
import { startReceiver, waitUntil } from './receiver.ts';

/** Addresses a webhook must never reach, each with the class it must be refused as. */
const refused: [string, RegExp][] = [
  ['127.0.0.1', /loopback/],
  ['127.255.255.254', /loopback/],
  ['0.0.0.0', /unspecified/],
  ['10.1.2.3', /private/],
  ['172.16.5.4', /private/],
  ['192.168.1.1', /private/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['169.254.169.254', /link-local/],
  ['192.0.0.8', /reserved/],
  ['192.0.2.1', /reserved/],
  ['198.18.0.1', /reserved/],
  ['224.0.0.1', /multicast/],
  ['240.0.0.1', /reserved/],
  ['255.255.255.255', /broadcast/],
  ['::', /unspecified/],
  ['::1', /loopback/],
  // IPv4-mapped: judged as the IPv4 address it stands for.
  ['::ffff:127.0.0.1', /loopback/],
  ['::ffff:7f00:1', /loopback/],
  ['::ffff:10.0.0.1', /private/],
  ['::ffff:169.254.169.254', /link-local/],
  // Deprecated IPv4-compatible ::a.b.c.d (ipaddr.js calls these unicast): `http://[::127.0.0.1]/`.
  ['::7f00:1', /IPv4-compatible/],
  ['::a00:1', /IPv4-compatible/],
  ['::808:808', /IPv4-compatible/],
  // 6to4 embedding 127.0.0.1 and 10.0.0.1, and any other 6to4 or Teredo address.
  ['2002:7f00:1::', /6to4/],
  ['2002:a00:1::1', /6to4/],
  ['2002:808:808::1', /6to4/],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
  // NAT64: leads where its embedded IPv4 address does.
  ['64:ff9b::7f00:1', /NAT64 address of 127\.0\.0\.1, a loopback/],
  ['64:ff9b::a9fe:a9fe', /NAT64 address of 169\.254\.169\.254, a link-local/],
  ['64:ff9b:1::808:808', /local-use NAT64/],
  ['::ffff:0:7f00:1', /IPv4-translated/],
  ['fec0::1', /site-local/],
  ['fc00::1', /unique-local/],
  ['fd00:ec2::254', /unique-local/],
  ['fe80::1', /link-local/],
  ['ff02::1', /multicast/],
  ['100::1', /discard/],
  ['2001:db8::1', /reserved/],
  ['not-an-address', /not an IP address/],
];

const allowed = [
  '8.8.8.8',
  '93.184.216.34',
  '1.1.1.1',
  '::ffff:8.8.8.8',
  '2606:4700:4700::1111',
  '2a00:1450:4001:82b::200e',
  // NAT64 of a public address: how an IPv6-only network reaches an IPv4-only receiver.
  '64:ff9b::808:808',
];

describe('webhook address classification', () => {
  it.each(refused)('refuses %s', (address, reason) => {
    expect(addressRefusal(address)).toMatch(reason);
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(allowed)('allows %s', (address) => {
    expect(addressRefusal(address)).toBeUndefined();
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses the URLs of the finding, whatever their spelling, and says why', async () => {
    const cases: [string, RegExp][] = [
      ['http://[::127.0.0.1]/', /IPv4-compatible/],
      ['http://[2002:7f00:1::]/', /6to4/],
      ['http://[fec0::1]/', /site-local/],
      ['http://[0:0:0:0:0:ffff:7f00:1]:8080/x', /loopback/],
      ['http://0x7f.1/', /loopback/],
      ['http://2130706433/', /loopback/],
      ['http://[64:ff9b::127.0.0.1]/', /NAT64 address of 127\.0\.0\.1/],
      ['http://localhost:1/', /resolves to .*loopback/],
    ];
    for (const [url, reason] of cases) {
      expect(await urlRefusal(url, false), url).toMatch(reason);
      expect(await urlRefusal(url, true), url).toBeUndefined();
    }
    expect(await urlRefusal('https://8.8.8.8/hook', false)).toBeUndefined();
    expect(await urlRefusal('https://[2606:4700:4700::1111]/hook', false)).toBeUndefined();
  });
});

describe('webhook delivery refuses private addresses at connect time', () => {
  it('never connects to a private address, by literal or through DNS', async () => {
    const receiver = await startReceiver();
    try {
      const port = new URL(receiver.url('/')).port;
      for (const target of [
        `http://localhost:${port}/dns`,
        `http://[::ffff:127.0.0.1]:${port}/mapped`,
        `http://127.0.0.1:${port}/literal`,
      ]) {
        const result = await postWebhook(target, '{}', {}, { timeoutMs: 2000, allowPrivate: false });
        expect(result.statusCode, target).toBeNull();
        expect(result.error, target).toMatch(/refused: .*loopback/);
      }
      expect(receiver.received).toHaveLength(0);
      // The same receiver is reached when private addresses are allowed: the refusal above was the guard.
      const allowedResult = await postWebhook(
        `http://localhost:${port}/ok`,
        '{}',
        {},
        {
          timeoutMs: 2000,
          allowPrivate: true,
        },
      );
      expect(allowedResult.statusCode).toBe(200);
    } finally {
      await receiver.close();
    }
  });

  it('the guarded lookup refuses a name that resolves to a loopback address', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      guardedLookup('localhost', {}, (err) => resolve(err)),
    );
    expect(error?.code).toBe('EPRIVATE');
    expect(error?.message).toMatch(/loopback/);
  });
});

describe('webhook delivery bounds each exchange', () => {
  /** A server on 127.0.0.1 answering each path as `handlers` says; records the paths asked for. */
  async function startServer(handlers: Record<string, Parameters<typeof createServer>[1]>) {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      req.on('end', () => handlers[req.url ?? '']?.(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      url: (path: string) => `http://127.0.0.1:${port}${path}`,
      seen,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }
  const options = { timeoutMs: 2000, allowPrivate: true };

  it('does not follow redirects: the 3xx is the answer', async () => {
    const server = await startServer({
      '/moved': (_req, res) => res.writeHead(307, { location: '/elsewhere' }).end('moved'),
      '/elsewhere': (_req, res) => res.writeHead(200).end('followed'),
    });
    try {
      const result = await postWebhook(server.url('/moved'), '{}', {}, options);
      expect(result).toMatchObject({ statusCode: 307, excerpt: 'moved', error: null });
      expect(server.seen).toEqual(['/moved']);
    } finally {
      await server.close();
    }
  });

  it('gives up at the deadline on a receiver that never answers', async () => {
    const server = await startServer({ '/hang': () => {} });
    try {
      const result = await postWebhook(server.url('/hang'), '{}', {}, { ...options, timeoutMs: 300 });
      expect(result).toMatchObject({ statusCode: null, error: 'timed out after 300 ms' });
      expect(result.durationMs).toBeLessThan(1500);
    } finally {
      await server.close();
    }
  });

  it('reads at most 64 KiB of a response and keeps a short excerpt', async () => {
    let finished: boolean | undefined;
    const server = await startServer({
      '/big': (_req, res) => {
        res.on('close', () => {
          finished = res.writableFinished;
        });
        res.writeHead(200);
        // 8 MiB, more than any socket buffers between the two: the sender must drop the connection.
        const chunk = 'x'.repeat(64 * 1024);
        let left = 128;
        const write = () => {
          while (left > 0) {
            left -= 1;
            if (!res.write(chunk)) return void res.once('drain', write);
          }
          res.end();
        };
        write();
      },
    });
    try {
      const result = await postWebhook(server.url('/big'), '{}', {}, options);
      expect(result.statusCode).toBe(200);
      expect(result.error).toBeNull();
      expect(result.excerpt).toBe('x'.repeat(1024));
      await waitUntil(() => finished !== undefined, 5000, 'the receiver to see the connection close');
      expect(finished).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describeEachDatabase(
  'webhook endpoints refuse private URLs',
  (ctx) => {
    it('at creation and on update, with a 422 naming the field', async () => {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      const auth = { key: dev.key };
      const urls = ['http://[::127.0.0.1]/', 'http://[2002:7f00:1::]/', 'http://[fec0::1]/'];
      for (const url of urls) {
        const res = await api.request('POST', '/api/v1/webhooks/endpoints', { auth, json: { url } });
        expect(res.status, url).toBe(422);
        expect(res.body.detail[0].loc).toEqual(['body', 'url']);
      }
      const created = await api.request('POST', '/api/v1/webhooks/endpoints', {
        auth,
        json: { url: 'https://8.8.8.8/hook' },
      });
      expect(created.status, created.text).toBe(201);
      for (const url of urls) {
        const res = await api.request('PATCH', `/api/v1/webhooks/endpoints/${created.body.id}`, {
          auth,
          json: { url },
        });
        expect(res.status, url).toBe(422);
      }
      const list = await api.request('GET', '/api/v1/webhooks/endpoints', { auth });
      expect(JSON.stringify(list.body)).not.toMatch(/::127|2002:|fec0/);
    });
  },
  { worker: false },
);
