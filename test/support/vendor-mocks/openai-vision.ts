import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, send } from './oauth.ts';

/**
 * A local OpenAI-compatible chat-completions server with vision (as OpenAI, vLLM, Ollama or LM Studio
 * serve it) on 127.0.0.1: `POST /v1/chat/completions` checks the bearer key, the request's shape (a
 * model, messages, a user message with an `image_url` part holding a base64 data URL whose bytes are the
 * image type it declares, `response_format: json_object` only with "JSON" in the messages, as OpenAI
 * demands) and answers with what the test scripted per model: a dish list, any text (malformed JSON), a
 * delay or a hang (timeouts), or an HTTP status (429 with Retry-After, 5xx). `rejectResponseFormat`
 * plays a server without JSON mode (LM Studio refuses `json_object` with a 400).
 *
 * @example
 * const vision = await startOpenAiVisionMock({ apiKey: 'sk-test' });
 * vision.script('gpt-4o', { dishes: [{ dish_name: 'biryani', grams: 280, uncertainty: 0.2, confidence: 0.9 }] });
 * // VISION_PROVIDER=openai VISION_BASE_URL=<vision.url>/v1 VISION_MODEL=gpt-4o VISION_API_KEY=sk-test
 */

/** One scripted answer of a vision mock. */
export type VisionAnswer =
  /** A well-formed answer: the dish list as the JSON text the model returns. */
  | { dishes: { dish_name: string; grams: number; uncertainty: number; confidence: number }[] }
  /** Any JSON document as the model's text (a verifier's verdict). */
  | { json: unknown }
  /** The model's text verbatim (malformed JSON, prose…). */
  | { text: string }
  /** An HTTP error of the vendor's shape; `retryAfter` (s) on a 429. */
  | { status: number; retryAfter?: number; message?: string }
  /** Never answers (the client's timeout ends it). */
  | 'hang';

export type ScriptedAnswer = (VisionAnswer & { delayMs?: number }) | 'hang';

export interface VisionRequestSeen {
  model: string;
  contentType: string;
  image: Buffer;
  /** The text the client sent (system and user prompt joined). */
  text: string;
  body: any;
  headers: IncomingMessage['headers'];
}

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** Whether `bytes` start like the declared image type (what vendors check before looking at it). */
export function imageMatchesType(bytes: Buffer, type: string): boolean {
  if (type === 'image/jpeg') return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (type === 'image/png') return bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'));
  if (type === 'image/gif') return bytes.subarray(0, 4).toString('latin1') === 'GIF8';
  if (type === 'image/webp')
    return (
      bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
      bytes.subarray(8, 12).toString('latin1') === 'WEBP'
    );
  return false;
}

/** A JPEG's or PNG's width from its header (SOFn / IHDR), or undefined. */
export function imageWidth(bytes: Buffer): number | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) return bytes.readUInt32BE(16);
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] as number;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): height then width after the precision byte.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return bytes.readUInt16BE(at + 7);
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  return undefined;
}

/**
 * Answers scripted per photo (keyed by the image's width, so concurrent logs and the queue's retries each
 * get their own answers, whatever their order) or per model, in order; once a script is used up, its
 * fallback (default: a 500 saying nothing was scripted, so a test never passes on an answer it did not
 * ask for). A photo's script is for the model it names: the primary and the verifier each have theirs.
 */
export class VisionScript {
  readonly #queues = new Map<string, ScriptedAnswer[]>();
  readonly #fallbacks = new Map<string, ScriptedAnswer>();

  /** Answers for `model`, in order. */
  script(model: string, ...answers: ScriptedAnswer[]): void {
    const queue = this.#queues.get(model) ?? [];
    queue.push(...answers);
    this.#queues.set(model, queue);
  }

  /** Answers for `model` looking at a photo `width` pixels wide, in order. */
  scriptPhoto(width: number, model: string, ...answers: ScriptedAnswer[]): void {
    this.script(`${model}@${width}`, ...answers);
  }

  fallback(model: string, answer: ScriptedAnswer, width?: number): void {
    this.#fallbacks.set(width === undefined ? model : `${model}@${width}`, answer);
  }

  next(model: string, image?: Buffer): ScriptedAnswer {
    const width = image === undefined ? undefined : imageWidth(image);
    const keys = width === undefined ? [model] : [`${model}@${width}`, model];
    for (const key of keys) {
      const answer = this.#queues.get(key)?.shift();
      if (answer !== undefined) return answer;
    }
    for (const key of keys) {
      const answer = this.#fallbacks.get(key);
      if (answer !== undefined) return answer;
    }
    return {
      status: 500,
      message: `nothing scripted for model ${model}${width === undefined ? '' : ` and a photo ${width} px wide`}`,
    };
  }

  pending(model: string, width?: number): number {
    return this.#queues.get(width === undefined ? model : `${model}@${width}`)?.length ?? 0;
  }
}

/** The model's text for a content answer. */
export function answerText(answer: VisionAnswer): string | undefined {
  if (typeof answer !== 'object') return undefined;
  if ('dishes' in answer) return JSON.stringify({ dishes: answer.dishes });
  if ('json' in answer) return JSON.stringify(answer.json);
  if ('text' in answer) return answer.text;
  return undefined;
}

/** Runs `then` after the answer's delay (unless the client left); a hang holds the request open. */
export function delayed(answer: ScriptedAnswer, res: ServerResponse, then: () => void): void {
  if (answer === 'hang') return;
  const delay = answer.delayMs ?? 0;
  if (delay === 0) {
    then();
    return;
  }
  setTimeout(() => {
    if (!res.destroyed) then();
  }, delay);
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Hanging requests (timeouts) would keep the server open.
    server.closeAllConnections();
  });
}

