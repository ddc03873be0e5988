import { ConfigError } from '../../config/config.ts';
import type { Config } from '../../config/load-config.ts';
import { AnthropicVisionClient } from './anthropic.ts';
import { OpenAiVisionClient } from './openai.ts';
import {
  fail,
  type MealImage,
  ok,
  type Recognition,
  type RecognitionError,
  type Recognizer,
  type Result,
  type VisionClient,
} from './recognizer.ts';
import { parseDishList, RECOGNITION_PROMPT, RECOGNITION_SYSTEM_PROMPT } from './schema.ts';
import { Verifier } from './verifier.ts';

/**
 * A recogniser over one vision client: the strict-JSON prompt, the zod-checked answer, and one more ask
 * when the answer is malformed (a sampled model may get it right the second time; a third is not worth
 * its cost: the log then fails with `malformed_output`).
 */
export class VisionRecognizer implements Recognizer {
  constructor(readonly client: VisionClient) {}

  get model(): string {
    return this.client.model;
  }

  get acceptedTypes(): ReadonlySet<string> {
    return this.client.acceptedTypes;
  }

  async recognize(image: MealImage): Promise<Result<Recognition, RecognitionError>> {
    let last: RecognitionError | undefined;
    for (let ask = 0; ask < 2; ask++) {
      const answer = await this.client.complete({
        system: RECOGNITION_SYSTEM_PROMPT,
        prompt: RECOGNITION_PROMPT,
        image,
      });
      if (!answer.ok) return answer;
      const dishes = parseDishList(answer.value.text);
      if (dishes.ok) return ok({ dishes: dishes.value, model: answer.value.model });
      last = dishes.error;
    }
    return fail(last as RecognitionError);
  }
}

/** A VISION_* / VERIFIER_* mistake: a ConfigError, so `wearlink serve` stops with its message, not a stack. */
export class RecognitionConfigError extends ConfigError {
  override name = 'RecognitionConfigError';
}

function client(
  prefix: 'VISION' | 'VERIFIER',
  provider: 'openai' | 'anthropic',
  model: string | undefined,
  baseUrl: string | undefined,
  apiKey: string | undefined,
  timeoutMs: number,
): VisionClient {
  if (model === undefined)
    throw new RecognitionConfigError(`${prefix}_MODEL is required when ${prefix}_PROVIDER=${provider}`);
  if (baseUrl !== undefined && !URL.canParse(baseUrl))
    throw new RecognitionConfigError(`${prefix}_BASE_URL is not a URL`);
  if (provider === 'anthropic') {
    if (apiKey === undefined)
      throw new RecognitionConfigError(`${prefix}_API_KEY is required when ${prefix}_PROVIDER=anthropic`);
    return new AnthropicVisionClient({ model, baseUrl, apiKey, timeoutMs });
  }
  // Local OpenAI-compatible servers (Ollama, vLLM, LM Studio) usually need no key.
  return new OpenAiVisionClient({ model, baseUrl, apiKey, timeoutMs });
}

/** The primary recogniser VISION_* configure, or undefined for `VISION_PROVIDER=none` (every photo goes to review). */
export function recognizerFromConfig(config: Config): Recognizer | undefined {
  if (config.VISION_PROVIDER === 'none') return undefined;
  return new VisionRecognizer(
    client(
      'VISION',
      config.VISION_PROVIDER,
      config.VISION_MODEL,
      config.VISION_BASE_URL,
      config.VISION_API_KEY,
      config.VISION_TIMEOUT_MS,
    ),
  );
}

/**
 * The second-opinion model VERIFIER_* configure, or undefined. Same vendor at the same base URL as the
 * primary (a second model of one account): VISION_API_KEY is used when VERIFIER_API_KEY is unset. A key is
 * never sent to another host than the one it was configured for.
 */
export function verifierFromConfig(config: Config): Verifier | undefined {
  if (config.VERIFIER_PROVIDER === 'none' || config.VISION_PROVIDER === 'none') return undefined;
  const sameEndpoint =
    config.VERIFIER_PROVIDER === config.VISION_PROVIDER &&
    config.VERIFIER_BASE_URL === config.VISION_BASE_URL;
  return new Verifier(
    client(
      'VERIFIER',
      config.VERIFIER_PROVIDER,
      config.VERIFIER_MODEL,
      config.VERIFIER_BASE_URL,
      config.VERIFIER_API_KEY ?? (sameEndpoint ? config.VISION_API_KEY : undefined),
      config.VISION_TIMEOUT_MS,
    ),
  );
}
