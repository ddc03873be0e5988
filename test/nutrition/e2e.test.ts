import { randomUUID } from 'node:crypto';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { macrosFor, searchFoods } from '../../src/nutrition/food-db/index.ts';
import { recognizeMealLog } from '../../src/nutrition/recognition/job.ts';
import { blobStoreFor } from '../../src/storage/blob-store.ts';
import { NUTRITION_QUEUE } from '../../src/sync/job-queue.ts';
import { type DatabaseLeg, databaseLegs, startTestServer, type TestServer } from '../support/harness.ts';
import { eventually } from '../support/vendor-e2e.ts';
import {
  type AnthropicVisionMock,
  startAnthropicVisionMock,
} from '../support/vendor-mocks/anthropic-vision.ts';
import {
  imageWidth,
  type OpenAiVisionMock,
  startOpenAiVisionMock,
} from '../support/vendor-mocks/openai-vision.ts';
import { startReceiver, verify } from '../webhooks/receiver.ts';

/**
 * Meal recognition end to end, through the real server, its job queue and webhook delivery, against local
 * vision servers playing OpenAI (chat completions) and Anthropic (Messages): a photo is uploaded, answered
 * 202 pending, recognised by the worker and matched to the food database; low-confidence readings reach
 * the review queue and a superuser's approval fires the webhook; malformed answers and timeouts end as a
 * clear status on the log. Every photo has its own width, so the mocks answer each one its own script
 * whatever the order the worker (and the queue's retries) get to them.
 */

const OPENAI_KEY = 'sk-test-vision-key';
const ANTHROPIC_KEY = 'sk-ant-test-key';
const GPT = 'gpt-4o';
const CLAUDE = 'claude-opus-4-7';
const VERIFIER = 'claude-haiku-verifier';
const TIMEOUT_MS = 1000;
const ADMIN_EMAIL = 'nutrition-reviewer@example.com';

let openai: OpenAiVisionMock;
let anthropic: AnthropicVisionMock;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

let nextWidth = 24;
/** A small JPEG, a width no other photo of this file has (the mocks' script key). */
function photo(): { width: number; bytes: Buffer } {
  const width = nextWidth++;
  const height = 16;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([200, 140 + (i % 50), 60, 255], i);
  return { width, bytes: Buffer.from(jpeg.encode({ data, width, height }, 85).data) };
}

const dish = (dish_name: string, grams: number, confidence: number, uncertainty = 0.2) => ({
  dish_name,
  grams,
  uncertainty,
  confidence,
});

beforeAll(async () => {
  [openai, anthropic, receiver] = await Promise.all([
    startOpenAiVisionMock({ apiKey: OPENAI_KEY }),
    startAnthropicVisionMock({ apiKey: ANTHROPIC_KEY }),
    startReceiver(),
  ]);
});
afterAll(async () => {
  await Promise.all([openai?.close(), anthropic?.close(), receiver?.close()]);
});

const common = {
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_POLL_INTERVAL_MS: '50',
  VISION_TIMEOUT_MS: String(TIMEOUT_MS),
  SUPERUSER_EMAILS: ADMIN_EMAIL,
};

interface Tenant {
  key: string;
  userId: string;
  secret: string;
  hook: string;
}

async function tenant(server: TestServer, name: string): Promise<Tenant> {
  const dev = await server.api.registerDeveloper(name);
  const user = await server.api.createUser(dev.key);
  const hook = `/hooks/${dev.id}`;
  const endpoint = await server.api.request('POST', '/api/v1/webhooks/endpoints', {
    auth: { key: dev.key },
    json: { url: receiver.url(hook), filter_types: ['nutrition.log.recognized'] },
  });
  expect(endpoint.status, endpoint.text).toBe(201);
  const secret = await server.api.request('GET', `/api/v1/webhooks/endpoints/${endpoint.body.id}/secret`, {
    auth: { key: dev.key },
  });
  expect(secret.status, secret.text).toBe(200);
  return { key: dev.key, userId: user.id, secret: secret.body.key as string, hook };
}

