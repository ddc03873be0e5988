import { expect, it } from 'vitest';
import { heartRateBatch } from '../fixtures/sdk-batches.ts';
import { describeEachDatabase, type TestServer, waitForRun } from '../support/harness.ts';

interface Run {
  run_id: string;
  user_id: string;
  provider: string;
  status: string;
  stage: string;
  created_at: string;
}

interface Page {
  data: Run[];
  pagination: { next_cursor: string | null; has_more: boolean };
}

/** One SDK upload (provider apple, source sdk), waited for to completion; returns its run id. */
async function sdkRun(server: TestServer, key: string, userId: string, offsetMs: number): Promise<string> {
  const res = await server.api.request('POST', `/api/v1/sdk/users/${userId}/sync`, {
    auth: { key },
    json: heartRateBatch(4, Date.UTC(2026, 3, 1) + offsetMs),
  });
  expect(res.status).toBe(202);
  return (await waitForRun(server.api, { key }, userId, res.body.run_id)).run_id;
}

/** A sandbox pull slow enough to be cancelled: ends as status `cancelled`. */
async function cancelledRun(server: TestServer, key: string, userId: string): Promise<string> {
  const auth = { key };
  const connection = await server.api.request('POST', `/api/v1/users/${userId}/connections`, {
    auth,
    json: { provider: 'sandbox', settings: { page_delay_ms: 2000 } },
  });
  expect(connection.status).toBe(201);
  const started = await server.api.request('POST', `/api/v1/providers/sandbox/users/${userId}/sync`, {
    auth,
  });
  expect(started.status).toBe(202);
  const cancel = await server.api.request('POST', '/api/v1/sync/cancel', {
    auth,
    json: { job_id: started.body.job_id },
  });
  expect(cancel.status).toBe(200);
  const run = await waitForRun(server.api, auth, userId, started.body.job_id);
  expect(run.status).toBe('cancelled');
  return run.run_id;
}

describeEachDatabase('tenant-wide sync runs (GET /api/v1/sync/runs)', (ctx) => {
  it("lists every user's runs of the tenant, newest first, filtered, paged, and never another tenant's", async () => {
    const server = ctx();
    const a = await server.api.registerDeveloper('A');
    const b = await server.api.registerDeveloper('B');
    const [ua1, ua2] = [await server.api.createUser(a.key), await server.api.createUser(a.key)];
    const ub = await server.api.createUser(b.key);

    const aRuns: string[] = [];
    aRuns.push(await sdkRun(server, a.key, ua1.id, 0));
    const bRun = await sdkRun(server, b.key, ub.id, 0);
    aRuns.push(await sdkRun(server, a.key, ua2.id, 0));
    aRuns.push(await sdkRun(server, a.key, ua1.id, 60_000));
    aRuns.push(await cancelledRun(server, a.key, ua2.id));
    const bCancelled = await cancelledRun(server, b.key, ub.id);

    const list = async (query: string, key = a.key) => {
      const res = await server.api.request<Page>('GET', `/api/v1/sync/runs${query}`, { auth: { key } });
      expect(res.status, `${query}: ${res.text}`).toBe(200);
      return res.body;
    };

    // Everything of A, newest first; nothing of B.
    const all = await list('');
    expect(all.data.map((r) => r.run_id)).toEqual([...aRuns].reverse());
    expect(all.pagination).toEqual({ next_cursor: null, has_more: false });
    expect(all.data.every((r) => r.user_id === ua1.id || r.user_id === ua2.id)).toBe(true);
    const bAll = await list('', b.key);
    expect(bAll.data.map((r) => r.run_id)).toEqual([bCancelled, bRun]);

    // A dashboard session sees the same as the tenant's API key.
    const form = new FormData();
    form.set('username', a.email);
    form.set('password', a.password);
    const jwt = (await server.api.request('POST', '/api/v1/auth/login', { body: form })).body.access_token;
    const viaSession = await server.api.request<Page>('GET', '/api/v1/sync/runs', { auth: { bearer: jwt } });
    expect(viaSession.body.data.map((r) => r.run_id)).toEqual(all.data.map((r) => r.run_id));

    // Filters.
    expect((await list(`?user_id=${ua1.id}`)).data.map((r) => r.run_id)).toEqual([aRuns[2], aRuns[0]]);
    expect((await list(`?user_id=${ua1.id.toUpperCase()}`)).data).toHaveLength(2);
    expect((await list('?status=cancelled')).data.map((r) => r.run_id)).toEqual([aRuns[3]]);
    expect((await list('?status=success&provider=apple')).data).toHaveLength(3);
    expect((await list('?provider=sandbox')).data.map((r) => r.run_id)).toEqual([aRuns[3]]);
    expect((await list('?provider=garmin')).data).toEqual([]);
    // Another tenant's user: nothing (not B's runs).
    expect((await list(`?user_id=${ub.id}`)).data).toEqual([]);

    // Cursor paging walks the same rows, each once.
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.data.map((r) => r.run_id));
      expect(page.pagination.has_more).toBe(page.pagination.next_cursor !== null);
      cursor = page.pagination.next_cursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(seen).toEqual(all.data.map((r) => r.run_id));

    // Paging with filters.
    const first = await list(`?status=success&limit=2`);
    expect(first.pagination.has_more).toBe(true);
    const second = await list(`?status=success&limit=2&cursor=${first.pagination.next_cursor}`);
    expect([...first.data, ...second.data].map((r) => r.run_id)).toEqual([aRuns[2], aRuns[1], aRuns[0]]);

    // A cursor is bound to its filters; a made-up one is a 422, not a 500.
    const bad = async (query: string) =>
      (await server.api.request('GET', `/api/v1/sync/runs${query}`, { auth: { key: a.key } })).status;
    expect(await bad(`?status=failed&cursor=${first.pagination.next_cursor}`)).toBe(422);
    expect(await bad('?cursor=not-a-cursor')).toBe(422);
    const forged = Buffer.from(JSON.stringify({ t: '1e300', i: 'x', q: '||' })).toString('base64url');
    expect(await bad(`?cursor=${forged}`)).toBe(422);
    const nul = Buffer.from(JSON.stringify({ t: '2026-01-01T00:00:00Z', i: '\u0000', q: '||' })).toString(
      'base64url',
    );
    expect(await bad(`?cursor=${nul}`)).toBe(422);
    expect(await bad('?status=running')).toBe(422);
    expect(await bad('?user_id=nope')).toBe(422);
    expect(await bad('?limit=0')).toBe(422);
    expect((await server.api.request('GET', '/api/v1/sync/runs')).status).toBe(401);

    // B's cursor cannot reach into A's rows: it only moves the position within B's own runs.
    const bFirst = await list('?limit=1', b.key);
    const bNext = await list(`?limit=1&cursor=${bFirst.pagination.next_cursor}`, b.key);
    expect(bNext.data.map((r) => r.run_id)).toEqual([bRun]);
    const aWithB = await list(`?limit=1&cursor=${bFirst.pagination.next_cursor}`);
    expect(aWithB.data.every((r) => aRuns.includes(r.run_id))).toBe(true);
  });
});
