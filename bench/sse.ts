/**
 * SSE benchmark (issue 23): live sync events to many clients.
 *
 * A real `wearlink serve` process; one developer with BENCH_SSE_USERS users. Per leg (in-process bus;
 * Redis bus when REDIS_URL answers), for each client count (1,000 then 10,000 by default):
 *   1. connect storm: the clients (spread round-robin over the users) open
 *      GET /api/v1/users/{id}/sync/stream at BENCH_SSE_STORM_RATE connections/s; a connection counts as
 *      held once its `: connected` comment arrives, as failed on any socket error, non-200 or no
 *      `: connected` within 30 s;
 *   2. publish: SDK pushes of one record each, round-robin over the users, for BENCH_SSE_SECONDS; each
 *      push is a sync run whose events (queued, running, …, completed) the server publishes on its bus;
 *   3. check: every held client received every event its user's log holds from the publish phase,
 *      exactly once (GET …/sync/recent is the truth), before any latency is printed;
 *   4. publish → receive latency: receive time minus the event's own `timestamp` (set right before the
 *      server publishes it; both processes share this machine's clock).
 * Baseline in the same run: a bare node:http SSE server (this file, run with `--bare`) answering the same
 * routes with the same frames and fan-out, no auth, database or framework: every figure is also printed as
 * a ratio to it at the same client count. CPU is read from /proc for the server and from
 * process.cpuUsage() for this client, per connection over the storm, so a loaded machine (other work
 * stretches wall-clock times) still gives comparable figures.
 * The client is raw `net` sockets with a minimal chunked/SSE parser, so it costs little next to the server.
 *
 *   npx tsx bench/sse.ts       BENCH_SSE_CLIENTS=1000 BENCH_SSE_USERS=50 npx tsx bench/sse.ts
 *   BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/sse.ts
 *   BENCH_SSE_LEGS=bare,pg npx tsx bench/sse.ts   (legs: bare, pg, pg-redis, pglite; all by default)
 *
 * Needs `ulimit -n` above the largest client count (+ a margin) in this shell: the client process holds
 * one descriptor per connection, and so does the server it spawns.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { Redis } from 'ioredis';
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

const CLIENTS = (process.env.BENCH_SSE_CLIENTS ?? '1000,10000').split(',').map(Number);
const USERS = Number(process.env.BENCH_SSE_USERS ?? 100);
const STORM_RATE = Number(process.env.BENCH_SSE_STORM_RATE ?? 2000);
/** SDK pushes per second; each publishes several events (≥ 100 events/s is the target load). */
const PUSH_RATE = Number(process.env.BENCH_SSE_PUSH_RATE ?? 40);
const SECONDS = Number(process.env.BENCH_SSE_SECONDS ?? 10);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Which servers to measure, for a quicker A/B: bare, pg, pg-redis, pglite. */
const LEGS = new Set((process.env.BENCH_SSE_LEGS ?? 'bare,pg,pg-redis,pglite').split(','));
const CONNECT_TIMEOUT_MS = 30_000;

const now = () => performance.timeOrigin + performance.now();
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
/** User + system CPU of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
const clientCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) / 1024;
}

interface Received {
  eventId: string;
  latencyMs: number;
}

/** One SSE connection on a raw socket: HTTP/1.1 response head, chunked body, `data:` lines. */
class Client {
  readonly events: Received[] = [];
  state: 'connecting' | 'held' | 'failed' | 'closed' = 'connecting';
  failure = '';
  connectMs = 0;
  #socket: net.Socket;
  #buf = '';
  #head = true;
  #chunkLeft = -1; // -1: reading a chunk-size line
  #body = '';
  readonly #started = now();
  #onSettle: () => void;
  #timer: NodeJS.Timeout;

