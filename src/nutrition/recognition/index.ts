/** Meal-photo recognition (issue 19): pluggable vision models, the acceptance rules, and the job. */
export { ACCEPT_THRESHOLD, ACCEPT_THRESHOLD_WITHOUT_VERIFIER, decide, REVIEW_BELOW } from './decide.ts';
export { RecognitionRetry, recognizeMealLog } from './job.ts';
export {
  RecognitionConfigError,
  recognizerFromConfig,
  VisionRecognizer,
  verifierFromConfig,
} from './models.ts';
export type { MealImage, Recognition, RecognitionError, RecognizedDish, Recognizer } from './recognizer.ts';
export { Verifier } from './verifier.ts';
