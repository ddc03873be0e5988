import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg } from 'node:os';
import { Pool } from 'undici';
import {
  benchPgUrl,
  fmt,
  json,
  peakRssMiB,
  pgReachable,
  registerBenchUser,
  startServerProcess,
  withPostgresSchema,
} from './support.ts';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const LIVE_EVENTS = Math.min(1000, EVENTS);
/** Events per second of the latency leg (open loop). */
const LIVE_RATE = Number(process.env.BENCH_WEBHOOK_LIVE_RATE ?? 100);
const CONCURRENCY = 64;
/** Which backends run: BENCH_WEBHOOK_LEGS=postgres (or pglite) for one, e.g. under a profiler. */
const LEGS = (process.env.BENCH_WEBHOOK_LEGS ?? 'postgres,pglite').split(',');

/** User + system CPU seconds a process has used so far (Linux: utime and stime of /proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function startReceiver() {
  const firstSeen = new Map<string, number>();
  const bodies: string[] = [];
  let last = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      const now = Date.now();
      if (typeof id === 'string' && !firstSeen.has(id)) {
        firstSeen.set(id, now);
        if (bodies.length < EVENTS) bodies.push(Buffer.concat(chunks).toString('utf8'));
      }
      last = now;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/hook`,
    firstSeen,
    bodies,
    last: () => last,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Bare node:http POSTs of the bodies, CONCURRENCY at a time over a keep-alive agent. */
async function bareNodeHttp(url: string, bodies: string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'webhook-id': 'baseline' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  try {
    return await postAll(bodies, post);
  } finally {
    agent.destroy();
  }
}

/** Bare undici POSTs (its raw dispatch, the cheapest call it has) over a pool of CONCURRENCY connections. */
async function bareUndici(url: string, bodies: string[]): Promise<number> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: CONCURRENCY });
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      pool.dispatch(
        {
          path: target.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': 'baseline' },
          body,
        },
        {
          onRequestStart: () => {},
          onResponseEnd: () => resolve(),
          onResponseError: (_c, error) => reject(error),
        },
      );
    });
  try {
    return await postAll(bodies, post);
  } finally {
    await pool.close();
  }
}

async function postAll(bodies: string[], post: (body: string) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) await post(bodies[next++] as string);
    }),
  );
  return bodies.length / ((performance.now() - started) / 1000);
}

/**
 * The fastest bare way found to POST the same bodies to the same receiver from one process: the ratio
 * is against that, not against a client the server no longer uses.
 */
async function baseline(url: string, bodies: string[]) {
  const nodeHttp = await bareNodeHttp(url, bodies);
  const undici = await bareUndici(url, bodies);
  return { best: Math.max(nodeHttp, undici), nodeHttp, undici };
}

async function waitFor(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (!done()) throw new Error(what());
}

