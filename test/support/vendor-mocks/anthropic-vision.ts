import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readBody, send } from './oauth.ts';
import {
  answerText,
  closeServer,
  delayed,
  imageMatchesType,
  listen,
  type VisionRequestSeen,
  VisionScript,
} from './openai-vision.ts';

export type { ScriptedAnswer, VisionAnswer } from './openai-vision.ts';

/**
 * A local Anthropic Messages API on 127.0.0.1: `POST /v1/messages` checks `x-api-key`, requires
 * `anthropic-version`, and validates the request as Anthropic does (a model, an integer `max_tokens`,
 * user/assistant messages, an image block with a base64 source whose bytes are its `media_type`, one of
 * the four types the API takes), then answers with what the test scripted per model (see VisionScript):
 * a text block, an error of Anthropic's shape (429 `rate_limit_error` with Retry-After, 529
 * `overloaded_error`, 500 `api_error`), a delay or a hang.
 *
 * @example
 * const claude = await startAnthropicVisionMock({ apiKey: 'sk-ant-test' });
 * claude.script('claude-opus-4-7', { dishes: [...] });
 * // VISION_PROVIDER=anthropic VISION_BASE_URL=<claude.url> VISION_MODEL=claude-opus-4-7 VISION_API_KEY=sk-ant-test
 */
const MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export class AnthropicVisionMock extends VisionScript {
  readonly requests: VisionRequestSeen[] = [];
  readonly refused: { status: number; message: string }[] = [];
  url = '';
  #server: Server | undefined;

  constructor(readonly apiKey: string) {
    super();
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => this.#error(res, 500, String(error)));
    });
    this.url = await listen(this.#server);
    return this;
  }

  close(): Promise<void> {
    return this.#server ? closeServer(this.#server) : Promise.resolve();
  }

  #error(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
    send(
      res,
      status,
      {
        type: 'error',
        error: { type: ERROR_TYPES[status] ?? 'api_error', message },
        request_id: `req_${randomBytes(6).toString('hex')}`,
      },
      headers,
    );
  }

  #refuse(res: ServerResponse, status: number, message: string) {
    this.refused.push({ status, message });
    this.#error(res, status, message);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/v1/messages')
      return this.#refuse(res, 404, `Not found: ${req.url}`);
    if (req.headers['x-api-key'] !== this.apiKey) return this.#refuse(res, 401, 'invalid x-api-key');
    if (typeof req.headers['anthropic-version'] !== 'string')
      return this.#refuse(res, 400, 'anthropic-version: header is required');
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return this.#refuse(res, 400, 'There was an issue with your request body: invalid JSON');
    }
    if (typeof body?.model !== 'string' || body.model === '')
      return this.#refuse(res, 400, 'model: Field required');
    if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1)
      return this.#refuse(res, 400, 'max_tokens: Field required');
    if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system))
      return this.#refuse(res, 400, 'system: Input should be a valid string');
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return this.#refuse(res, 400, 'messages: Field required');
    if (body.messages[0]?.role !== 'user')
      return this.#refuse(res, 400, 'messages: first message must use the "user" role');
    const texts: string[] = typeof body.system === 'string' ? [body.system] : [];
    let image: { contentType: string; bytes: Buffer } | undefined;
    for (const [i, message] of body.messages.entries()) {
      if (message?.role !== 'user' && message?.role !== 'assistant')
        return this.#refuse(res, 400, `messages.${i}.role: Input should be 'user' or 'assistant'`);
      const blocks =
        typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
      if (!Array.isArray(blocks))
        return this.#refuse(res, 400, `messages.${i}.content: Input should be a valid list`);
      for (const [j, block] of blocks.entries()) {
        if (block?.type === 'text' && typeof block.text === 'string') texts.push(block.text);
        else if (block?.type === 'image') {
          const source = block.source;
          if (source?.type !== 'base64' || typeof source.data !== 'string')
            return this.#refuse(
              res,
              400,
              `messages.${i}.content.${j}.image.source: expected a base64 source`,
            );
          if (!MEDIA_TYPES.has(source.media_type))
            return this.#refuse(
              res,
              400,
              `messages.${i}.content.${j}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`,
            );
          const bytes = Buffer.from(source.data, 'base64');
          if (!/^[A-Za-z0-9+/]+=*$/.test(source.data) || !imageMatchesType(bytes, source.media_type))
            return this.#refuse(
              res,
              400,
              `messages.${i}.content.${j}.image.source.base64.data: The image was specified using the ${source.media_type} media type, but the image appears to be something else`,
            );
          image = { contentType: source.media_type, bytes };
        } else return this.#refuse(res, 400, `messages.${i}.content.${j}: unknown block type ${block?.type}`);
      }
    }
    if (image === undefined) return this.#refuse(res, 400, 'No image block in the request');
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
        return this.#error(res, answer.status, answer.message ?? `HTTP ${answer.status}`, headers);
      }
      send(res, 200, {
        id: `msg_${randomBytes(12).toString('hex')}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'text', text: answerText(answer) }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1100, output_tokens: 90 },
      });
    });
  }
}

export async function startAnthropicVisionMock(options: { apiKey: string }): Promise<AnthropicVisionMock> {
  return new AnthropicVisionMock(options.apiKey).start();
}
