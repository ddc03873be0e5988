import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { AnthropicVisionClient } from '../../src/nutrition/recognition/anthropic.ts';
import { decide, logConfidence, needsVerifier } from '../../src/nutrition/recognition/decide.ts';
import { joinUrl, retryAfter } from '../../src/nutrition/recognition/http.ts';
import {
  RecognitionConfigError,
  recognizerFromConfig,
  VisionRecognizer,
  verifierFromConfig,
} from '../../src/nutrition/recognition/models.ts';
import { OpenAiVisionClient, readChatCompletion } from '../../src/nutrition/recognition/openai.ts';
import { extractJson, parseDishList } from '../../src/nutrition/recognition/schema.ts';
import { Verifier, verdictAgrees } from '../../src/nutrition/recognition/verifier.ts';
import {
  type AnthropicVisionMock,
  startAnthropicVisionMock,
} from '../support/vendor-mocks/anthropic-vision.ts';
import { type OpenAiVisionMock, startOpenAiVisionMock } from '../support/vendor-mocks/openai-vision.ts';

const baseEnv = {
  JWT_SECRET: 'test-jwt-secret-that-is-long-enough-0123456789',
  ENCRYPTION_KEY: 'test-encryption-key-that-is-long-enough-012345',
  WEARLINK_DATA_DIR: 'memory://',
};

function mealJpeg(): Buffer {
  const width = 16;
  const height = 16;
  const data = Buffer.alloc(width * height * 4, 0xc0);
  return Buffer.from(jpeg.encode({ data, width, height }, 80).data);
}
const image = { bytes: mealJpeg(), contentType: 'image/jpeg' };
const biryani = { dish_name: 'biryani', grams: 280, uncertainty: 0.2, confidence: 0.9 };
const raita = { dish_name: 'raita', grams: 80, uncertainty: 0.3, confidence: 0.7 };

describe('decide: the spec thresholds', () => {
  const base = { dishCount: 2, unmatched: 0 };
  it('accepts at 0.80 and above with a verifier (without asking it)', () => {
    expect(needsVerifier(0.8, true)).toBe(false);
    expect(decide({ ...base, confidence: 0.8, verifier: 'not_asked' })).toEqual({ accept: true });
    expect(decide({ ...base, confidence: 0.95, verifier: 'not_asked' })).toEqual({ accept: true });
  });
  it('between 0.60 and 0.80 the verifier decides', () => {
    expect(needsVerifier(0.6, true)).toBe(true);
    expect(needsVerifier(0.79, true)).toBe(true);
    expect(needsVerifier(0.7, false)).toBe(false);
    expect(decide({ ...base, confidence: 0.7, verifier: 'agreed' })).toEqual({ accept: true });
    expect(decide({ ...base, confidence: 0.7, verifier: 'disagreed' })).toEqual({
      accept: false,
      reason: 'verifier_disagreed',
    });
    expect(decide({ ...base, confidence: 0.6, verifier: 'unavailable' })).toEqual({
      accept: false,
      reason: 'verifier_unavailable',
    });
  });
  it('without a verifier only 0.85 and above is accepted', () => {
    expect(decide({ ...base, confidence: 0.85, verifier: 'not_configured' })).toEqual({ accept: true });
    expect(decide({ ...base, confidence: 0.84, verifier: 'not_configured' })).toEqual({
      accept: false,
      reason: 'below_threshold_without_verifier',
    });
    expect(decide({ ...base, confidence: 0.8, verifier: 'not_configured' }).accept).toBe(false);
  });
  it('below 0.60 goes to review, whatever a verifier would say', () => {
    expect(needsVerifier(0.59, true)).toBe(false);
    expect(decide({ ...base, confidence: 0.59, verifier: 'agreed' })).toEqual({
      accept: false,
      reason: 'low_confidence',
    });
    expect(decide({ ...base, confidence: 0.1, verifier: 'not_configured' })).toEqual({
      accept: false,
      reason: 'low_confidence',
    });
  });
  it('no dish, or a dish without a food-database match, goes to review', () => {
    expect(decide({ dishCount: 0, unmatched: 0, confidence: 0, verifier: 'not_configured' })).toEqual({
      accept: false,
      reason: 'no_dishes',
    });
    expect(decide({ dishCount: 2, unmatched: 1, confidence: 0.95, verifier: 'not_asked' })).toEqual({
      accept: false,
      reason: 'unmatched_food',
    });
  });
  it("a log's confidence weighs dishes by grams", () => {
    expect(logConfidence([biryani, raita])).toBeCloseTo((0.9 * 280 + 0.7 * 80) / 360, 3);
    expect(
      logConfidence([
        { grams: 10, confidence: 0.2 },
        { grams: 990, confidence: 1 },
      ]),
    ).toBe(0.992);
    expect(logConfidence([])).toBe(0);
  });
});

