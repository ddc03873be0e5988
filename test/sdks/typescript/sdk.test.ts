import { expect, it } from 'vitest';
import {
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  WearLink,
  WearLinkError,
} from '../../../sdks/typescript/src/index.ts';
import { describeEachDatabase } from '../../support/harness.ts';
import { newClient } from './support.ts';

describeEachDatabase('TypeScript SDK against a real server', (ctx) => {
  it('quick start: register → key → user → sandbox connection → sync → timeseries', async () => {
    const server = ctx();
    // Registration is public: the API key it returns is the SDK's credential from then on.
    const email = `sdk-${Date.now()}@example.com`;
    const registered = await server.api.request('POST', '/api/v1/auth/register', {
      json: { email, password: 'a-long-password', name: 'SDK Quick Start' },
    });
    expect(registered.status).toBe(201);
    const client = new WearLink({ baseUrl: server.url, apiKey: registered.body.api_key.key });

    const user = await client.users.create({ first_name: 'Jane', email: 'jane@example.com' });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.users.get(user.id)).first_name).toBe('Jane');

    const connection = await client.connections.create(user.id, {
      provider: 'sandbox',
      settings: { page_delay_ms: 0 },
    });
    expect(connection.provider).toBe('sandbox');
    expect((await client.connections.list(user.id)).map((c) => c.provider)).toEqual(['sandbox']);

    const started = await client.sync.trigger({ connection_id: connection.id });
    expect(started.status).toBe('queued');
    const run = await client.sync.waitForRun(user.id, started.job_id, { timeoutMs: 60_000 });
    expect(run).toMatchObject({ stage: 'completed', status: 'success' });
    const status = await client.sync.status({ job_id: started.job_id });
    expect(status.status).toBe('completed');
    expect((await client.sync.runs(user.id)).map((r) => r.run_id)).toContain(started.job_id);

    const now = Date.now();
    const samples = await client.timeseries
      .list(user.id, {
        start_time: new Date(now - 40 * 86_400_000).toISOString(),
        end_time: new Date(now + 86_400_000).toISOString(),
        types: 'heart_rate',
        resolution: '1hour',
        limit: 100,
      })
      .toArray(250);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples[0]).toMatchObject({ series_type: 'heart_rate', source: { provider: 'sandbox' } });
    // The same call through the generic typed layer.
    const page = await client.request('get', '/api/v1/users/{user_id}/timeseries', {
      path: { user_id: user.id },
      query: {
        start_time: new Date(now - 40 * 86_400_000).toISOString(),
        end_time: new Date(now + 86_400_000).toISOString(),
        types: 'heart_rate',
        resolution: '1hour',
        limit: 3,
      },
    });
    expect(page.data).toHaveLength(3);
    expect(page.pagination.has_more).toBe(true);

    // The developer's SDK token works for that user's reads, with the same client code.
    const token = await client.users.token(user.id);
    const asUser = new WearLink({ baseUrl: server.url, sdkToken: token.access_token });
    expect((await asUser.sync.runs(user.id)).length).toBeGreaterThan(0);
  });

  it('pages across 3 cursor pages, item by item and page by page', async () => {
    const server = ctx();
    const { client } = await newClient(server);
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await client.users.create({ first_name: `U${i}` })).id);

    const seen: string[] = [];
    for await (const user of client.users.list({ limit: 3 })) seen.push(user.id);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(created));

    const pages = [];
    for await (const page of client.users.list({ limit: 3 }).pages()) pages.push(page);
    expect(pages.map((p) => p.data.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.data.map((u) => u.id))).toEqual(seen);
    expect(pages[2]?.pagination.next_cursor).toBeNull();

    // Ascending by name through the query, and the generic paginator over the same route.
    const names = await client
      .paginate('/api/v1/users', { query: { limit: 3, sort_by: 'first_name', sort_order: 'asc' } })
      .toArray();
    expect(names.map((u) => u.first_name)).toEqual(['U0', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6']);
    // Compile-time checks of the typed layer (the root tsc type-checks this file); never called.
    const misuse = () => {
      // @ts-expect-error an unknown path
      void client.request('get', '/api/v1/no-such-route');
      // @ts-expect-error path parameters are required
      void client.request('get', '/api/v1/users/{user_id}');
      // @ts-expect-error a query parameter of the wrong type
      void client.users.list({ limit: 'ten' });
      // @ts-expect-error a body field the route does not take
      void client.users.create({ nickname: 'x' });
      // @ts-expect-error a value outside the enum
      void client.users.list({ sort_by: 'age' });
    };
    void misuse;
    expect(await client.users.list({ limit: 3 }).toArray(4)).toHaveLength(4);
  });

  it('typed errors: 404 with detail and request id, 422 with field errors, 401', async () => {
    const server = ctx();
    const { client } = await newClient(server);
    const missing = '00000000-0000-4000-8000-000000000000';
    const notFound = await client.users.get(missing).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toBeInstanceOf(WearLinkError);
    const error = notFound as NotFoundError;
    expect(error.status).toBe(404);
    expect(error.kind).toBe('not_found');
    expect(error.detail).toMatch(/not found/i);
    expect(error.requestId).toMatch(/^[\w-]{8,}$/);

    const user = await client.users.create();
    const invalid = await client.timeseries
      .list(user.id, { start_time: 'yesterday', end_time: new Date().toISOString(), limit: 1000 })
      .toArray()
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ValidationError);
    const validation = invalid as ValidationError;
    expect(validation.status).toBe(422);
    expect(validation.kind).toBe('validation');
    expect(validation.fieldErrors.map((f) => f.loc.join('.'))).toEqual(
      expect.arrayContaining(['query.start_time', 'query.limit']),
    );
    expect(validation.detail).toContain('query.limit');

    const stranger = new WearLink({ baseUrl: server.url, apiKey: 'sk-not-a-real-key' });
    const refused = await stranger.users
      .list()
      .firstPage()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnauthorizedError);
    expect((refused as UnauthorizedError).kind).toBe('unauthorized');
  });
});
