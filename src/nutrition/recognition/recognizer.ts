/**
 * A meal-photo recogniser: one vision model behind one vendor API. Adapters (openai.ts, anthropic.ts)
 * never throw for anything the vendor or the network does; every outcome is a value, so the job decides
 * what a failure means for the log (retry, failed, review) in one place.
 */

export interface MealImage {
  bytes: Buffer;
  /** image/jpeg, image/png, … as stored with the log. */
  contentType: string;
}

/** One dish the model saw, as validated from its strict JSON (schema.ts). */
export interface RecognizedDish {
  dish_name: string;
  /** Estimated weight of the visible portion. */
  grams: number;
  /** Relative uncertainty of `grams` (0.2 = ±20 %). */
  uncertainty: number;
  /** How sure the model is that this dish is what it says (0–1). */
  confidence: number;
}

export interface Recognition {
  dishes: RecognizedDish[];
  /** The model that answered, as the vendor names it (recorded as `vision_model`). */
  model: string;
}

export type RecognitionErrorCode =
  | 'rate_limited'
  | 'timeout'
  | 'vendor_error'
  | 'malformed_output'
  | 'unauthorized';

export interface RecognitionError {
  code: RecognitionErrorCode;
  /** Whether asking again later may succeed (429, timeouts, 5xx, network) or not (401, a refused request). */
  retryable: boolean;
  /** What happened, for the log's `failure.message`: never the API key, never the image. */
  detail: string;
  /** A 429's Retry-After, in seconds, when the vendor sent one. */
  retryAfterSeconds?: number;
}

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = (error: RecognitionError): { ok: false; error: RecognitionError } => ({
  ok: false,
  error,
});

/** What a vision model is asked: the prompt pair and the image; the answer is text (JSON expected). */
export interface VisionRequest {
  system: string;
  prompt: string;
  image: MealImage;
}

/** The raw exchange with one model, shared by the recogniser and the verifier. */
export interface VisionClient {
  readonly provider: 'openai' | 'anthropic';
  /** The configured model name. */
  readonly model: string;
  /** Image types the vendor API takes (neither takes HEIC). */
  readonly acceptedTypes: ReadonlySet<string>;
  /** The model's text answer and the model name the vendor reported. */
  complete(request: VisionRequest): Promise<Result<{ text: string; model: string }, RecognitionError>>;
}

export interface Recognizer {
  readonly model: string;
  readonly acceptedTypes: ReadonlySet<string>;
  recognize(image: MealImage): Promise<Result<Recognition, RecognitionError>>;
}
