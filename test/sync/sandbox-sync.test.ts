import { EventSource } from 'eventsource';
import { expect, it } from 'vitest';
import { startScheduler } from '../../src/sync/workers.ts';
import { describeEachDatabase, type TestServer } from '../support/harness.ts';

async function until<T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function connected(server: TestServer, settings: Record<string, unknown> = { page_delay_ms: 5 }) {
  const dev = await server.api.registerDeveloper();
  const user = await server.api.createUser(dev.key);
  const auth = { key: dev.key };
  const connection = await server.api.request('POST', `/api/v1/users/${user.id}/connections`, {
    auth,
    json: { provider: 'sandbox', settings },
  });
  expect(connection.status).toBe(201);
  const status = (jobId: string) =>
    server.api.request('GET', `/api/v1/sync/status?job_id=${jobId}`, { auth });
  const finished = (jobId: string) =>
    until(
      () => status(jobId),
      (r) => ['completed', 'failed', 'cancelled'].includes(r.body.status),
    ).then((r) => r.body);
  const count = async (table: 'samples' | 'workouts' | 'sleep_sessions' | 'health_scores') =>
    Number(
      (
        await server.platform.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', user.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  return { dev, user, auth, connectionId: connection.body.id as string, status, finished, count };
}

describeEachDatabase('sandbox provider through the sync engine', (ctx) => {
  it('pulls a month of synthetic data through the real pipeline, once, however often it is asked', async () => {
    const server = ctx();
    const { user, auth, connectionId, finished, count } = await connected(server);
    const started = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId, mode: 'historical' },
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'queued', connection_id: connectionId, created: true });
    expect(started.body.estimated_items).toBeGreaterThanOrEqual(30);
    // One active job per connection and mode: asking again returns the same job.
    const again = await server.api.request(
      'POST',
      `/api/v1/providers/sandbox/users/${user.id}/sync/historical`,
      { auth },
    );
    expect(again.status).toBe(200);
    expect(again.body.job_id).toBe(started.body.job_id);

    const done = await finished(started.body.job_id);
    expect(done).toMatchObject({
      status: 'completed',
      current_stage: 'completed',
      progress: { percentage: 100 },
    });
    const counts = [
      await count('samples'),
      await count('workouts'),
      await count('sleep_sessions'),
      await count('health_scores'),
    ];
    expect(counts[0]).toBeGreaterThan(30 * 288);
    expect(counts[1]).toBeGreaterThan(5);
    expect(counts[2]).toBeGreaterThanOrEqual(30);
    expect(counts[3]).toBeGreaterThanOrEqual(90);

    // A second historical pull of the same month stores nothing new.
    const second = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId, mode: 'historical' },
    });
    expect(second.body.job_id).not.toBe(started.body.job_id);
    await finished(second.body.job_id);
    expect([
      await count('samples'),
      await count('workouts'),
      await count('sleep_sessions'),
      await count('health_scores'),
    ]).toEqual(counts);

    const history = await server.api.request('GET', `/api/v1/sync/history?connection_id=${connectionId}`, {
      auth,
    });
    expect(history.body.history.map((h: { status: string; mode: string }) => [h.status, h.mode])).toEqual([
      ['completed', 'historical'],
      ['completed', 'historical'],
    ]);
    const connections = await server.api.request('GET', `/api/v1/users/${user.id}/connections`, { auth });
    expect(connections.body[0]).toMatchObject({ provider: 'sandbox', status: 'active' });
    expect(connections.body[0].last_synced_at).not.toBeNull();
  });

  it('cancels mid-run at a checkpoint, keeping the data saved so far', async () => {
    const server = ctx();
    const { auth, connectionId, status, finished, count } = await connected(server, { page_delay_ms: 150 });
    const started = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId, mode: 'historical' },
    });
    await until(
      () => status(started.body.job_id),
      (r) => r.body.progress.processed >= 2,
    );
    const cancel = await server.api.request('POST', '/api/v1/sync/cancel', {
      auth,
      json: { job_id: started.body.job_id },
    });
    expect(cancel.status).toBe(200);
    expect(['cancelling', 'cancelled']).toContain(cancel.body.status);
    const done = await finished(started.body.job_id);
    expect(done.status).toBe('cancelled');
    const processed = done.progress.processed as number;
    expect(processed).toBeGreaterThanOrEqual(2);
    expect(processed).toBeLessThan(done.progress.total);
    // Exactly the windows that were saved: 288 heart-rate samples, 64 steps and 64 energy samples per day.
    expect(await count('samples')).toBe(processed * (288 + 64 + 64));
  });

  it('reschedules after a provider 429 instead of sleeping, and finishes', async () => {
    const server = ctx();
    const { auth, connectionId, finished, user } = await connected(server, {
      page_delay_ms: 5,
      rate_limit_at_window: 1,
      retry_after_seconds: 1,
    });
    const started = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId, mode: 'historical' },
    });
    const done = await finished(started.body.job_id);
    expect(done.status).toBe('completed');
    const recent = await server.api.request('GET', `/api/v1/users/${user.id}/sync/recent?limit=200`, {
      auth,
    });
    const limited = recent.body.find((e: { message: string }) => /Rate limited/.test(e.message ?? ''));
    expect(limited).toMatchObject({
      stage: 'fetching',
      metadata: { error: { code: 'RATE_LIMIT', details: { retry_after: 1 } } },
    });
    const run = await server.platform.database.db
      .selectFrom('sync_runs')
      .select('attempts')
      .where('id', '=', started.body.job_id)
      .executeTakeFirstOrThrow();
    expect(run.attempts).toBe(2);
  });

  it('keeps cron schedules per connection and starts syncs when they are due', async () => {
    const server = ctx();
    const { auth, connectionId, user } = await connected(server);
    const bad = await server.api.request('PUT', '/api/v1/sync/schedules', {
      auth,
      json: { connection_id: connectionId, schedule: 'every day' },
    });
    expect(bad.status).toBe(422);
    const put = await server.api.request('PUT', '/api/v1/sync/schedules', {
      auth,
      json: { connection_id: connectionId, schedule: '0 */4 * * *' },
    });
    expect(put.body).toMatchObject({ schedule: '0 */4 * * *', enabled: true });
    expect(new Date(put.body.next_sync).getUTCHours() % 4).toBe(0);
    const list = await server.api.request('GET', `/api/v1/sync/schedules?user_id=${user.id}`, { auth });
    expect(list.body.schedules).toEqual([put.body]);

    // Make it due now; one scheduler tick starts an incremental sync and moves next_sync on.
    await server.platform.database.db
      .updateTable('connections')
      .set({ next_sync_at: new Date(Date.now() - 1000) })
      .where('id', '=', connectionId)
      .execute();
    const scheduler = startScheduler(server.platform);
    try {
      expect(await scheduler.tick()).toBeGreaterThanOrEqual(1);
    } finally {
      scheduler.stop();
    }
    const history = await server.api.request('GET', `/api/v1/sync/history?connection_id=${connectionId}`, {
      auth,
    });
    expect(history.body.history[0]).toMatchObject({ mode: 'incremental' });
    const after = await server.api.request('GET', `/api/v1/sync/schedules?user_id=${user.id}`, { auth });
    expect(Date.parse(after.body.schedules[0].next_sync)).toBeGreaterThan(Date.now());
  });

  it('streams a job over SSE until it ends (spec 002), and the user stream sees the same sync live', async () => {
    const server = ctx();
    const { dev, user, auth, connectionId } = await connected(server, { page_delay_ms: 40 });
    const userEvents: { stage: string; run_id: string }[] = [];
    const es = new EventSource(`${server.url}/api/v1/users/${user.id}/sync/stream`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, 'X-API-Key': dev.key } }),
    });
    es.addEventListener('sync.status', (m) => userEvents.push(JSON.parse(m.data)));
    await new Promise<void>((resolve) => {
      es.onopen = () => resolve();
    });
    const started = await server.api.request('POST', '/api/v1/sync', {
      auth,
      json: { connection_id: connectionId },
    });
    const res = await fetch(`${server.url}/api/v1/sync/jobs/${started.body.job_id}/subscribe`, {
      headers: { 'X-API-Key': dev.key },
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const text = await res.text(); // the stream closes by itself when the job ends
    const messages = text
      .split('\n\n')
      .filter((b) => b.startsWith('data: '))
      .map((b) => JSON.parse(b.slice(6)));
    expect(messages[0]).toEqual({ type: 'connected', job_id: started.body.job_id });
    expect(messages.at(-1)).toMatchObject({ type: 'progress', status: 'completed', stage: 'completed' });
    expect(messages.some((m) => m.stage === 'fetching')).toBe(true);
    await until(
      async () => userEvents.length,
      () => userEvents.some((e) => e.stage === 'completed'),
    );
    es.close();
    const stages = new Set(userEvents.filter((e) => e.run_id === started.body.job_id).map((e) => e.stage));
    expect([...stages]).toEqual(
      expect.arrayContaining(['queued', 'started', 'fetching', 'processing', 'saving', 'completed']),
    );
  });

  it('refuses to sync unknown or other tenants’ connections, and OAuth providers without OAuth', async () => {
    const server = ctx();
    const a = await connected(server);
    const b = await connected(server);
    const foreign = await server.api.request('POST', '/api/v1/sync', {
      auth: b.auth,
      json: { connection_id: a.connectionId },
    });
    expect(foreign.status).toBe(404);
    const garmin = await server.api.request('POST', `/api/v1/users/${a.user.id}/connections`, {
      auth: a.auth,
      json: { provider: 'garmin' },
    });
    expect(garmin.status).toBe(400);
    expect(garmin.body.code).toBe('oauth_required');
    const apple = await server.api.request('POST', `/api/v1/users/${a.user.id}/connections`, {
      auth: a.auth,
      json: { provider: 'apple' },
    });
    expect(apple.status).toBe(501);
    const twice = await server.api.request('POST', `/api/v1/users/${a.user.id}/connections`, {
      auth: a.auth,
      json: { provider: 'sandbox' },
    });
    expect(twice.status).toBe(409);
    expect(
      (await server.api.request('DELETE', `/api/v1/users/${a.user.id}/connections/sandbox`, { auth: a.auth }))
        .status,
    ).toBe(204);
    const revoked = await server.api.request('POST', '/api/v1/sync', {
      auth: a.auth,
      json: { connection_id: a.connectionId },
    });
    expect(revoked.status).toBe(400);
  });
});