describe('parsing the model answer', () => {
  it('takes plain JSON, fenced JSON and JSON inside prose', () => {
    const json = JSON.stringify({ dishes: [biryani] });
    expect(extractJson(json)).toEqual({ dishes: [biryani] });
    expect(extractJson(`\`\`\`json\n${json}\n\`\`\``)).toEqual({ dishes: [biryani] });
    expect(extractJson(`Here is the list:\n${json}\nEnjoy!`)).toEqual({ dishes: [biryani] });
  });
  it('refuses what is not the strict dish list, naming the problem', () => {
    const bad = (text: string) => {
      const result = parseDishList(text);
      if (result.ok) throw new Error('parsed');
      expect(result.error.code).toBe('malformed_output');
      return result.error.detail;
    };
    expect(bad('I see a plate of biryani.')).toMatch(/not JSON/);
    expect(bad('{"dishes": [{"dish_name": "biryani", "grams": "280g"')).toMatch(/not JSON/);
    expect(bad(JSON.stringify({ dishes: [{ ...biryani, confidence: 87 }] }))).toMatch(
      /dishes\.0\.confidence/,
    );
    expect(bad(JSON.stringify({ dishes: [{ ...biryani, grams: 0 }] }))).toMatch(/dishes\.0\.grams/);
    expect(bad(JSON.stringify({ dishes: [{ grams: 100, uncertainty: 0.1, confidence: 0.5 }] }))).toMatch(
      /dish_name/,
    );
    expect(bad(JSON.stringify([biryani]))).toMatch(/answer/);
  });
  it('reads OpenAI content parts and refuses refusals and cut-off answers', () => {
    expect(
      readChatCompletion(
        { model: 'm', choices: [{ message: { content: [{ type: 'text', text: '{"dishes":[]}' }] } }] },
        'x',
      ),
    ).toEqual({
      ok: true,
      value: { text: '{"dishes":[]}', model: 'm' },
    });
    const refused = readChatCompletion(
      { choices: [{ message: { content: null, refusal: 'I cannot help' } }] },
      'x',
    );
    expect(refused.ok || refused.error.detail).toMatch(/refused/);
    const cut = readChatCompletion(
      { choices: [{ finish_reason: 'length', message: { content: '{"dishes":[' } }] },
      'x',
    );
    expect(cut.ok || cut.error.detail).toMatch(/cut off/);
  });
  it('Retry-After in seconds or as a date; URLs keep their query', () => {
    expect(retryAfter(new Headers({ 'retry-after': '7' }))).toBe(7);
    expect(
      retryAfter(new Headers({ 'retry-after': new Date(Date.now() + 30_000).toUTCString() })),
    ).toBeGreaterThan(25);
    expect(retryAfter(new Headers())).toBeUndefined();
    expect(joinUrl('https://x.openai.azure.com/openai/v1/?api-version=preview', 'chat/completions')).toBe(
      'https://x.openai.azure.com/openai/v1/chat/completions?api-version=preview',
    );
  });
});

describe('verifier agreement', () => {
  const dishes = [biryani, raita];
  const verdict = {
    verdicts: [
      { index: 0, correct: true, grams: 300 },
      { index: 1, correct: true, grams: 70 },
    ],
    missing: [],
    confidence: 0.8,
  };
  it('agrees when every dish is confirmed within the weight tolerance and nothing is missing', () => {
    expect(verdictAgrees(dishes, verdict)).toBe(true);
  });
  it('disagrees on a wrong dish, a weight far off, a missed dish, a missing verdict or low confidence', () => {
    expect(
      verdictAgrees(dishes, {
        ...verdict,
        verdicts: [verdict.verdicts[0]!, { index: 1, correct: false, grams: 80 }],
      }),
    ).toBe(false);
    expect(
      verdictAgrees(dishes, {
        ...verdict,
        verdicts: [{ index: 0, correct: true, grams: 400 }, verdict.verdicts[1]!],
      }),
    ).toBe(false);
    expect(verdictAgrees(dishes, { ...verdict, missing: ['papad'] })).toBe(false);
    expect(verdictAgrees(dishes, { ...verdict, verdicts: [verdict.verdicts[0]!] })).toBe(false);
    expect(verdictAgrees(dishes, { ...verdict, confidence: 0.5 })).toBe(false);
  });
});

