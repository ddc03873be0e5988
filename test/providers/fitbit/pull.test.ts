import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderRateLimitError } from '../../../src/providers/errors.ts';
import { fitbitProvider } from '../../../src/providers/fitbit/index.ts';
import { GOOGLE_HEALTH_SCOPES } from '../../../src/providers/fitbit/manifest.ts';
import { createVendorHttp } from '../../../src/providers/http/vendor-client.ts';
import {
  type RunningGoogleHealthMock,
  startGoogleHealthMock,
} from '../../support/vendor-mocks/google-health.ts';
import { app, connect, contextFor, runtimeFor } from './mock-runtime.ts';

/**
 * The Fitbit pull against the local Google Health mock, through WearLink's real vendor HTTP client:
 * the identity, AIP paging to the last page with a filter the mock checks names the type's own time
 * field, sessions filtered by the right end, a notification's target, and Google's per-user limit (429
 * with Retry-After → a rate-limit error naming the wait).
 */

let google: RunningGoogleHealthMock;
const USER = 'g-pull-user';
const hr = (minute: number, bpm: number) => ({
  heartRate: {
    beatsPerMinute: bpm,
    sampleTime: {
      physicalTime: new Date(Date.parse('2026-03-01T06:00:00Z') + minute * 60_000).toISOString(),
      utcOffset: '3600s',
    },
  },
});
const night = (id: string, start: string, end: string) => ({
  name: `users/${USER}/dataTypes/sleep/dataPoints/${id}`,
  sleep: {
    interval: { startTime: start, endTime: end },
    stages: [{ startTime: start, endTime: end, type: 'LIGHT' }],
  },
});

async function httpFor() {
  const tokens = await connect(google.url, (u) => google.oauth.approveNextAs(u), USER);
  return createVendorHttp(runtimeFor(google.url), { module: fitbitProvider, app, tokens });
}

beforeAll(async () => {
  google = await startGoogleHealthMock({ clientId: app.clientId, clientSecret: app.clientSecret });
  google.addUser(USER, {
    'heart-rate': [hr(0, 60), hr(1, 61), hr(2, 62), hr(3, 63), hr(4, 64), hr(60 * 24 * 3, 99)],
    'daily-resting-heart-rate': [
      { dailyRestingHeartRate: { beatsPerMinute: 51, date: { year: 2026, month: 3, day: 1 } } },
    ],
    sleep: [
      // Began before the window, ended in it: read with this window.
      night('n1', '2026-02-28T22:00:00Z', '2026-03-01T06:00:00Z'),
      night('n2', '2026-03-01T22:30:00Z', '2026-03-02T06:30:00Z'),
      night('n3', '2026-03-03T22:00:00Z', '2026-03-04T06:00:00Z'),
    ],
  });
});
afterAll(() => google.close());
beforeEach(() => {
  google.requests.length = 0;
  google.maxPageSize = 10_000;
  google.perUserPerMinute = 300;
});

const window = {
  fromMs: Date.parse('2026-03-01T00:00:00Z'),
  toMs: Date.parse('2026-03-03T00:00:00Z'),
  label: 'w',
};

describe('Fitbit (Google Health) pull against the mock', () => {
  it('identifies the user by the Google Health user id', async () => {
    const http = await httpFor();
    await expect(
      fitbitProvider.identify?.({ http, tokens: { access_token: '' }, userId: 'u' }),
    ).resolves.toEqual({
      providerUserId: USER,
    });
  });

  it('follows nextPageToken to the last page with the same filter, for every data type of the resource', async () => {
    google.maxPageSize = 2;
    const http = await httpFor();
    const payload = (await fitbitProvider.pull.fetch(contextFor(http), 'heart_rate', window)) as {
      dataPoints: unknown[];
    };
    // Five readings in the window (the sixth is three days later) and the day's resting rate.
    expect(payload.dataPoints).toHaveLength(6);
    const calls = google.dataCalls('heart-rate');
    expect(calls).toHaveLength(3);
    expect(calls[0]?.query.filter).toBe(
      'heart_rate.sample_time.physical_time >= "2026-03-01T00:00:00.000Z" AND heart_rate.sample_time.physical_time < "2026-03-03T00:00:00.000Z"',
    );
    expect(calls[1]?.query.pageToken).toBeDefined();
    expect(new Set(calls.map((c) => c.query.filter)).size).toBe(1);
    expect(google.dataCalls('daily-resting-heart-rate')[0]?.query.filter).toBe(
      'daily_resting_heart_rate.date >= "2026-02-28" AND daily_resting_heart_rate.date < "2026-03-04"',
    );
    expect(google.counts.badRequest).toBe(0);
    const batch = fitbitProvider.pull.map('heart_rate', payload, { userId: 'u', providerUserId: USER });
    expect(batch.samples.map((s) => s.value)).toEqual([60, 61, 62, 63, 64, 51]);
  });

  it('reads sleep by the end of the night, at most 25 sessions a page', async () => {
    const http = await httpFor();
    const payload = (await fitbitProvider.pull.fetch(contextFor(http), 'sleep', window)) as {
      dataPoints: { name: string }[];
    };
    expect(payload.dataPoints.map((p) => p.name.split('/').at(-1))).toEqual(['n1', 'n2']);
    expect(google.dataCalls('sleep')[0]?.query).toMatchObject({ pageSize: '25' });
    expect(google.dataCalls('sleep')[0]?.query.filter).toMatch(/^sleep\.interval\.end_time >= /);
  });

  it('a notification target reads only its data type over the changed interval (padded)', async () => {
    const http = await httpFor();
    const [out] = await fitbitProvider.pull.fetchTarget!(contextFor(http), {
      resource: 'sleep',
      fromMs: Date.parse('2026-03-03T22:00:00Z'),
      toMs: Date.parse('2026-03-04T06:00:00Z'),
      details: { dataType: 'sleep' },
    });
    expect(
      (out as { payload: { dataPoints: { name: string }[] } }).payload.dataPoints.map((p) =>
        p.name.split('/').at(-1),
      ),
    ).toEqual(['n3']);
    expect(google.dataCalls()).toHaveLength(1);
  });

  it('a data type whose scope the user withheld reads as empty (403), the others still read', async () => {
    const partial = GOOGLE_HEALTH_SCOPES.filter((s) => !s.endsWith('.sleep.readonly')).join(' ');
    const tokens = await connect(google.url, (u) => google.oauth.approveNextAs(u, partial), USER);
    const http = createVendorHttp(runtimeFor(google.url), { module: fitbitProvider, app, tokens });
    await expect(fitbitProvider.pull.fetch(contextFor(http), 'sleep', window)).resolves.toEqual({
      dataPoints: [],
    });
    expect(google.requests.at(-1)?.path).toBe('/v4/users/me/dataTypes/sleep/dataPoints');
    const hr = (await fitbitProvider.pull.fetch(contextFor(http), 'heart_rate', window)) as {
      dataPoints: unknown[];
    };
    expect(hr.dataPoints).toHaveLength(6);
  });

  it('Google’s per-user limit: the 429 raises a rate-limit error with its Retry-After', async () => {
    const http = await httpFor();
    google.perUserPerMinute = 2;
    google.maxPageSize = 1;
    const error = await fitbitProvider.pull
      .fetch(contextFor(http), 'heart_rate', window)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitError);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBeGreaterThan(0);
    expect((error as ProviderRateLimitError).retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(google.counts.rateLimited).toBeGreaterThan(0);
  });
});
