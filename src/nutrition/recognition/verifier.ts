import { z } from 'zod';
import type { MealImage, RecognitionError, RecognizedDish, Result, VisionClient } from './recognizer.ts';
import { fail, ok } from './recognizer.ts';
import { parseModelJson } from './schema.ts';

/**
 * The optional second opinion: a (different) model sees the photo and the primary model's dish list and
 * judges each dish, estimates its weight itself, and names what the list missed. It does not recognise
 * from scratch, so the two answers never need fuzzy matching of dish names: verdicts refer to the
 * primary list by index.
 */

export const verdictSchema = z.object({
  verdicts: z
    .array(
      z.object({
        index: z.number().int().min(0),
        correct: z.boolean(),
        grams: z.number().positive().max(5000),
      }),
    )
    .max(50),
  missing: z.array(z.string().trim().min(1).max(120)).max(50),
  confidence: z.number().min(0).max(1),
});

export type Verdict = z.infer<typeof verdictSchema>;

/** Weight estimates within ±25 % (or the primary's own stated uncertainty, if wider) agree. */
export const GRAMS_TOLERANCE = 0.25;
/** A verifier less sure than this of its own verdict does not count as agreeing. */
export const MIN_VERIFIER_CONFIDENCE = 0.6;

export const VERIFIER_SYSTEM_PROMPT = `You are a nutrition assistant that checks another model's reading of a meal photo.
You get the photo and a numbered list of dishes with estimated grams. For every dish in the list, say whether it is really on the plate and correctly named, and give your own estimate of its grams.
Also list the names of dishes clearly visible in the photo that the list misses.
Answer with JSON only, no prose, no code fences, exactly in this shape:
{"verdicts":[{"index":<number>,"correct":<true|false>,"grams":<number>}],"missing":["<name>"],"confidence":<number>}
- index: the dish's number in the list (starting at 0); one verdict per dish.
- confidence: your confidence between 0 and 1 in your verdicts.`;

export function verifierPrompt(dishes: readonly RecognizedDish[]): string {
  const list = dishes.map((d, index) => ({ index, dish_name: d.dish_name, grams: d.grams }));
  return `Dishes the other model found:\n${JSON.stringify(list)}\nCheck them against the photo and answer with the JSON described.`;
}

/**
 * Agreement: a verdict for every dish, each `correct`, each weight within tolerance, nothing missing, and
 * the verifier itself confident enough. Anything less is a disagreement (the log goes to human review).
 */
export function verdictAgrees(dishes: readonly RecognizedDish[], verdict: Verdict): boolean {
  if (verdict.confidence < MIN_VERIFIER_CONFIDENCE || verdict.missing.length > 0) return false;
  return dishes.every((dish, index) => {
    const v = verdict.verdicts.find((x) => x.index === index);
    if (!v?.correct) return false;
    const tolerance = Math.max(GRAMS_TOLERANCE, dish.uncertainty) * dish.grams;
    return Math.abs(v.grams - dish.grams) <= tolerance;
  });
}

export interface Verification {
  agreed: boolean;
  model: string;
  verdict: Verdict;
}

export class Verifier {
  constructor(readonly client: VisionClient) {}

  get model(): string {
    return this.client.model;
  }

  /** Asks the verifier model; a malformed answer is asked once more (models are not deterministic). */
  async verify(
    image: MealImage,
    dishes: readonly RecognizedDish[],
  ): Promise<Result<Verification, RecognitionError>> {
    let last: RecognitionError | undefined;
    for (let ask = 0; ask < 2; ask++) {
      const answer = await this.client.complete({
        system: VERIFIER_SYSTEM_PROMPT,
        prompt: verifierPrompt(dishes),
        image,
      });
      if (!answer.ok) return answer;
      const parsed = parseModelJson(verdictSchema, answer.value.text);
      if (parsed.ok)
        return ok({
          agreed: verdictAgrees(dishes, parsed.value),
          model: answer.value.model,
          verdict: parsed.value,
        });
      last = parsed.error;
    }
    return fail(last as RecognitionError);
  }
}