/** One backend: a fresh receiver and `wearlink serve` process with `env`, measured as described above. */
async function measure(label: string, env: Record<string, string>): Promise<string[]> {
  const receiver = await startReceiver();
  const server = await startServerProcess({
    ...env,
    WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
    // The poll interval is the server's default (the safety net) unless BENCH_WEBHOOK_POLL_MS says otherwise:
    // a committed message is meant to wake the loop, so a short poll here would hide what the latency is.
    ...(process.env.BENCH_WEBHOOK_POLL_MS
      ? { WEBHOOK_POLL_INTERVAL_MS: process.env.BENCH_WEBHOOK_POLL_MS }
      : {}),
    // One endpoint here: let it use the whole pool (the per-endpoint cap is for fairness between many).
    WEBHOOK_CONCURRENCY_PER_ENDPOINT: process.env.WEBHOOK_CONCURRENCY_PER_ENDPOINT ?? '64',
    RATE_LIMIT_PER_MINUTE: '1000000',
  });
  try {
    const { key } = await registerBenchUser(server.url);
    const endpoint = await json(`${server.url}/api/v1/webhooks/endpoints`, {
      method: 'POST',
      key,
      body: JSON.stringify({ url: receiver.url, disabled: true }),
    });
    const requestMs: number[] = [];
    const enqueueOne = async (enqueuedAt: Map<string, number>) => {
      const before = Date.now();
      const res = await json(`${server.url}/api/v1/webhooks/endpoints/${endpoint.id}/test`, {
        method: 'POST',
        key,
      });
      requestMs.push(Date.now() - before);
      // What is timed must be what was asked for: one new message per request.
      if (typeof res?.message_id !== 'string' || enqueuedAt.has(res.message_id))
        throw new Error(`${label}: the test route answered ${JSON.stringify(res)}`);
      enqueuedAt.set(res.message_id, before);
    };
    const expectAll = (enqueuedAt: Map<string, number>, count: number) => {
      if (enqueuedAt.size !== count)
        throw new Error(`${label}: ${enqueuedAt.size}/${count} messages enqueued`);
    };
    /** As fast as 16 parallel streams go: the backlog of the throughput leg. */
    const enqueue = async (count: number, enqueuedAt: Map<string, number>) => {
      let sent = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (sent < count) {
            sent++;
            await enqueueOne(enqueuedAt);
          }
        }),
      );
      expectAll(enqueuedAt, count);
    };
    /**
     * Open loop at LIVE_RATE events/s (each request starts on its schedule, whether or not the previous
     * ones were answered): latency at a steady load below saturation, not the queueing of a flood.
     */
    const enqueuePaced = async (count: number, enqueuedAt: Map<string, number>) => {
      const started = performance.now();
      const requests: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = started + (i * 1000) / LIVE_RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        requests.push(enqueueOne(enqueuedAt));
      }
      await Promise.all(requests);
      expectAll(enqueuedAt, count);
    };
    // Throughput: the backlog is committed while the endpoint is disabled, then released at once.
    const enqueuedAt = new Map<string, number>();
    const enqueueStarted = performance.now();
    await enqueue(EVENTS, enqueuedAt);
    const enqueueSeconds = (performance.now() - enqueueStarted) / 1000;
    // The server's CPU per delivery: other work shares the 2 cores, so this is steadier than the rate.
    const pid = server.child.pid as number;
    const cpuBefore = cpuSeconds(pid);
    await json(`${server.url}/api/v1/webhooks/endpoints/${endpoint.id}`, {
      method: 'PATCH',
      key,
      body: JSON.stringify({ disabled: false }),
    });
    const released = Date.now();
    await waitFor(
      () => receiver.firstSeen.size >= EVENTS,
      () => `${label}: only ${receiver.firstSeen.size}/${EVENTS} delivered`,
    );
    const serverCpu = cpuSeconds(pid) - cpuBefore;
    const deliverySeconds = (Math.max(...receiver.firstSeen.values()) - released) / 1000;
    // Exactly the committed backlog arrived, each message a well-formed test event.
    const strays = [...receiver.firstSeen.keys()].filter((id) => !enqueuedAt.has(id));
    const malformed = receiver.bodies.filter((b) => JSON.parse(b).type !== 'webhook.test');
    if (receiver.firstSeen.size !== EVENTS || strays.length > 0 || malformed.length > 0)
      throw new Error(
        `${label}: ${receiver.firstSeen.size} delivered for ${EVENTS}, ${strays.length} unknown ids, ${malformed.length} bodies not webhook.test`,
      );
    // Latency: events enqueued at a steady rate against an idle, enabled endpoint.
    const live = new Map<string, number>();
    await enqueuePaced(LIVE_EVENTS, live);
    await waitFor(
      () => [...live.keys()].every((id) => receiver.firstSeen.has(id)),
      () => `${label}: live events not all delivered`,
    );
    if (receiver.firstSeen.size !== EVENTS + LIVE_EVENTS)
      throw new Error(`${label}: ${receiver.firstSeen.size} distinct messages for ${EVENTS + LIVE_EVENTS}`);
    const liveRequests = requestMs.slice(EVENTS).sort((a, b) => a - b);
    const latencies = [...live]
      .map(([id, at]) => (receiver.firstSeen.get(id) ?? at) - at)
      .sort((a, b) => a - b);
    const rate = EVENTS / Math.max(deliverySeconds, 0.001);
    const serverRss = peakRssMiB(server.child.pid);
    const base = await baseline(receiver.url, receiver.bodies);
    return [
      label,
      `  enqueue over HTTP:       ${fmt(EVENTS / enqueueSeconds)} events/s (${enqueueSeconds.toFixed(1)} s)`,
      `  delivered:               ${fmt(rate)} deliveries/s (a committed backlog, released at once)`,
      `  enqueue→first attempt:   (${fmt(LIVE_EVENTS)} live events at ${fmt(LIVE_RATE)}/s) p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms (from the start of the enqueue request, whose own p50 is ${fmt(percentile(liveRequests, 50))} ms)`,
      `  CPU per delivery:        server ${fmt((serverCpu / EVENTS) * 1e6)} µs (over the backlog)`,
      `  baseline bare POSTs:     ${fmt(base.best)} requests/s (node:http ${fmt(base.nodeHttp)}, undici ${fmt(base.undici)})  → ratio ${(rate / base.best).toFixed(2)}`,
      `  server peak RSS:         ${serverRss ?? '?'} MiB`,
    ];
  } finally {
    await server.stop();
    await receiver.close();
  }
}

async function main() {
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  const results: string[] = [];

  if (!LEGS.includes('postgres')) {
    results.push('PostgreSQL  not run (BENCH_WEBHOOK_LEGS)');
  } else if (await pgReachable()) {
    results.push(...(await withPostgresSchema('benchw', secrets, (env) => measure('PostgreSQL', env))));
  } else {
    results.push(`PostgreSQL  skipped: ${benchPgUrl} does not answer`);
  }

  if (LEGS.includes('pglite'))
    results.push(...(await measure('PGlite', { WEARLINK_DATA_DIR: 'memory://', ...secrets })));
  else results.push('PGlite  not run (BENCH_WEBHOOK_LEGS)');

  console.log(
    `webhooks: ${fmt(EVENTS)} events per backend, concurrency ${CONCURRENCY}, poll ${process.env.BENCH_WEBHOOK_POLL_MS ?? 'default'} ms, load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (const line of results) console.log(`  ${line}`);
  console.log(`  bench client peak RSS ${peakRssMiB() ?? '?'} MiB`);
}

await main();
