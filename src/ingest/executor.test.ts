import { describe, expect, it } from 'vitest';
import { createLogger } from '../shared/logger.ts';
import { IngestExecutor } from './executor.ts';

describe('ingest executor', () => {
  it('runs at most `concurrency` jobs at once and makes producers wait when the queue is full', async () => {
    const executor = new IngestExecutor(createLogger('silent'), 2, 3);
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const job = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        gates.push(() => {
          running -= 1;
          resolve();
        });
      });
    for (let i = 0; i < 5; i++) {
      await executor.room();
      executor.enqueue(`r${i}`, job);
    }
    expect(executor.pending).toBe(5); // 2 running + 3 queued
    let admitted = false;
    const producer = executor.room().then(() => {
      admitted = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(admitted).toBe(false);
    gates.shift()?.();
    await producer;
    expect(admitted).toBe(true);
    while (gates.length > 0 || executor.pending > 0) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(peak).toBe(2);
  });

  it('keeps running after a job throws', async () => {
    const executor = new IngestExecutor(createLogger('silent'));
    let ran = false;
    executor.enqueue('bad', async () => {
      throw new Error('boom');
    });
    executor.enqueue('good', async () => {
      ran = true;
    });
    await executor.drain(1000);
    expect(ran).toBe(true);
  });
});