describe('configuration', () => {
  it('none means no recogniser and no verifier', () => {
    const config = loadConfig(baseEnv);
    expect(recognizerFromConfig(config)).toBeUndefined();
    expect(verifierFromConfig(config)).toBeUndefined();
  });
  it('refuses a provider without a model, and Anthropic without a key', () => {
    expect(() => recognizerFromConfig(loadConfig({ ...baseEnv, VISION_PROVIDER: 'openai' }))).toThrow(
      RecognitionConfigError,
    );
    expect(() =>
      recognizerFromConfig(loadConfig({ ...baseEnv, VISION_PROVIDER: 'anthropic', VISION_MODEL: 'claude' })),
    ).toThrow(/VISION_API_KEY/);
    expect(() =>
      verifierFromConfig(
        loadConfig({
          ...baseEnv,
          VISION_PROVIDER: 'openai',
          VISION_MODEL: 'm',
          VERIFIER_PROVIDER: 'anthropic',
        }),
      ),
    ).toThrow(/VERIFIER_MODEL/);
  });
  it('a verifier on the same endpoint borrows the vision key; on another endpoint it does not', () => {
    const same = verifierFromConfig(
      loadConfig({
        ...baseEnv,
        VISION_PROVIDER: 'anthropic',
        VISION_MODEL: 'a',
        VISION_API_KEY: 'k',
        VERIFIER_PROVIDER: 'anthropic',
        VERIFIER_MODEL: 'b',
      }),
    );
    expect(same?.model).toBe('b');
    expect(() =>
      verifierFromConfig(
        loadConfig({
          ...baseEnv,
          VISION_PROVIDER: 'anthropic',
          VISION_MODEL: 'a',
          VISION_API_KEY: 'k',
          VERIFIER_PROVIDER: 'anthropic',
          VERIFIER_MODEL: 'b',
          VERIFIER_BASE_URL: 'https://proxy.example.com',
        }),
      ),
    ).toThrow(/VERIFIER_API_KEY/);
  });
});

describe('OpenAI-compatible adapter against the local mock', () => {
  let mock: OpenAiVisionMock;
  const recognizer = (overrides: { apiKey?: string; timeoutMs?: number } = {}) =>
    new VisionRecognizer(
      new OpenAiVisionClient({
        model: 'gpt-4o',
        baseUrl: `${mock.url}/v1`,
        apiKey: overrides.apiKey ?? 'sk-test',
        timeoutMs: overrides.timeoutMs ?? 2000,
      }),
    );
  beforeAll(async () => {
    mock = await startOpenAiVisionMock({ apiKey: 'sk-test' });
  });
  afterAll(() => mock.close());

  it('sends the photo as a data URL in JSON mode and returns the dishes with the model that answered', async () => {
    mock.script('gpt-4o', { dishes: [biryani, raita] });
    const result = await recognizer().recognize(image);
    expect(result).toEqual({ ok: true, value: { dishes: [biryani, raita], model: 'gpt-4o-2024-08-06' } });
    const seen = mock.requests.at(-1)!;
    expect(seen.image.equals(image.bytes)).toBe(true);
    expect(seen.body.response_format).toEqual({ type: 'json_object' });
    expect(seen.headers.authorization).toBe('Bearer sk-test');
  });
  it('asks once more after a malformed answer, and fails with malformed_output after two', async () => {
    mock.script('gpt-4o', { text: 'biryani, about 280 g' }, { dishes: [biryani] });
    expect(await recognizer().recognize(image)).toMatchObject({ ok: true, value: { dishes: [biryani] } });
    mock.script('gpt-4o', { text: '{"dishes": [' }, { json: { dishes: [{ dish_name: 'x' }] } });
    expect(await recognizer().recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'malformed_output', retryable: false },
    });
  });
  it('maps 401, 429 (with Retry-After), 5xx, 400 and a timeout to their codes', async () => {
    expect(await recognizer({ apiKey: 'wrong' }).recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', retryable: false },
    });
    mock.script('gpt-4o', { status: 429, retryAfter: 12, message: 'Rate limit reached' });
    expect(await recognizer().recognize(image)).toMatchObject({
      ok: false,
      error: {
        code: 'rate_limited',
        retryable: true,
        retryAfterSeconds: 12,
        detail: expect.stringContaining('Rate limit reached'),
      },
    });
    mock.script('gpt-4o', { status: 503 });
    expect(await recognizer().recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'vendor_error', retryable: true },
    });
    mock.script('gpt-4o', { status: 400, message: 'The model `gpt-4o` does not exist' });
    expect(await recognizer().recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'vendor_error', retryable: false },
    });
    mock.script('gpt-4o', 'hang');
    const started = Date.now();
    expect(await recognizer({ timeoutMs: 300 }).recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'timeout', retryable: true },
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });
  it('a server without JSON mode is asked again without response_format', async () => {
    mock.rejectResponseFormat = true;
    try {
      mock.script('gpt-4o', { dishes: [biryani] });
      const r = recognizer();
      expect(await r.recognize(image)).toMatchObject({ ok: true });
      expect(mock.requests.at(-1)!.body.response_format).toBeUndefined();
      mock.script('gpt-4o', { dishes: [biryani] });
      const refusedBefore = mock.refused.length;
      expect(await r.recognize(image)).toMatchObject({ ok: true });
      expect(mock.refused.length).toBe(refusedBefore); // remembered: not refused a second time
    } finally {
      mock.rejectResponseFormat = false;
    }
  });
  it('a reasoning model refusing temperature 0 and max_tokens is asked again without them', async () => {
    mock.reasoningModel = true;
    try {
      mock.script('gpt-4o', { dishes: [biryani] });
      const refusedBefore = mock.refused.length;
      expect(await recognizer().recognize(image)).toMatchObject({ ok: true, value: { dishes: [biryani] } });
      expect(mock.refused.length - refusedBefore).toBe(2);
      const sent = mock.requests.at(-1)!.body;
      expect([sent.temperature, sent.max_tokens, sent.response_format]).toEqual([
        undefined,
        undefined,
        { type: 'json_object' },
      ]);
    } finally {
      mock.reasoningModel = false;
    }
  });
  it('an unreachable server is a retryable vendor_error', async () => {
    const dead = new VisionRecognizer(
      new OpenAiVisionClient({ model: 'm', baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 2000 }),
    );
    expect(await dead.recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'vendor_error', retryable: true },
    });
  });
});