  constructor(port: number, path: string, key: string, onSettle: () => void) {
    this.#onSettle = onSettle;
    this.#socket = net.connect({ port, host: '127.0.0.1' });
    this.#socket.setNoDelay(true);
    this.#socket.setEncoding('latin1');
    this.#socket.on('connect', () =>
      this.#socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-WearLink-API-Key: ${key}\r\nAccept: text/event-stream\r\n\r\n`,
      ),
    );
    this.#socket.on('data', (d: string) => this.#data(d));
    this.#socket.on('error', (e) => this.#fail(`socket: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    this.#socket.on('close', () => this.#fail('closed by server'));
    this.#timer = setTimeout(() => this.#fail('no `: connected` within 30 s'), CONNECT_TIMEOUT_MS);
  }

  #fail(why: string) {
    if (this.state === 'connecting') {
      this.state = 'failed';
      this.failure = why;
      clearTimeout(this.#timer);
      this.#socket.destroy();
      this.#onSettle();
    } else if (this.state === 'held') {
      this.state = 'failed';
      this.failure = `after connect: ${why}`;
    }
  }

  close() {
    if (this.state === 'held') this.state = 'closed';
    clearTimeout(this.#timer);
    this.#socket.destroy();
  }

  #data(d: string) {
    this.#buf += d;
    if (this.#head) {
      const end = this.#buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#buf.slice(0, end);
      this.#buf = this.#buf.slice(end + 4);
      this.#head = false;
      const status = head.slice(9, 12);
      if (status !== '200') return this.#fail(`HTTP ${status}`);
      if (!/transfer-encoding:\s*chunked/i.test(head)) this.#chunkLeft = Number.POSITIVE_INFINITY;
    }
    // De-chunk into #body. #chunkLeft: -1 reading a size line, -2 a chunk's trailing CRLF, else bytes left.
    for (;;) {
      if (this.#chunkLeft === -1) {
        const eol = this.#buf.indexOf('\r\n');
        if (eol < 0) break;
        this.#chunkLeft = Number.parseInt(this.#buf.slice(0, eol), 16);
        this.#buf = this.#buf.slice(eol + 2);
        if (this.#chunkLeft === 0) return this.#fail('stream ended');
      } else if (this.#chunkLeft === -2) {
        if (this.#buf.length < 2) break;
        this.#buf = this.#buf.slice(2);
        this.#chunkLeft = -1;
      } else {
        if (this.#buf.length === 0) break;
        const take = Math.min(this.#chunkLeft, this.#buf.length);
        this.#body += this.#buf.slice(0, take);
        this.#buf = this.#buf.slice(take);
        this.#chunkLeft -= take;
        if (this.#chunkLeft === 0) this.#chunkLeft = -2;
      }
    }
    this.#messages();
  }

  #messages() {
    let end = this.#body.indexOf('\n\n');
    while (end >= 0) {
      const message = this.#body.slice(0, end);
      this.#body = this.#body.slice(end + 2);
      if (message.startsWith(': connected') && this.state === 'connecting') {
        this.state = 'held';
        this.connectMs = now() - this.#started;
        clearTimeout(this.#timer);
        this.#onSettle();
      }
      for (const line of message.split('\n')) {
        if (!line.startsWith('data:')) continue;
        // Date.now(), not the monotonic now(): the event's timestamp is the server's wall clock, and the
        // two drifted seconds apart in one long run here (negative latencies).
        const at = Date.now();
        // latin1 keeps the bytes; the fields read here are ASCII.
        const event = JSON.parse(line.slice(5)) as { event_id: string; timestamp: string };
        this.events.push({ eventId: event.event_id, latencyMs: at - Date.parse(event.timestamp) });
      }
      end = this.#body.indexOf('\n\n');
    }
  }
}

interface Setup {
  url: string;
  port: number;
  key: string;
  users: string[];
}

async function setUp(url: string): Promise<Setup> {
  const { key, userId } = await registerBenchUser(url);
  const users = [userId];
  while (users.length < USERS) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, USERS - users.length) }, () =>
        json(`${url}/api/v1/users`, { method: 'POST', key, body: JSON.stringify({}) }),
      ),
    );
    users.push(...batch.map((u: { id: string }) => u.id));
  }
  return { url, port: Number(new URL(url).port), key, users };
}

