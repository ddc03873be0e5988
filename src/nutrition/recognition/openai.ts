import { joinUrl, postJson, vendorText } from './http.ts';
import {
  fail,
  ok,
  type RecognitionError,
  type Result,
  type VisionClient,
  type VisionRequest,
} from './recognizer.ts';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** Image types the OpenAI vision input takes (compatible servers take at least JPEG and PNG). */
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export interface OpenAiOptions {
  model: string;
  /** Up to and including the version segment: https://api.openai.com/v1, http://127.0.0.1:11434/v1, … */
  baseUrl?: string | undefined;
  /** Optional: local servers (Ollama, vLLM, LM Studio) usually run without one. */
  apiKey?: string | undefined;
  timeoutMs: number;
}

/**
 * Any OpenAI-compatible chat-completions API: OpenAI, Azure OpenAI (its v1 endpoint; the key also goes
 * in `api-key`, Azure's header), vLLM, Ollama, LM Studio, llama.cpp's server… The image travels as a
 * data URL in an `image_url` content part. JSON mode (`response_format: json_object`), `temperature: 0`
 * and `max_tokens` are asked for; a server that refuses one with a 400 naming it is asked again without it,
 * and that is remembered.
 */
export class OpenAiVisionClient implements VisionClient {
  readonly provider = 'openai';
  readonly acceptedTypes = ACCEPTED;
  readonly model: string;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  readonly #unsupported = new Set<OptionalParameter>();

  constructor(options: OpenAiOptions) {
    this.model = options.model;
    const base = options.baseUrl ?? OPENAI_DEFAULT_BASE_URL;
    this.#url = joinUrl(base, 'chat/completions');
    this.#headers = {};
    if (options.apiKey !== undefined) {
      this.#headers.authorization = `Bearer ${options.apiKey}`;
      if (new URL(base).hostname.endsWith('.azure.com')) this.#headers['api-key'] = options.apiKey;
    }
    this.#timeoutMs = options.timeoutMs;
  }

  async complete(request: VisionRequest): Promise<Result<{ text: string; model: string }, RecognitionError>> {
    const body = () => {
      const optional: Record<OptionalParameter, unknown> = {
        temperature: 0,
        max_tokens: 1500,
        response_format: { type: 'json_object' },
      };
      for (const name of this.#unsupported) delete optional[name];
      return {
        model: this.model,
        ...optional,
        messages: [
          { role: 'system', content: request.system },
          {
            role: 'user',
            content: [
              { type: 'text', text: request.prompt },
              {
                type: 'image_url',
                image_url: {
                  url: `data:${request.image.contentType};base64,${request.image.bytes.toString('base64')}`,
                },
              },
            ],
          },
        ],
      };
    };
    for (;;) {
      const answer = await postJson('vision API', this.#url, this.#headers, body(), this.#timeoutMs);
      if (answer.ok) return readChatCompletion(answer.value.json, this.model);
      const refused =
        answer.error.status === 400
          ? OPTIONAL_PARAMETERS.find(
              (name) => !this.#unsupported.has(name) && PARAMETER_NAMED[name].test(answer.error.body ?? ''),
            )
          : undefined;
      if (refused === undefined) {
        const { status: _status, body: _body, ...error } = answer.error;
        return fail(error);
      }
      this.#unsupported.add(refused);
    }
  }
}

/**
 * Parameters not every compatible server takes: LM Studio refuses `json_object`, OpenAI's reasoning models
 * refuse `temperature: 0` and `max_tokens` (they want `max_completion_tokens`, which older servers do not
 * know). A 400 naming one is answered by asking again without it (each at most once per client).
 */
const OPTIONAL_PARAMETERS = ['response_format', 'temperature', 'max_tokens'] as const;
type OptionalParameter = (typeof OPTIONAL_PARAMETERS)[number];
const PARAMETER_NAMED: Record<OptionalParameter, RegExp> = {
  response_format: /response_format|json_object/i,
  temperature: /temperature/i,
  max_tokens: /max_tokens/i,
};

/** The assistant's text of a chat completion, or why there is none. */
export function readChatCompletion(
  json: unknown,
  configuredModel: string,
): Result<{ text: string; model: string }, RecognitionError> {
  const completion = json as {
    model?: unknown;
    choices?: { finish_reason?: unknown; message?: { content?: unknown; refusal?: unknown } }[];
  };
  const model =
    typeof completion?.model === 'string' && completion.model !== '' ? completion.model : configuredModel;
  const choice = Array.isArray(completion?.choices) ? completion.choices[0] : undefined;
  const message = choice?.message;
  if (typeof message?.refusal === 'string' && message.refusal !== '')
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: `the model refused: ${vendorText(message.refusal)}`,
    });
  // Most servers send a string; some send content parts.
  const content = message?.content;
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content
            .map((part: { type?: unknown; text?: unknown }) =>
              typeof part?.text === 'string' ? part.text : '',
            )
            .join('')
        : undefined;
  if (text === undefined || text.trim() === '')
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: 'the chat completion carried no message text',
    });
  if (choice?.finish_reason === 'length')
    return fail({
      code: 'malformed_output',
      retryable: false,
      detail: 'the model answer was cut off (finish_reason length)',
    });
  return ok({ text, model });
}