describe('Anthropic adapter against the local mock', () => {
  let mock: AnthropicVisionMock;
  const client = (apiKey = 'sk-ant-test', timeoutMs = 2000) =>
    new AnthropicVisionClient({ model: 'claude-opus-4-7', baseUrl: mock.url, apiKey, timeoutMs });
  beforeAll(async () => {
    mock = await startAnthropicVisionMock({ apiKey: 'sk-ant-test' });
  });
  afterAll(() => mock.close());

  it('sends a base64 image block with the version header and parses the text block (fences too)', async () => {
    mock.script('claude-opus-4-7', { text: `\`\`\`json\n${JSON.stringify({ dishes: [biryani] })}\n\`\`\`` });
    expect(await new VisionRecognizer(client()).recognize(image)).toEqual({
      ok: true,
      value: { dishes: [biryani], model: 'claude-opus-4-7' },
    });
    const seen = mock.requests.at(-1)!;
    expect(seen.headers['anthropic-version']).toBe('2023-06-01');
    expect(seen.body.messages[0].content[0].source.media_type).toBe('image/jpeg');
    expect(seen.image.equals(image.bytes)).toBe(true);
  });
  it('maps authentication, rate-limit, overload and timeout errors', async () => {
    expect(await new VisionRecognizer(client('nope')).recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    mock.script('claude-opus-4-7', { status: 429, retryAfter: 3 });
    expect(await new VisionRecognizer(client()).recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', retryable: true, retryAfterSeconds: 3 },
    });
    mock.script('claude-opus-4-7', { status: 529, message: 'Overloaded' });
    expect(await new VisionRecognizer(client()).recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'vendor_error', retryable: true, detail: expect.stringContaining('Overloaded') },
    });
    mock.script('claude-opus-4-7', { delayMs: 1500, dishes: [biryani] });
    expect(await new VisionRecognizer(client('sk-ant-test', 300)).recognize(image)).toMatchObject({
      ok: false,
      error: { code: 'timeout', retryable: true },
    });
  });
  it('the verifier sees the dish list and its verdict is judged', async () => {
    const verifier = new Verifier(client());
    mock.script('claude-opus-4-7', {
      json: { verdicts: [{ index: 0, correct: true, grams: 260 }], missing: [], confidence: 0.85 },
    });
    expect(await verifier.verify(image, [biryani])).toMatchObject({ ok: true, value: { agreed: true } });
    expect(mock.requests.at(-1)!.text).toContain('"dish_name":"biryani"');
    mock.script('claude-opus-4-7', {
      json: { verdicts: [{ index: 0, correct: false, grams: 260 }], missing: ['pulao'], confidence: 0.9 },
    });
    expect(await verifier.verify(image, [biryani])).toMatchObject({ ok: true, value: { agreed: false } });
  });
});
