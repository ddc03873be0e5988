import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { type Credential, describeEachDatabase, type TestServer } from '../support/harness.ts';

// GET /api/v1/audit-logs (keyset pages, filters, scoping) and its NDJSON export (streamed, bounded memory).

async function developerWithKeys(server: TestServer, keys: number) {
  const dev = await server.api.registerDeveloper();
  const auth: Credential = { key: dev.key };
  for (let i = 0; i < keys; i++) {
    const res = await server.api.request('POST', '/api/v1/developer/api-keys', {
      auth,
      json: { name: `k${i}` },
    });
    expect(res.status).toBe(201);
  }
  return { dev, auth };
}

async function walk(server: TestServer, auth: Credential, query: string, limit: number) {
  const seqs: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const q = new URLSearchParams(query);
    q.set('limit', String(limit));
    if (cursor !== null) q.set('cursor', cursor);
    const res = await server.api.request('GET', `/api/v1/audit-logs?${q}`, { auth });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(limit);
    seqs.push(...res.body.data.map((r: { seq: number }) => r.seq));
    cursor = res.body.pagination.next_cursor;
    expect(res.body.pagination.has_more).toBe(cursor !== null);
    pages++;
  } while (cursor !== null && pages < 50);
  return seqs;
}

describeEachDatabase('audit log API', (ctx) => {
  it('lists newest first in keyset pages, each row in full, scoped to the caller', async () => {
    const server = ctx();
    const { dev, auth } = await developerWithKeys(server, 5);
    expect(await walk(server, auth, '', 2)).toEqual([6, 5, 4, 3, 2, 1]);

    const first = await server.api.request('GET', '/api/v1/audit-logs?limit=1', {
      auth,
      headers: { 'User-Agent': 'lister' },
    });
    const [row] = first.body.data;
    expect(Object.keys(row).sort()).toEqual(
      [
        'action',
        'actor',
        'created_at',
        'detail',
        'hash',
        'id',
        'ip',
        'prev_hash',
        'request_id',
        'seq',
        'target',
        'user_agent',
      ].sort(),
    );
    expect(row).toMatchObject({
      seq: 6,
      action: 'api_key.created',
      actor: { type: 'api_key', id: expect.any(String) },
      target: { type: 'api_key', id: expect.any(String) },
      detail: { name: 'k4', prefix: expect.any(String) },
      id: expect.stringMatching(/^\d+$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const second = await server.api.request('GET', '/api/v1/audit-logs?limit=2', { auth });
    expect(second.body.data[0].prev_hash).toBe(second.body.data[1].hash);

    // The export's lines are the list's rows, oldest first.

    const listed = await server.api.request('GET', '/api/v1/audit-logs?limit=200', { auth });

    const exportedOwn = await server.api.request('GET', '/api/v1/audit-logs/export', { auth });

    expect(exportedOwn.text.endsWith('\n')).toBe(true);

    expect(
      exportedOwn.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual(listed.body.data.reverse());

    // Another developer sees only their own trail, in the list and in the export.
    const other = await server.api.registerDeveloper();
    const theirs = await server.api.request('GET', '/api/v1/audit-logs', { auth: { key: other.key } });
    expect(theirs.body.data.map((r: { action: string }) => r.action)).toEqual(['developer.registered']);
    expect(theirs.body.data[0].target).toEqual({ type: 'developer', id: other.id });
    const exported = await server.api.request('GET', '/api/v1/audit-logs/export', {
      auth: { key: other.key },
    });
    const lines = exported.text.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ seq: 1, target: { id: other.id } });
    expect(exported.text).not.toContain(dev.id);
  });

  it('filters by action (exact or group wildcard) and by since/until; bad filters and cursors are 422', async () => {
    const server = ctx();
    const { auth } = await developerWithKeys(server, 3);
    const actions = async (query: string) => {
      const res = await server.api.request('GET', `/api/v1/audit-logs?${query}`, { auth });
      expect(res.status, res.text).toBe(200);
      return res.body.data.map((r: { action: string }) => r.action);
    };
    expect(await actions('action=api_key.created')).toEqual(Array(3).fill('api_key.created'));
    expect(await actions('action=api_key.*')).toHaveLength(3);
    expect(await actions('action=developer.*')).toEqual(['developer.registered']);
    expect(await actions('action=webhook_endpoint.deleted')).toEqual([]);
    expect(await walk(server, auth, 'action=api_key.*', 2)).toEqual([4, 3, 2]);

    const today = new Date().toISOString().slice(0, 10);
    expect(await actions(`since=${today}&until=${today}`)).toHaveLength(4);
    expect(await actions('until=2000-01-01')).toEqual([]);
    expect(await actions('since=9999-12-30')).toEqual([]);
    expect(await actions(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual(
      [],
    );
    expect(
      await actions(`until=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`),
    ).toHaveLength(4);
    const filteredExport = await server.api.request(
      'GET',
      '/api/v1/audit-logs/export?action=developer.registered',
      {
        auth,
      },
    );
    expect(
      filteredExport.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).action),
    ).toEqual(['developer.registered']);

    const page = await server.api.request('GET', '/api/v1/audit-logs?limit=1&action=api_key.*', { auth });
    const cursor = page.body.pagination.next_cursor as string;
    const forged = Buffer.from(JSON.stringify({ s: 1e300, q: '' })).toString('base64url');
    const extra = Buffer.from(JSON.stringify({ s: 2, q: '||', x: 1 })).toString('base64url');
    for (const bad of [
      'action=bogus',
      'action=nope.*',
      'action=*',
      'action=api_key.',
      'since=2026-13-01',
      'since=10000-01-01',
      'until=0000-01-01',
      'since=2026-02-01&until=2026-01-01',
      'cursor=not-a-cursor',
      `cursor=${forged}`,
      `cursor=${extra}`,
      // A cursor from another query would skip rows.
      `cursor=${cursor}&action=api_key.created`,
      'limit=0',
      'limit=201',
    ]) {
      for (const path of ['/api/v1/audit-logs', '/api/v1/audit-logs/export']) {
        if (path.endsWith('export') && /cursor|limit/.test(bad)) continue;
        const res = await server.api.request('GET', `${path}?${bad}`, { auth });
        expect(res.status, `${path}?${bad}: ${res.text}`).toBe(422);
        expect(res.body.detail).toBeDefined();
      }
    }
    expect((await server.api.request('GET', '/api/v1/audit-logs')).status).toBe(401);
    expect((await server.api.request('GET', '/api/v1/audit-logs/export')).status).toBe(401);
  });

  it('lists the action catalogue and its wildcards, each of which the filter accepts', async () => {
    const server = ctx();
    const { auth } = await developerWithKeys(server, 1);
    const res = await server.api.request('GET', '/api/v1/audit-logs/actions', { auth });
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toContain('api_key.created');
    expect(res.body.groups).toEqual(
      expect.arrayContaining(['api_key.*', 'nutrition.*', 'nutrition.review.*']),
    );
    for (const action of [...res.body.data, ...res.body.groups]) {
      const page = await server.api.request('GET', `/api/v1/audit-logs?limit=1&action=${action}`, { auth });
      expect(page.status, `${action}: ${page.text}`).toBe(200);
    }
    const keys = await server.api.request('GET', '/api/v1/audit-logs?action=api_key.*', { auth });
    expect(keys.body.data.map((r: { action: string }) => r.action)).toEqual(['api_key.created']);
    expect((await server.api.request('GET', '/api/v1/audit-logs/actions')).status).toBe(401);
  });

  it('exports 100,000 rows as NDJSON, streamed with flat memory', async () => {
    const server = ctx();
    const dev = await server.api.registerDeveloper();
    const db = server.platform.deps.db;
    const n = 100_000;
    // Rows as a bulk load would write them (chain fields are placeholders: the export does not check
    // the chain, `audit verify` does). Seq 1 is the registration.
    await sql`
        insert into audit_logs (developer_id, seq, actor_type, actor_id, action, target_type, target_id, ip,
                                user_agent, request_id, detail, created_at, prev_hash, hash)
        select ${dev.id}::uuid, g + 1, 'api_key', 'key-' || (g % 7), 'webhook_endpoint.updated',
               'webhook_endpoint', 'ep_' || g, '203.0.113.' || (g % 250), 'bulk-loader/1.0',
               'req-' || g, jsonb_build_object('changed', jsonb_build_array('url', 'filter_types'), 'n', g),
               now(), repeat('0', 64), lpad(g::text, 64, '0')
        from generate_series(1, ${n}) g`.execute(db);
    await sql`update audit_chain_heads set seq = ${n + 1} where developer_id = ${dev.id}`.execute(db);

    // Live heap: collected before each sample, so what is measured is what the server holds, not
    // garbage the collector has not come round to yet.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const started = Date.now();
    const baseline = heap();
    let peak = baseline;
    const response = await fetch(`${server.url}/api/v1/audit-logs/export?action=webhook_endpoint.updated`, {
      headers: { 'X-WearLink-API-Key': dev.key },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="wearlink-audit-log-.*\.ndjson"$/,
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    let firstLine = '';
    let tail = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      chunks++;
      for (const byte of value) if (byte === 10) lines++;
      if (firstLine === '' && chunks === 1)
        firstLine = Buffer.from(value).toString('utf8').split('\n')[0] ?? '';
      tail = (
        tail + Buffer.from(value.subarray(Math.max(0, value.byteLength - 4000))).toString('utf8')
      ).slice(-4000);
      if (chunks % 100 === 0) peak = Math.max(peak, heap());
    }
    peak = Math.max(peak, heap());
    const seconds = (Date.now() - started) / 1000;
    const growthMb = (peak - baseline) / 1048576;
    const sizeMb = bytes / 1048576;
    console.log(
      `audit export: ${lines} lines, ${sizeMb.toFixed(1)} MiB in ${seconds.toFixed(1)} s, ${chunks} chunks; live heap ${(baseline / 1048576).toFixed(0)} MiB → peak ${(peak / 1048576).toFixed(0)} MiB (+${growthMb.toFixed(1)} MiB)`,
    );
    expect(lines).toBe(n);
    expect(JSON.parse(firstLine)).toMatchObject({
      seq: 2,
      action: 'webhook_endpoint.updated',
      detail: { n: 1 },
    });
    expect(JSON.parse(tail.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({ seq: n + 1, detail: { n } });
    // Streamed, a page at a time: the heap never holds more than a small part of the export (the
    // whole export as strings and row objects would be several times its size).
    expect(bytes).toBeGreaterThan(30 * 1048576);
    expect(growthMb).toBeLessThan(Math.min(16, sizeMb / 4));
  }, 120_000);
});