let pushSeq = 0;
/** One SDK push of one heart-rate record (a distinct time each, so every run stores something). */
function push(s: Setup, userId: string): Promise<unknown> {
  const start = new Date(Date.UTC(2026, 0, 1) + pushSeq++ * 1000).toISOString();
  return json(`${s.url}/api/v1/sdk/users/${userId}/sync`, {
    method: 'POST',
    key: s.key,
    body: JSON.stringify({
      provider: 'apple',
      sdkVersion: '1.0.0',
      data: {
        records: [
          {
            type: 'HKQuantityTypeIdentifierHeartRate',
            startDate: start,
            endDate: start,
            value: 60,
            unit: 'count/min',
            source: { deviceName: 'Apple Watch', deviceType: 'watch' },
          },
        ],
        workouts: [],
        sleep: [],
      },
    }),
  });
}

/** Opens `count` clients at STORM_RATE/s over the users; resolves when each is held or failed. */
async function storm(
  s: Setup,
  count: number,
  users: string[],
): Promise<{ clients: Client[]; seconds: number }> {
  const clients: Client[] = [];
  let settled = 0;
  const all = new Promise<void>((resolve) => {
    const onSettle = () => {
      settled++;
      if (settled === count) resolve();
    };
    const started = now();
    const tick = () => {
      // Open as many as the rate allows by now (timers are coarse under load; this keeps the rate).
      const due = Math.min(count, Math.ceil(((now() - started) / 1000) * STORM_RATE));
      while (clients.length < due) {
        const user = users[clients.length % users.length] as string;
        clients.push(new Client(s.port, `/api/v1/users/${user}/sync/stream?replay=1`, s.key, onSettle));
      }
      if (clients.length < count) setTimeout(tick, 5);
    };
    tick();
  });
  const t0 = now();
  await all;
  return { clients, seconds: (now() - t0) / 1000 };
}

/** Publishes for `seconds` at PUSH_RATE pushes/s over `users`; returns when every push was accepted. */
async function publish(s: Setup, users: string[], seconds: number, rate = PUSH_RATE): Promise<number> {
  const started = now();
  const inFlight: Promise<unknown>[] = [];
  let sent = 0;
  while (now() - started < seconds * 1000) {
    const due = Math.floor(((now() - started) / 1000) * rate);
    while (sent < due) inFlight.push(push(s, users[sent++ % users.length] as string));
    await sleep(5);
  }
  await Promise.all(inFlight);
  return sent;
}

/** Each user's events in the log from `since` on (the truth the clients are checked against). */
async function loggedSince(s: Setup, users: string[], since: number): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < users.length; i += 10) {
    await Promise.all(
      users.slice(i, i + 10).map(async (u) => {
        const events = (await json(`${s.url}/api/v1/users/${u}/sync/recent?limit=200`, { key: s.key })) as {
          event_id: string;
          timestamp: string;
        }[];
        if (events.length >= 200) throw new Error(`user ${u}: 200+ events in the log; lower the load`);
        out.set(u, new Set(events.filter((e) => Date.parse(e.timestamp) >= since).map((e) => e.event_id)));
      }),
    );
  }
  return out;
}

/** Waits until no client has received anything for `quietMs` (the runs have finished). */
async function quiesce(clients: Client[], quietMs = 3000, maxMs = 120_000): Promise<void> {
  const total = () => clients.reduce((n, c) => n + c.events.length, 0);
  const deadline = Date.now() + maxMs;
  let last = total();
  let lastChange = Date.now();
  while (Date.now() < deadline) {
    await sleep(250);
    const t = total();
    if (t !== last) {
      last = t;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= quietMs) return;
  }
}

/**
 * Checks every held client against its user's log; returns the latencies of the publish phase, or a
 * list of what is wrong.
 */
