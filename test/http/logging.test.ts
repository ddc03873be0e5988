import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.ts';
import { describeEachDatabase, uniqueSuffix } from '../support/harness.ts';

function captureLogs() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

/** What a row of this test writes and must never appear in a log line. */
const leaks = [
  /sk-[A-Za-z0-9_-]{20,}/, // an API key
  /\b[0-9a-f]{64}\b/, // an API-key hash
  /\$argon2/, // a password hash
  /whsec_/, // a webhook signing secret
  /Failing row contains/, // PostgreSQL quoting the row
];

describe('the error serializer', () => {
  it('drops statement parameters and row details at any depth, keeps what a reader needs', () => {
    const { lines, logger } = captureLogs();
    const inner = Object.assign(new Error('violates check constraint "probe"'), {
      code: '23514',
      constraint: 'probe',
      params: ['inner-param@example.com'],
      detail: 'Failing row contains (inner-detail-value)',
      where: 'COPY samples, line 3: "where-value"',
    });
    const outer = Object.assign(new Error('insert failed', { cause: inner }), {
      query: 'insert into "developers" ("email") values ($1)',
      parameters: ['outer-param@example.com'],
      queryOptions: { rowMode: 'object' },
      config: { headers: { authorization: 'Bearer eyJ-header-secret' } },
      nested: { deeper: { params: ['nested-param'], password: 'nested-password' } },
    });
    logger.error({ err: outer }, 'first');
    logger.warn({ error: inner }, 'second');
    logger.error(outer, 'third');
    const out = lines.join('');
    for (const value of [
      'inner-param',
      'inner-detail-value',
      'where-value',
      'outer-param',
      'eyJ-header-secret',
      'nested-param',
      'nested-password',
      'rowMode',
    ]) {
      expect(out).not.toContain(value);
    }
    const first = JSON.parse(lines[0] ?? '{}');
    expect(first.err.message).toMatch(/insert failed/);
    expect(first.err.query).toBe('insert into "developers" ("email") values ($1)');
    expect(first.err.cause).toMatchObject({ code: '23514', constraint: 'probe' });
    expect(JSON.parse(lines[1] ?? '{}').error).toMatchObject({ code: '23514', constraint: 'probe' });
    expect(JSON.parse(lines[2] ?? '{}').err.message).toMatch(/insert failed/);
  });
});

const capture = captureLogs();

describeEachDatabase(
  'error logs of real database failures',
  (ctx) => {
    beforeEach(() => {
      capture.lines.length = 0;
    });

    /** Makes the next insert into `table` fail for real, in the database, with a check violation. */
    async function withFailingInsert(table: string, check: string, body: () => Promise<void>) {
      const { db } = ctx().platform.database;
      const name = `log_probe_${uniqueSuffix()}`;
      await sql`alter table ${sql.table(table)} add constraint ${sql.ref(name)} check (${sql.raw(check)}) not valid`.execute(
        db,
      );
      try {
        await body();
      } finally {
        await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(name)}`.execute(db);
      }
      const failure = capture.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
      // The failure is logged, and usefully: its kind, code and constraint.
      expect(failure?.err?.code).toBe('23514');
      expect(failure?.err?.message).toContain(name);
    }

    it('a failed registration logs neither the email, the name, the password hash nor the key hash', async () => {
      const { api } = ctx();
      const email = `leak-${uniqueSuffix()}@example.com`;
      const name = `Leaky Name ${uniqueSuffix()}`;
      await withFailingInsert('api_keys', `name <> 'Default'`, async () => {
        const res = await api.request('POST', '/api/v1/auth/register', {
          json: { email, password: 'a-long-enough-password', name },
        });
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ detail: 'Internal server error' });
      });
      const out = capture.lines.join('');
      expect(out).not.toContain(email);
      expect(out).not.toContain(name);
      expect(out).not.toContain('a-long-enough-password');
      for (const leak of leaks) expect(out).not.toMatch(leak);
    });

    it('a failed webhook endpoint creation does not log its fresh signing secret', async () => {
      const { api } = ctx();
      const dev = await api.registerDeveloper();
      capture.lines.length = 0;
      const description = `probe ${uniqueSuffix()}`;
      await withFailingInsert(
        'webhook_endpoints',
        `description is distinct from '${description}'`,
        async () => {
          const res = await api.request('POST', '/api/v1/webhooks/endpoints', {
            auth: { key: dev.key },
            json: { url: 'https://8.8.8.8/hook', description },
          });
          expect(res.status).toBe(500);
        },
      );
      const out = capture.lines.join('');
      expect(out).not.toContain(description);
      for (const leak of leaks) expect(out).not.toMatch(leak);
    });
  },
  { worker: false, logger: capture.logger },
);