async function upload(server: TestServer, t: Tenant, bytes: Buffer): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'meal.jpg');
  form.set('meal_type', 'lunch');
  const res = await server.api.request('POST', `/api/v1/nutrition/log/image?user_id=${t.userId}`, {
    auth: { key: t.key },
    body: form,
  });
  expect(res.status, res.text).toBe(202);
  expect(res.body).toMatchObject({
    status: 'pending',
    log_id: expect.any(String),
    job_id: expect.any(String),
  });
  lastJobId = res.body.job_id as string;
  return res.body.log_id as string;
}

/** The recognize job of the last upload (the 202's `job_id`). */
let lastJobId = '';

async function getLog(server: TestServer, t: Tenant, logId: string) {
  const res = await server.api.request('GET', `/api/v1/nutrition/log/${logId}?user_id=${t.userId}`, {
    auth: { key: t.key },
  });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The row as stored (what the user does not see while pending: review state, retried failure). */
function row(server: TestServer, logId: string) {
  return server.platform.deps.db
    .selectFrom('nutrition_logs')
    .selectAll()
    .where('id', '=', logId)
    .executeTakeFirstOrThrow();
}

function untilStatus(server: TestServer, t: Tenant, logId: string, status: string) {
  return eventually(
    async () => {
      const log = await getLog(server, t, logId);
      return log.status === status ? log : undefined;
    },
    async () => `log ${logId} ${status} (is ${JSON.stringify(await row(server, logId))})`,
    30_000,
  );
}

function untilRow(server: TestServer, logId: string, what: string, check: (r: any) => boolean) {
  return eventually(
    async () => {
      const r = await row(server, logId);
      return check(r) ? r : undefined;
    },
    async () => `log ${logId}: ${what} (is ${JSON.stringify(await row(server, logId))})`,
    30_000,
  );
}

/** The `nutrition.log.recognized` delivery of a log, verified with the svix library. */
function recognizedWebhook(t: Tenant, logId: string) {
  return eventually(
    async () =>
      receiver
        .on(t.hook)
        .map((r) => verify(t.secret, r))
        .find((p) => p.type === 'nutrition.log.recognized' && p.data.log_id === logId),
    `nutrition.log.recognized for ${logId}`,
    30_000,
  );
}

/** Each item's macros are the food database's for its grams. */
async function expectFoodDbMacros(server: TestServer, items: any[]) {
  for (const item of items) {
    const [match] = await searchFoods(server.platform.deps.db, item.dish_name, 1);
    expect(match, item.dish_name).toBeDefined();
    expect(item.food_db_source).toBe(match!.source);
    expect(item.food_db_id).toBe(match!.id);
    expect(item).toMatchObject(macrosFor(match!, item.quantity_grams));
  }
}

/** The job's last attempt, as the worker runs it once the queue's retries are spent. */
const lastAttempt = { count: 3, limit: 3, jobId: 'last-attempt' };
const firstAttempt = { count: 0, limit: 3, jobId: 'first-attempt' };

for (const { leg, skip } of databaseLegs) {
  describe.skipIf(skip !== undefined)(
    `meal recognition end to end [${leg}]${skip ? ` (skipped: ${skip})` : ''}`,
    () => {
      let gptServer: TestServer;
      let claudeServer: TestServer;

      beforeAll(async () => {
        const servers = await Promise.all([
          // OpenAI-compatible primary, Anthropic second opinion.
          startTestServer({
            database: leg as DatabaseLeg,
            env: {
              ...common,
              VISION_PROVIDER: 'openai',
              VISION_MODEL: GPT,
              VISION_BASE_URL: `${openai.url}/v1`,
              VISION_API_KEY: OPENAI_KEY,
              VERIFIER_PROVIDER: 'anthropic',
              VERIFIER_MODEL: VERIFIER,
              VERIFIER_BASE_URL: anthropic.url,
              VERIFIER_API_KEY: ANTHROPIC_KEY,
            },
          }),
          // Anthropic primary without a verifier (accepts only from 0.85).
          startTestServer({
            database: leg as DatabaseLeg,
            env: {
              ...common,
              VISION_PROVIDER: 'anthropic',
              VISION_MODEL: CLAUDE,
              VISION_BASE_URL: anthropic.url,
              VISION_API_KEY: ANTHROPIC_KEY,
            },
          }),
        ]);
        [gptServer, claudeServer] = servers as [TestServer, TestServer];
      }, 120_000);
      afterAll(async () => {
        await Promise.all([gptServer?.close(), claudeServer?.close()]);
      });

      it('OpenAI-compatible: photo → pending → recognised with food-database macros and a verified webhook; a 429 is retried; the verifier decides between 0.60 and 0.80', async () => {
        const server = gptServer;
        const t = await tenant(server, 'GPT meals');
        const good = photo();
        openai.scriptPhoto(good.width, GPT, {
          dishes: [dish('chicken biryani', 280, 0.92), dish('raita', 80, 0.85)],
        });
        const throttled = photo();
        openai.scriptPhoto(
          throttled.width,
          GPT,
          { status: 429, retryAfter: 1, message: 'Rate limit reached for gpt-4o' },
          {
            dishes: [dish('banana', 120, 0.95)],
          },
        );
        const verified = photo();
        openai.scriptPhoto(verified.width, GPT, { dishes: [dish('dal', 150, 0.7), dish('naan', 90, 0.72)] });
        anthropic.scriptPhoto(verified.width, VERIFIER, {
          json: {
            verdicts: [
              { index: 0, correct: true, grams: 160 },
              { index: 1, correct: true, grams: 85 },
            ],
            missing: [],
            confidence: 0.8,
          },
        });

        const [goodId, throttledId, verifiedId] = [
          await upload(server, t, good.bytes),
          await upload(server, t, throttled.bytes),
          await upload(server, t, verified.bytes),
        ];
        expect((await getLog(server, t, goodId)).status).toMatch(/pending|recognized/);

        const log = await untilStatus(server, t, goodId, 'recognized');
        expect(log).toMatchObject({ vision_model: `${GPT}-2024-08-06`, human_reviewed: false });
        expect(log.confidence_score).toBeCloseTo((0.92 * 280 + 0.85 * 80) / 360, 3);
        expect(log.items.map((i: any) => [i.dish_name, i.quantity_grams, i.food_db_id])).toEqual([
          ['chicken biryani', 280, 'in_curated:biryani'],
          ['raita', 80, 'in_curated:raita'],
        ]);
        await expectFoodDbMacros(server, log.items);
        const event = await recognizedWebhook(t, goodId);
        expect(event.data).toMatchObject({ log_id: goodId, user_id: t.userId, total_kcal: log.total_kcal });
        expect(event.data.items.map((i: any) => i.id)).toEqual(log.items.map((i: any) => i.id));
        // The model saw the stored photo, asked in JSON mode with the bearer key.
        const seen = openai.requests.find((r) => imageWidth(r.image) === good.width);
        expect(seen?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
        expect(seen?.body.response_format).toEqual({ type: 'json_object' });

        // 429: the attempt fails, the log stays pending with the retried failure; the queue's retry recognises it.
        await untilRow(
          server,
          throttledId,
          'rate-limited attempt recorded',
          (r) => r.failure?.code === 'rate_limited' || r.status === 'recognized',
        );
        const retried = await untilStatus(server, t, throttledId, 'recognized');
        expect(retried.items[0]).toMatchObject({ dish_name: 'banana', food_db_source: 'usda_sr28' });
        await expectFoodDbMacros(server, retried.items);
        expect((await row(server, throttledId)).failure).toBeNull();

        // 0.70: the verifier was asked, agreed, and the log was accepted.
        const byVerifier = await untilStatus(server, t, verifiedId, 'recognized');
        expect(byVerifier.items.map((i: any) => i.food_db_id)).toEqual(['in_curated:dal', 'in_curated:naan']);
        expect(await row(server, verifiedId)).toMatchObject({
          verifier_model: VERIFIER,
          verifier_agreed: true,
          review_state: null,
        });
        const verifierRequest = anthropic.requests.find(
          (r) => r.model === VERIFIER && r.text.includes('"dish_name":"dal"'),
        );
        expect(verifierRequest?.headers['x-api-key']).toBe(ANTHROPIC_KEY);
        await recognizedWebhook(t, verifiedId);
      }, 90_000);

      it('OpenAI-compatible: a verifier that disagrees sends the log to review; malformed JSON fails it; a discard during recognition wins; a timeout leaves it pending, then failed', async () => {
        const server = gptServer;
        const t = await tenant(server, 'GPT trouble');
        const disputed = photo();
        openai.scriptPhoto(disputed.width, GPT, { dishes: [dish('paneer tikka', 200, 0.65)] });
        anthropic.scriptPhoto(disputed.width, VERIFIER, {
          json: {
            verdicts: [{ index: 0, correct: false, grams: 200 }],
            missing: ['tandoori chicken'],
            confidence: 0.9,
          },
        });
        const malformed = photo();
        openai.scriptPhoto(
          malformed.width,
          GPT,
          { text: 'This looks like a delicious thali!' },
          { text: '{"dishes": [{"dish_name": "thali", "grams": ' },
        );
        const slow = photo();
        openai.fallback(GPT, 'hang', slow.width);

        const disputedId = await upload(server, t, disputed.bytes);
        const malformedId = await upload(server, t, malformed.bytes);
        const slowId = await upload(server, t, slow.bytes);

        const queued = await untilRow(
          server,
          disputedId,
          'queued for review',
          (r) => r.review_state === 'queued',
        );
        expect(queued).toMatchObject({
          status: 'pending',
          verifier_agreed: false,
          verifier_model: VERIFIER,
          vision_model: `${GPT}-2024-08-06`,
        });
        expect((await getLog(server, t, disputedId)).status).toBe('pending');

        const failed = await untilStatus(server, t, malformedId, 'failed');
        expect(failed.failure).toMatchObject({
          code: 'malformed_output',
          message: expect.stringContaining('not JSON'),
        });
        expect(failed.has_image).toBe(true);
        expect((await row(server, malformedId)).review_state).toBe('queued');

        // Discarded by the user while the model was thinking: the answer that arrives later changes nothing.
        const discarded = photo();
        openai.scriptPhoto(discarded.width, GPT, { delayMs: 500, dishes: [dish('naan', 90, 0.95)] });
        const discardedId = await upload(server, t, discarded.bytes);
        const discardedJob = lastJobId;
        await eventually(
          async () => openai.requests.some((r) => imageWidth(r.image) === discarded.width) || undefined,
          'the model asked about the discarded photo',
        );
        const deleted = await server.api.request(
          'DELETE',
          `/api/v1/nutrition/log/${discardedId}?user_id=${t.userId}`,
          {
            auth: { key: t.key },
          },
        );
        expect(deleted.status, deleted.text).toBe(204);
        await eventually(
          async () =>
            (await server.platform.queue.job(NUTRITION_QUEUE, discardedJob))?.state === 'completed'
              ? true
              : undefined,
          "the discarded log's job completed",
        );
        expect(await row(server, discardedId)).toMatchObject({
          status: 'discarded',
          vision_model: null,
          review_state: null,
        });
        const discardedItems = await server.platform.deps.db
          .selectFrom('nutrition_items')
          .select('id')
          .where('log_id', '=', discardedId)
          .execute();
        expect(discardedItems).toEqual([]);

        // The first attempt timed out: pending, with the timeout on record while the queue retries.
        const timedOut = await untilRow(
          server,
          slowId,
          'timeout recorded',
          (r) => r.failure?.code === 'timeout',
        );
        expect(timedOut.status).toBe('pending');
        expect((timedOut.failure as { message: string }).message).toMatch(
          new RegExp(`did not answer within ${TIMEOUT_MS} ms.*retried`),
        );
        // The last attempt (the queue's retries spent) fails the log with the timeout; the photo stays.
        await recognizeMealLog(server.platform, slowId, lastAttempt);
        const gaveUp = await getLog(server, t, slowId);
        expect(gaveUp).toMatchObject({ status: 'failed', has_image: true, failure: { code: 'timeout' } });
      }, 90_000);

      it('Anthropic: recognised with food-database macros; below 0.85 without a verifier → review → approved by a superuser → webhook; malformed and timeout end clearly', async () => {
        const server = claudeServer;
        const t = await tenant(server, 'Claude meals');
        const good = photo();
        anthropic.scriptPhoto(good.width, CLAUDE, {
          text: `\`\`\`json\n${JSON.stringify({ dishes: [dish('boiled egg', 100, 0.95)] })}\n\`\`\``,
        });
        const unsure = photo();
        anthropic.scriptPhoto(unsure.width, CLAUDE, { dishes: [dish('biryani', 300, 0.82)] });
        const malformed = photo();
        anthropic.scriptPhoto(
          malformed.width,
          CLAUDE,
          { json: { dishes: [{ dish_name: 'idli', grams: 'two' }] } },
          { json: { items: [] } },
        );
        const slow = photo();
        anthropic.fallback(CLAUDE, { delayMs: TIMEOUT_MS * 4, dishes: [dish('dal', 150, 0.9)] }, slow.width);

        const goodId = await upload(server, t, good.bytes);
        const unsureId = await upload(server, t, unsure.bytes);
        const malformedId = await upload(server, t, malformed.bytes);
        const slowId = await upload(server, t, slow.bytes);

        const log = await untilStatus(server, t, goodId, 'recognized');
        expect(log).toMatchObject({ vision_model: CLAUDE, confidence_score: 0.95 });
        expect(log.items[0]).toMatchObject({ dish_name: 'boiled egg', food_db_source: 'usda_sr28' });
        await expectFoodDbMacros(server, log.items);
        await recognizedWebhook(t, goodId);

        const queued = await untilRow(
          server,
          unsureId,
          'queued for review',
          (r) => r.review_state === 'queued',
        );
        expect(queued).toMatchObject({
          status: 'pending',
          confidence_score: 0.82,
          verifier_model: null,
          verifier_agreed: null,
        });
        await approve(server, unsureId);
        const approved = await untilStatus(server, t, unsureId, 'recognized');
        expect(approved).toMatchObject({ human_reviewed: true });
        expect(approved.items[0]).toMatchObject({ dish_name: 'biryani', food_db_id: 'in_curated:biryani' });
        await expectFoodDbMacros(server, approved.items);
        const event = await recognizedWebhook(t, unsureId);
        expect(event.data.total_kcal).toBe(approved.total_kcal);

        const failed = await untilStatus(server, t, malformedId, 'failed');
        expect(failed.failure).toMatchObject({
          code: 'malformed_output',
          message: expect.stringContaining('schema'),
        });

        await untilRow(server, slowId, 'timeout recorded', (r) => r.failure?.code === 'timeout');
        await recognizeMealLog(server.platform, slowId, lastAttempt);
        expect(await getLog(server, t, slowId)).toMatchObject({
          status: 'failed',
          failure: { code: 'timeout' },
        });
        expect(anthropic.refused).toEqual([]);
        expect(openai.refused).toEqual([]);
      }, 90_000);

      it('no recogniser configured (the embedded default): the photo goes straight to review; a HEIC photo, which no vendor takes, too', async () => {
        const server = claudeServer;
        const t = await tenant(server, 'No model');
        // Logs written as the upload route writes them, but without its job: the job runs by hand, once as a
        // VISION_PROVIDER=none process runs it, once as this (Anthropic) server runs it for a HEIC photo.
        const insertPhotoLog = async (contentType: string, bytes: Buffer) => {
          const id = randomUUID();
          const key = `nutrition/e2e/${id}.img`;
          await blobStoreFor(server.platform.config).putBuffer(key, bytes, contentType);
          const owner = await server.platform.deps.db
            .selectFrom('users')
            .select('developer_id')
            .where('id', '=', t.userId)
            .executeTakeFirstOrThrow();
          await server.platform.deps.db
            .insertInto('nutrition_logs')
            .values({
              id,
              developer_id: owner.developer_id,
              user_id: t.userId,
              status: 'pending',
              review_state: null,
              detected_at: new Date(),
              note: null,
              image_key: key,
              image_content_type: contentType,
              image_bytes: bytes.length,
              vision_model: null,
              verifier_model: null,
              confidence_score: null,
              verifier_agreed: null,
              job_id: null,
            })
            .execute();
          return id;
        };
        const embedded = {
          ...server.platform,
          config: { ...server.platform.config, VISION_PROVIDER: 'none' as const },
        };
        const plainId = await insertPhotoLog('image/jpeg', photo().bytes);
        await recognizeMealLog(embedded, plainId, firstAttempt);
        expect(await row(server, plainId)).toMatchObject({
          status: 'pending',
          review_state: 'queued',
          vision_model: null,
          failure: null,
        });
        expect((await getLog(server, t, plainId)).status).toBe('pending');

        const requestsBefore = anthropic.requests.length;
        const heicId = await insertPhotoLog(
          'image/heic',
          Buffer.from('0000001866747970686569630000000068656963', 'hex'),
        );
        await recognizeMealLog(server.platform, heicId, firstAttempt);
        expect(await row(server, heicId)).toMatchObject({
          status: 'pending',
          review_state: 'queued',
          failure: { code: 'unsupported_image' },
        });
        expect(anthropic.requests.length).toBe(requestsBefore);

        const queue = await server.api.request('GET', '/api/v1/admin/nutrition/review/queue?limit=200', {
          auth: await adminAuth(server),
        });
        expect(queue.status, queue.text).toBe(200);
        expect(queue.body.data.map((l: any) => l.id)).toEqual(expect.arrayContaining([plainId, heicId]));
      }, 60_000);
    },
  );
}

const adminKeys = new WeakMap<TestServer, string>();
/** The API key of the superuser (SUPERUSER_EMAILS), registered on a server's first use. */
async function adminAuth(server: TestServer): Promise<{ key: string }> {
  let key = adminKeys.get(server);
  if (key === undefined) {
    const registered = await server.api.request('POST', '/api/v1/auth/register', {
      json: { email: ADMIN_EMAIL, password: 'correct horse battery staple', name: 'Reviewer' },
    });
    expect(registered.status, registered.text).toBe(201);
    key = registered.body.api_key.key as string;
    adminKeys.set(server, key);
  }
  return { key };
}

/** A superuser approves a queued log through the admin review route. */
async function approve(server: TestServer, logId: string): Promise<void> {
  const auth = await adminAuth(server);
  const queue = await server.api.request('GET', '/api/v1/admin/nutrition/review/queue?limit=200', { auth });
  expect(queue.status, queue.text).toBe(200);
  expect(queue.body.data.map((l: any) => l.id)).toContain(logId);
  const res = await server.api.request('POST', `/api/v1/admin/nutrition/review/${logId}/approve`, { auth });
  expect(res.status, res.text).toBe(200);
}
