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
 * data URL in an `image_url` content part. JSON mode (`response_format: json_object`) is asked for; a
 * server that refuses the parameter with a 400 naming it is asked once more without it, and remembered.
 */
export class OpenAiVisionClient implements VisionClient {
  readonly provider = 'openai';
  readonly acceptedTypes = ACCEPTED;
  readonly model: string;
  readonly #url: string;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;
  #jsonMode = true;

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
    const body = (jsonMode: boolean) => ({
      model: this.model,
      temperature: 0,
      max_tokens: 1500,
      ...(jsonMode ? { response_format: { type: 'json_object' } } : {}),
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
    });
    let answer = await postJson(
      'vision API',
      this.#url,
      this.#headers,
      body(this.#jsonMode),
      this.#timeoutMs,
    );
    if (
      !answer.ok &&
      this.#jsonMode &&
      answer.error.status === 400 &&
      /response_format|json_object/i.test(answer.error.body ?? '')
    ) {
      this.#jsonMode = false;
      answer = await postJson('vision API', this.#url, this.#headers, body(false), this.#timeoutMs);
    }
    if (!answer.ok) {
      const { status: _status, body: _body, ...error } = answer.error;
      return fail(error);
    }
    return readChatCompletion(answer.value.json, this.model);
  }
}

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
