import type { RecognizedDish } from './recognizer.ts';

/**
 * The spec's acceptance rules ("How recognition works", "Human review"), pure so they are tested alone:
 * - confidence ≥ 0.80 → accepted;
 * - 0.60 ≤ confidence < 0.80 → the verifier decides (agrees → accepted, disagrees → review);
 * - without a verifier the bar is 0.85: below it → review;
 * - confidence < 0.60 → review (the verifier is not asked: it cannot rescue such a reading).
 * Two more reasons for a human look that the confidence cannot show: the model saw no dish at all, or a
 * dish has no match in the food database (its macros would be missing from the total).
 */
export const ACCEPT_THRESHOLD = 0.8;
export const ACCEPT_THRESHOLD_WITHOUT_VERIFIER = 0.85;
export const REVIEW_BELOW = 0.6;

/**
 * A log's confidence: the dishes' confidences weighted by their grams, so a large uncertain dish weighs
 * more than a spoon of chutney. 0 for an empty list.
 */
export function logConfidence(dishes: readonly Pick<RecognizedDish, 'grams' | 'confidence'>[]): number {
  if (dishes.length === 0) return 0;
  const grams = dishes.reduce((sum, d) => sum + d.grams, 0);
  const weighted =
    grams > 0
      ? dishes.reduce((sum, d) => sum + d.confidence * d.grams, 0) / grams
      : dishes.reduce((sum, d) => sum + d.confidence, 0) / dishes.length;
  return Math.round(weighted * 1000) / 1000;
}

/** Whether the verifier is to be asked about a reading of this confidence. */
export function needsVerifier(confidence: number, hasVerifier: boolean): boolean {
  return hasVerifier && confidence >= REVIEW_BELOW && confidence < ACCEPT_THRESHOLD;
}

/**
 * What the verifier said: `agreed`/`disagreed`, `not_asked` (confidence outside its band),
 * `not_configured`, or `unavailable` (it failed for good: a human decides instead).
 */
export type VerifierOutcome = 'agreed' | 'disagreed' | 'not_asked' | 'not_configured' | 'unavailable';

export type ReviewReason =
  | 'no_dishes'
  | 'unmatched_food'
  | 'low_confidence'
  | 'verifier_disagreed'
  | 'verifier_unavailable'
  | 'below_threshold_without_verifier';

export type Decision = { accept: true } | { accept: false; reason: ReviewReason };

export function decide(input: {
  confidence: number;
  dishCount: number;
  /** Dishes without a food-database match. */
  unmatched: number;
  verifier: VerifierOutcome;
}): Decision {
  if (input.dishCount === 0) return { accept: false, reason: 'no_dishes' };
  if (input.confidence < REVIEW_BELOW) return { accept: false, reason: 'low_confidence' };
  if (input.unmatched > 0) return { accept: false, reason: 'unmatched_food' };
  if (input.verifier === 'not_configured')
    return input.confidence >= ACCEPT_THRESHOLD_WITHOUT_VERIFIER
      ? { accept: true }
      : { accept: false, reason: 'below_threshold_without_verifier' };
  if (input.confidence >= ACCEPT_THRESHOLD) return { accept: true };
  if (input.verifier === 'agreed') return { accept: true };
  if (input.verifier === 'not_asked') return { accept: false, reason: 'low_confidence' };
  if (input.verifier === 'unavailable') return { accept: false, reason: 'verifier_unavailable' };
  return { accept: false, reason: 'verifier_disagreed' };
}