function check(
  clients: Client[],
  users: string[],
  truth: Map<string, Set<string>>,
): { latencies: number[]; errors: string[]; expectedDeliveries: number } {
  const errors: string[] = [];
  const latencies: number[] = [];
  let expectedDeliveries = 0;
  clients.forEach((c, i) => {
    if (c.state !== 'held') return;
    const user = users[i % users.length] as string;
    const want = truth.get(user) ?? new Set();
    expectedDeliveries += want.size;
    const seen = new Set<string>();
    for (const e of c.events) {
      if (!want.has(e.eventId)) continue; // the replayed event from before the phase
      if (seen.has(e.eventId)) errors.push(`client ${i}: ${e.eventId} twice`);
      seen.add(e.eventId);
      latencies.push(e.latencyMs);
    }
    if (seen.size !== want.size) errors.push(`client ${i} (user ${user}): ${seen.size}/${want.size} events`);
  });
  return { latencies: latencies.sort((a, b) => a - b), errors, expectedDeliveries };
}

/** What one client count measured; `latency` is undefined when the check failed. */
interface Figures {
  lines: string[];
  serverCpuPerConn: number;
  latency?: { p50: number; p99: number };
}

async function measureClients(s: Setup, pid: number, count: number): Promise<Figures> {
  const rssBefore = rssMiB(pid);
  const cpu0 = [cpuMs(pid), clientCpuMs()] as const;
  const { clients, seconds } = await storm(s, count, s.users);
  const stormCpu = [cpuMs(pid) - cpu0[0], clientCpuMs() - cpu0[1]] as const;
  const held = clients.filter((c) => c.state === 'held');
  const failed = clients.filter((c) => c.state === 'failed');
  const reasons = new Map<string, number>();
  for (const c of failed) reasons.set(c.failure, (reasons.get(c.failure) ?? 0) + 1);
  const connect = held.map((c) => c.connectMs).sort((a, b) => a - b);
  await sleep(1000);
  const rssHeld = rssMiB(pid);
  const loadStorm = load();

  const since = Date.now();
  await sleep(5); // event timestamps are ms: nothing from before `since` shares its millisecond
  const pushes = await publish(s, s.users, SECONDS);
  await quiesce(clients);
  const truth = await loggedSince(s, s.users, since);
  const published = [...truth.values()].reduce((n, set) => n + set.size, 0);
  const { latencies, errors, expectedDeliveries } = check(clients, s.users, truth);
  const dropped = clients.filter((c) => c.state === 'failed').length - failed.length;
  const rssPeak = rssMiB(pid);
  for (const c of clients) c.close();
  const serverCpuPerConn = stormCpu[0] / count;
  const lines = [
    `${fmt(count)} clients over ${s.users.length} users (load ${loadStorm} during the storm, ${load()} after)`,
    `  storm at ${fmt(STORM_RATE)}/s: ${fmt(held.length)} held, ${fmt(failed.length)} failed in ${seconds.toFixed(1)} s` +
      (reasons.size ? ` (${[...reasons].map(([r, n]) => `${n}× ${r}`).join(', ')})` : '') +
      `; time to \`: connected\` p50 ${fmt(percentile(connect, 50))} ms, p99 ${fmt(percentile(connect, 99))} ms`,
    `  CPU over the storm: server ${serverCpuPerConn.toFixed(2)} ms/connection, bench client ${(stormCpu[1] / count).toFixed(2)} ms/connection`,
    `  published ${fmt(published)} events in ${SECONDS} s (${fmt(published / SECONDS)}/s from ${fmt(pushes)} pushes); ` +
      `${fmt(latencies.length)}/${fmt(expectedDeliveries)} deliveries` +
      (dropped > 0 ? `; ${dropped} clients dropped while held` : ''),
    `  server RSS ${rssBefore.toFixed(0)} MiB before, ${rssHeld.toFixed(0)} MiB held (${(((rssHeld - rssBefore) * 1024) / Math.max(1, held.length)).toFixed(1)} KiB/connection), ${rssPeak.toFixed(0)} MiB after publishing`,
  ];
  if (errors.length > 0 || published === 0 || latencies.length === 0) {
    lines.push(
      `  CHECK FAILED (${errors.length} problems${published === 0 ? ', nothing published' : ''}): ${errors.slice(0, 5).join('; ')}`,
    );
    return { lines, serverCpuPerConn };
  }
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  lines.push(
    `  publish → receive: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(0)} ms`,
  );
  return { lines, serverCpuPerConn, latency: { p50, p99 } };
}

