import { joinUrl, postJson, vendorText } from './http.ts';
import {
  fail,
  ok,
  type RecognitionError,
  type Result,
  type VisionClient,
  type VisionRequest,
} from './recognizer.ts';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';

/** Image types the Messages API takes. */
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export interface AnthropicOptions {
  model: string;
  /** The API's origin (https://api.anthropic.com); a base already ending in /v1 is taken as is. */
  baseUrl?: string | undefined;
  apiKey?: string | undefined;
  timeoutMs: number;
}

/**
 * The Anthropic Messages API: `x-api-key` and `anthropic-version` headers, the image as a base64 source
 * block before the text (Anthropic's advice for vision prompts). It has no JSON mode: the prompt asks for
 * JSON only, and the text blocks of the answer are joined and parsed (schema.ts strips fences).
 */
export class AnthropicVisionClient implements VisionClient {
  readonly provider = 'anthropic';
  readonly acceptedTypes = ACCEPTED;
  readonly model: string;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(options: AnthropicOptions) {
    this.model = options.model;
    const base = options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL;
    this.#url = joinUrl(base, /\/v1\/?$/.test(new URL(base).pathname) ? 'messages' : 'v1/messages');
    this.#headers = { 'anthropic-version': ANTHROPIC_VERSION };
    if (options.apiKey !== undefined) this.#headers['x-api-key'] = options.apiKey;
    this.#timeoutMs = options.timeoutMs;
  }

  async complete(request: VisionRequest): Promise<Result<{ text: string; model: string }, RecognitionError>> {
    const answer = await postJson(
      'Anthropic API',
      this.#url,
      this.#headers,
      {
        model: this.model,
        max_tokens: 1500,
        temperature: 0,
        system: request.system,
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                source: {
                  type: 'base64',
                  media_type: request.image.contentType,
                  data: request.image.bytes.toString('base64'),
                },
              },
              { type: 'text', text: request.prompt },
            ],
          },
        ],
      },
      this.#timeoutMs,
    );
    if (!answer.ok) {
      const { status: _status, body: _body, ...error } = answer.error;
      return fail(error);
    }
    return readMessage(answer.value.json, this.model);
  }
}

/** The text of a Messages API answer, or why there is none. */
export function readMessage(
  json: unknown,
  configuredModel: string,
): Result<{ text: string; model: string }, RecognitionError> {
  const message = json as { model?: unknown; stop_reason?: unknown; content?: unknown };
  const model = typeof message?.model === 'string' && message.model !== '' ? message.model : configuredModel;
  const text = Array.isArray(message?.content)
    ? message.content
        .filter((block: { type?: unknown }) => block?.type === 'text')
        .map((block: { text?: unknown }) => (typeof block.text === 'string' ? block.text : ''))
        .join('')
    : '';
  if (message?.stop_reason === 'refusal')
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: `the model refused: ${vendorText(text)}`,
    });
  if (text.trim() === '')
    return fail({ code: 'malformed_output', retryable: false, detail: 'the message carried no text block' });
  if (message?.stop_reason === 'max_tokens')
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: 'the model answer was cut off (stop_reason max_tokens)',
    });
  return ok({ text, model });
}