export class OpenAiVisionMock extends VisionScript {
  readonly requests: VisionRequestSeen[] = [];
  /** Requests refused before any model saw them (auth or shape), with their reasons. */
  readonly refused: { status: number; message: string }[] = [];
  /** Play a server without JSON mode: `response_format: json_object` is a 400. */
  rejectResponseFormat = false;
  /** Play an OpenAI reasoning model: `temperature` other than 1 and `max_tokens` are 400s. */
  reasoningModel = false;
  url = '';
  #server: Server | undefined;

  constructor(readonly apiKey: string | undefined) {
    super();
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
    });
    this.url = await listen(this.#server);
    return this;
  }

  close(): Promise<void> {
    return this.#server ? closeServer(this.#server) : Promise.resolve();
  }

  #refuse(
    res: ServerResponse,
    status: number,
    message: string,
    type = 'invalid_request_error',
    code: string | null = null,
  ) {
    this.refused.push({ status, message });
    send(res, status, { error: { message, type, param: null, code } });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return this.#refuse(
        res,
        404,
        `Unknown request URL: ${req.method} ${req.url}`,
        'invalid_request_error',
        'unknown_url',
      );
    if (this.apiKey !== undefined && req.headers.authorization !== `Bearer ${this.apiKey}`)
      return this.#refuse(
        res,
        401,
        'Incorrect API key provided.',
        'invalid_request_error',
        'invalid_api_key',
      );
    if (!String(req.headers['content-type']).startsWith('application/json'))
      return this.#refuse(res, 400, 'Content-Type must be application/json');
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return this.#refuse(res, 400, 'We could not parse the JSON body of your request.');
    }
    if (typeof body?.model !== 'string' || body.model === '')
      return this.#refuse(res, 400, 'you must provide a model parameter');
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return this.#refuse(res, 400, "Missing required parameter: 'messages'.");
    const texts: string[] = [];
    let image: { contentType: string; bytes: Buffer } | undefined;
    for (const message of body.messages) {
      if (!['system', 'user', 'assistant', 'developer'].includes(message?.role))
        return this.#refuse(res, 400, `Invalid value for 'role': ${message?.role}`);
      if (typeof message.content === 'string') {
        texts.push(message.content);
        continue;
      }
      if (!Array.isArray(message.content))
        return this.#refuse(res, 400, "Invalid type for 'messages.content'");
      for (const part of message.content) {
        if (part?.type === 'text' && typeof part.text === 'string') texts.push(part.text);
        else if (part?.type === 'image_url' && message.role === 'user') {
          const match = /^data:([a-z/]+);base64,([A-Za-z0-9+/]+=*)$/.exec(String(part.image_url?.url));
          if (!match) return this.#refuse(res, 400, 'Invalid image_url: expected a base64 data URL');
          const [, contentType, data] = match as unknown as [string, string, string];
          const bytes = Buffer.from(data, 'base64');
          if (!IMAGE_TYPES.has(contentType) || !imageMatchesType(bytes, contentType))
            return this.#refuse(
              res,
              400,
              'You uploaded an unsupported image. Please make sure your image is valid.',
              'invalid_request_error',
              'invalid_image_format',
            );
          image = { contentType, bytes };
        } else return this.#refuse(res, 400, `Invalid content part type: ${part?.type}`);
      }
    }
    if (image === undefined) return this.#refuse(res, 400, 'No image in the user message');
    if (this.reasoningModel && body.max_tokens !== undefined)
      return this.#refuse(
        res,
        400,
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        'invalid_request_error',
        'unsupported_parameter',
      );
    if (this.reasoningModel && body.temperature !== undefined && body.temperature !== 1)
      return this.#refuse(
        res,
        400,
        "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
        'invalid_request_error',
        'unsupported_value',
      );
    if (body.response_format !== undefined) {
      if (this.rejectResponseFormat)
        return this.#refuse(res, 400, "'response_format.type' must be 'json_schema' or 'text'");
      if (body.response_format?.type !== 'json_object')
        return this.#refuse(res, 400, "Invalid value for 'response_format.type'");
      if (!texts.some((t) => /json/i.test(t)))
        return this.#refuse(
          res,
          400,
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
        );
    }
    this.requests.push({
      model: body.model,
      contentType: image.contentType,
      image: image.bytes,
      text: texts.join('\n'),
      body,
      headers: req.headers,
    });
    const answer = this.next(body.model, image.bytes);
    delayed(answer, res, () => {
      if (answer === 'hang') return;
      if ('status' in answer) {
        const headers: Record<string, string> = {};
        if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter);
        if (answer.status === 429) {
          headers['x-ratelimit-limit-requests'] = '500';
          headers['x-ratelimit-remaining-requests'] = '0';
        }
        const type =
          answer.status === 429
            ? 'requests'
            : answer.status >= 500
              ? 'server_error'
              : 'invalid_request_error';
        return send(
          res,
          answer.status,
          {
            error: {
              message: answer.message ?? `HTTP ${answer.status}`,
              type,
              param: null,
              code: answer.status === 429 ? 'rate_limit_exceeded' : null,
            },
          },
          headers,
        );
      }
      send(res, 200, {
        id: `chatcmpl-${randomBytes(8).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: `${body.model}-2024-08-06`,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: answerText(answer), refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 900, completion_tokens: 80, total_tokens: 980 },
      });
    });
  }
}

export async function startOpenAiVisionMock(options: { apiKey?: string } = {}): Promise<OpenAiVisionMock> {
  return new OpenAiVisionMock(options.apiKey).start();
}