/** `value / base` as `2.3×`, or `?` when the baseline has no figure. */
const ratio = (value: number, base: number | undefined) =>
  base === undefined || base <= 0 ? '?' : `${(value / base).toFixed(1)}×`;

async function leg(
  label: string,
  server: { url: string; pid: number; stop(): Promise<void> },
  setup: (url: string) => Promise<Setup>,
  bare?: Map<number, Figures>,
): Promise<{ lines: string[]; figures: Map<number, Figures> }> {
  const figures = new Map<number, Figures>();
  try {
    const s = await setup(server.url);
    const lines = [label];
    for (const count of CLIENTS) {
      const f = await measureClients(s, server.pid, count);
      figures.set(count, f);
      const base = bare?.get(count);
      if (base !== undefined) {
        f.lines.push(
          `  vs the bare server: ${ratio(f.serverCpuPerConn, base.serverCpuPerConn)} its CPU per connection` +
            (f.latency
              ? `, p50 ${ratio(f.latency.p50, base.latency?.p50)}, p99 ${ratio(f.latency.p99, base.latency?.p99)}`
              : ''),
        );
      }
      lines.push(...f.lines.map((l) => `  ${l}`));
      // Printed as it comes too: a 10,000-client leg takes minutes.
      console.log(`${label}\n${f.lines.map((l) => `  ${l}`).join('\n')}`);
      await sleep(2000); // let the server reap the closed sockets before the next storm
    }
    lines.push(`  server peak RSS ${peakRssMiB(server.pid) ?? '?'} MiB`);
    return { lines, figures };
  } finally {
    await server.stop();
  }
}

async function wearlinkLeg(label: string, env: Record<string, string>, bare: Map<number, Figures>) {
  const server = await startServerProcess({ ...env, RATE_LIMIT_PER_MINUTE: '100000000' });
  const pid = server.child.pid as number;
  return (await leg(label, { url: server.url, pid, stop: server.stop }, setUp, bare)).lines;
}

/**
 * The baseline: node:http alone, the same routes and frames. A push publishes the five stages of a run
 * at once; each event goes to every open stream of its user; `recent` answers from memory.
 */
