import { expect, it } from 'vitest';
import { describeEachDatabase, waitForRun } from '../support/harness.ts';

describeEachDatabase("a user's exports (GET /api/v1/users/{user_id}/exports)", (ctx) => {
  it("lists the user's exports newest first with their status and link, for their tenant only", async () => {
    const { api } = ctx();
    const dev = await api.registerDeveloper();
    const other = await api.registerDeveloper();
    const auth = { key: dev.key };
    const user = await api.createUser(dev.key);
    const second = await api.createUser(dev.key);

    const empty = await api.request('GET', `/api/v1/users/${user.id}/exports`, { auth });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ data: [] });

    const first = await api.request('POST', `/api/v1/users/${user.id}/export/async`, { auth });
    expect(first.status).toBe(202);
    await waitForRun(api, auth, user.id, first.body.run_id);
    const later = await api.request('POST', `/api/v1/users/${user.id}/export/async`, { auth });
    expect(later.status).toBe(202);
    await api.request('POST', `/api/v1/users/${second.id}/export/async`, { auth });

    const list = await api.request('GET', `/api/v1/users/${user.id}/exports`, { auth });
    expect(list.status).toBe(200);
    const ids = (list.body.data as { export_id: string }[]).map((e) => e.export_id);
    expect(ids).toEqual([later.body.export_id, first.body.export_id]);
    const ready = list.body.data[1];
    expect(ready).toMatchObject({ user_id: user.id, status: 'ready' });
    // The same link as the export's own route shows.
    const one = await api.request('GET', `/api/v1/users/${user.id}/exports/${first.body.export_id}`, {
      auth,
    });
    expect(ready.download_url).toBe(one.body.download_url);
    expect(ready.download_url).toMatch(/\/api\/v1\/data-exports\/.+\/download$/);

    const foreign = await api.request('GET', `/api/v1/users/${user.id}/exports`, {
      auth: { key: other.key },
    });
    expect(foreign.status).toBe(404);
  });
});
