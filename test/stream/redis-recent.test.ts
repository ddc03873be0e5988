import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.ts';
import type { LoggedEvent } from '../../src/sync/event-bus.ts';
import { RedisEventBus } from '../../src/sync/redis-event-bus.ts';
import { syncEvent } from '../support/sync-events.ts';

const redisUrl = process.env.TEST_REDIS_URL;

async function until(check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * `recent` is answered from memory while the user has listeners in the process (a connect storm reads no
 * log); it must still be the log: the same events, in order, as another node publishes them, including
 * those published while it is first read.
 */
describe.skipIf(!redisUrl)(
  `Redis bus: recent events kept while followed${redisUrl ? '' : ' (skipped)'}`,
  () => {
    it('answers what the log holds, before, during and after its first read', async () => {
      const prefix = `wlrecent:${randomBytes(6).toString('hex')}:`;
      const api = new Redis(redisUrl as string);
      const worker = new Redis(redisUrl as string);
      const direct = new Redis(redisUrl as string);
      const listening = new RedisEventBus(api, prefix, createLogger('silent'));
      const publishing = new RedisEventBus(worker, prefix, createLogger('silent'));
      const log = async (limit: number) =>
        (
          (await direct.xrevrange(`${prefix}sync:user:u1`, '+', '-', 'COUNT', limit)) as [string, string[]][]
        ).map(([id]) => id);
      const ids = (events: LoggedEvent[]) => events.map((e) => e.id);
      try {
        for (let n = 0; n < 5; n++) await publishing.publish(syncEvent('u1', n));
        // The reader has a position once its first read is under way.
        await new Promise((r) => setTimeout(r, 300));
        const seen: LoggedEvent[] = [];
        const unsubscribe = listening.subscribe('u1', (logged) => seen.push(logged));
        // Published while the first read (which fills what is kept) is in flight.
        const during = Promise.all([5, 6, 7].map((n) => publishing.publish(syncEvent('u1', n))));
        const first = await listening.recent('u1', 3);
        await during;
        await until(() => seen.length >= 3);
        for (let n = 8; n < 20; n++) await publishing.publish(syncEvent('u1', n));
        // GET …/sync/recent reads the log: what was just published, whether or not the fan-out brought it.
        expect(ids(await listening.recent('u1', 200, { fromLog: true }))).toEqual(await log(200));
        await until(() => seen.length >= 15);
        expect(ids(await listening.recent('u1', 200))).toEqual(await log(200));
        expect(ids(await listening.recent('u1', 4))).toEqual(await log(4));
        // What the first read answered is the log's newest then, and every later event reached the listener.
        const whole = (await log(200)).reverse();
        const opened = ids(first).reverse();
        const at = whole.indexOf(opened[0] as string);
        expect(opened).toHaveLength(3);
        expect(whole.slice(at, at + 3)).toEqual(opened);
        const live = new Set(ids(seen));
        expect(whole.slice(at + 3).filter((id) => !live.has(id))).toEqual([]);
        unsubscribe();
        // Not followed any more: read from the log again.
        await publishing.publish(syncEvent('u1', 20));
        expect(ids(await listening.recent('u1', 200))).toEqual(await log(200));
      } finally {
        await listening.close();
        await publishing.close();
        const keys = await direct.keys(`${prefix}*`);
        if (keys.length) await direct.del(...keys);
        for (const r of [api, worker, direct]) r.disconnect();
      }
    }, 30_000);
  },
);
