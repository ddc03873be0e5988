/**
 * The sync-run state machine (DESIGN.md §4) as data. Every stage change goes through `canTransition`;
 * the terminal stage decides the terminal status.
 */
export const syncStages = [
  'queued',
  'started',
  'fetching',
  'processing',
  'saving',
  'completed',
  'failed',
  'cancelled',
] as const;
export type SyncStage = (typeof syncStages)[number];

export const syncStatuses = ['in_progress', 'success', 'partial', 'failed', 'cancelled'] as const;
export type SyncStatus = (typeof syncStatuses)[number];

export const syncSources = ['pull', 'webhook', 'sdk', 'backfill', 'xml_import', 'export'] as const;
export type SyncSource = (typeof syncSources)[number];

const ending: SyncStage[] = ['failed', 'cancelled'];

/** Allowed next stages. A stage may repeat itself to report progress. */
export const stageTransitions: Record<SyncStage, readonly SyncStage[]> = {
  queued: ['started', ...ending],
  started: ['fetching', 'processing', ...ending],
  fetching: ['fetching', 'processing', 'saving', ...ending],
  processing: ['processing', 'saving', 'fetching', ...ending],
  saving: ['saving', 'processing', 'fetching', 'completed', ...ending],
  completed: [],
  failed: [],
  cancelled: [],
};

export type TerminalStage = 'completed' | 'failed' | 'cancelled';

export function isTerminal(stage: SyncStage): stage is TerminalStage {
  return stageTransitions[stage].length === 0;
}

export function canTransition(from: SyncStage, to: SyncStage): boolean {
  return stageTransitions[from].includes(to);
}

/** Stages from which `to` may be entered: used to make a transition a single conditional UPDATE. */
export function predecessorsOf(to: SyncStage): SyncStage[] {
  return syncStages.filter((from) => canTransition(from, to));
}

export function statusForTerminal(
  stage: TerminalStage,
  hadRejects: boolean,
): Exclude<SyncStatus, 'in_progress'> {
  switch (stage) {
    case 'completed':
      return hadRejects ? 'partial' : 'success';
    case 'failed':
      return 'failed';
    case 'cancelled':
      return 'cancelled';
  }
}