function bareServer(): void {
  const streams = new Map<string, Set<http.ServerResponse>>();
  const logs = new Map<string, { id: string; frame: string; event: Record<string, unknown> }[]>();
  let lastMs = 0;
  let seq = 0;
  const publish = (userId: string, runId: string, stage: string) => {
    const now = Date.now();
    seq = now > lastMs ? 0 : seq + 1;
    lastMs = Math.max(now, lastMs);
    const id = `${lastMs}-${seq}`;
    const event = {
      event_id: randomUUID(),
      run_id: runId,
      user_id: userId,
      provider: 'apple',
      source: 'sdk',
      stage,
      status: stage === 'completed' ? 'success' : 'running',
      message: null,
      progress: stage === 'completed' ? 1 : null,
      items_processed: 1,
      items_total: 1,
      error: null,
      metadata: {},
      started_at: new Date(now).toISOString(),
      ended_at: null,
      timestamp: new Date(now).toISOString(),
    };
    const frame = `event: sync.status\ndata: ${JSON.stringify(event)}\nid: ${id}\n\n`;
    const log = logs.get(userId) ?? [];
    log.push({ id, frame, event });
    logs.set(userId, log);
    for (const res of streams.get(userId) ?? []) res.write(frame);
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/(?:sdk\/)?users\/([^/]+)\/sync(?:\/(stream|recent))?$/.exec(url.pathname);
    const userId = m?.[1] ?? '';
    if (m?.[2] === 'stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const replay = Number(url.searchParams.get('replay') ?? 20);
      const backlog = (logs.get(userId) ?? []).slice(-replay).map((e) => e.frame);
      res.write(`: connected\n\nretry: 3000\n\n${backlog.join('')}`);
      const set = streams.get(userId) ?? new Set();
      set.add(res);
      streams.set(userId, set);
      res.on('close', () => set.delete(res));
    } else if (m?.[2] === 'recent') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const recent = (logs.get(userId) ?? []).slice(-limit).reverse();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(recent.map((e) => e.event)));
    } else if (m && req.method === 'POST') {
      req.resume();
      req.on('end', () => {
        const runId = randomUUID();
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ run_id: runId }));
        for (const stage of ['queued', 'started', 'processing', 'saving', 'completed'])
          publish(userId, runId, stage);
      });
    } else {
      res.writeHead(404).end();
    }
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 65_535 }, () => {
    console.log(`running at http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
}

async function bareLeg(): Promise<{ lines: string[]; figures: Map<number, Figures> }> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--bare'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const found = /running at (\S+)/.exec(String(d))?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`bare server exited (${code})`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const users = Array.from({ length: USERS }, () => randomUUID());
  const setup = async (u: string): Promise<Setup> => ({
    url: u,
    port: Number(new URL(u).port),
    key: 'bare',
    users,
  });
  return leg('bare node:http SSE server (baseline)', { url, pid: child.pid as number, stop }, setup);
}

async function redisReachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

async function dropKeys(prefix: string): Promise<number> {
  const r = new Redis(REDIS_URL);
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) n += await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return n;
}

async function main() {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim());
  const need = Math.max(...CLIENTS) + 1000;
  const somaxconn = readFileSync('/proc/sys/net/core/somaxconn', 'utf8').trim();
  console.log(
    `ulimit -n ${limit} (need ≥ ${fmt(need)} in this process and in the server it spawns); net.core.somaxconn ${somaxconn}`,
  );
  if (limit < need) throw new Error(`raise the limit first: ulimit -n ${need}`);
  const secrets = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  };
  const bare = LEGS.has('bare') ? await bareLeg() : { lines: [], figures: new Map<number, Figures>() };
  const results: string[] = [...bare.lines];
  const run = async (db: string, env: Record<string, string>) => {
    if (LEGS.has('pg')) results.push(...(await wearlinkLeg(`${db}, in-process bus`, env, bare.figures)));
    if (!LEGS.has('pg-redis')) return;
    if (await redisReachable()) {
      const prefix = `benchsse_${randomBytes(4).toString('hex')}:`;
      try {
        results.push(
          ...(await wearlinkLeg(
            `${db}, Redis bus`,
            { ...env, REDIS_URL, REDIS_KEY_PREFIX: prefix },
            bare.figures,
          )),
        );
      } finally {
        results.push(`  (removed ${await dropKeys(prefix)} Redis keys under ${prefix})`);
      }
    } else {
      results.push(`${db}, Redis bus skipped: ${REDIS_URL} does not answer`);
    }
  };
  if (!LEGS.has('pg') && !LEGS.has('pg-redis')) {
    // neither PostgreSQL leg asked for
  } else if (await pgReachable()) {
    await withPostgresSchema('benchsse', secrets, (env) => run('PostgreSQL', env));
  } else {
    results.push(`PostgreSQL skipped: ${benchPgUrl} does not answer`);
  }
  if (LEGS.has('pglite') && process.env.BENCH_SSE_PGLITE !== '0') {
    results.push(
      ...(await wearlinkLeg(
        'PGlite, in-process bus',
        { WEARLINK_DATA_DIR: 'memory://', ...secrets },
        bare.figures,
      )),
    );
  }
  console.log(
    `\nsse: ${CLIENTS.map(fmt).join(' and ')} clients, connect storm ${fmt(STORM_RATE)}/s, ${PUSH_RATE} SDK pushes/s for ${SECONDS} s ` +
      `(targets: 10,000 held with none failed, p99 ≤ 50 ms)`,
  );
  for (const line of results) console.log(`  ${line}`);
  console.log(`  bench client peak RSS ${peakRssMiB() ?? '?'} MiB`);
  process.exit(0);
}

if (process.argv.includes('--bare')) bareServer();
else await main();
