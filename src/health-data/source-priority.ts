import { z } from '@hono/zod-openapi';

/**
 * Source priority: when two sources record the same cumulative metric over the same hour (an iPhone and
 * an Apple Watch both counting steps; Garmin and Oura both counting calories), daily totals take that
 * hour from the best-ranked source only, so nothing is counted twice, while hours only one source saw
 * still count. Ranking, first match wins:
 *   1. the user's own rules (PUT /users/{id}/source-priority), in order;
 *   2. the developer's rules (PUT /developer/source-priority), in order;
 *   3. the default by device type: watch, ring, band, chest strap, scale, phone, anything else;
 *   then the older data source.
 */
export const SourceRule = z
  .strictObject({
    provider: z.string().min(1).max(100).optional(),
    device_type: z.string().min(1).max(100).optional(),
    device_name: z.string().min(1).max(200).optional(),
    device_model: z.string().min(1).max(200).optional(),
    app_name: z.string().min(1).max(200).optional(),
  })
  .refine((rule) => Object.keys(rule).length > 0, { message: 'A rule needs at least one field to match' })
  .openapi('SourceRule', { description: 'Matches data sources whose fields equal these (case-insensitive)' });
export type SourceRule = z.infer<typeof SourceRule>;

export const SourceRules = z.array(SourceRule).max(50);

export interface RankableSource {
  id: number;
  provider: string;
  device_type: string | null;
  device_name: string | null;
  device_model: string | null;
  app_name: string | null;
}

/** Default order of device kinds; lower is preferred. Sources name their kinds in many spellings. */
const deviceKinds: [RegExp, number, string][] = [
  [/watch/, 1, 'watch'],
  [/ring/, 2, 'ring'],
  [/band|tracker|wrist/, 3, 'band'],
  [/chest|strap|hrm/, 4, 'chest strap'],
  [/scale/, 5, 'scale'],
  [/phone/, 6, 'phone'],
];
/** Providers whose data comes from one kind of device even when they do not say which. */
const providerKinds: Record<string, string> = {
  oura: 'ring',
  whoop: 'band',
  garmin: 'watch',
  polar: 'watch',
  fitbit: 'band',
};

function deviceKind(source: RankableSource): { rank: number; kind: string } {
  const hint = [source.device_type, source.device_name, source.device_model].join(' ').toLowerCase();
  const fromDevice = deviceKinds.find(([pattern]) => pattern.test(hint));
  if (fromDevice) return { rank: fromDevice[1], kind: fromDevice[2] };
  const fromProvider = providerKinds[source.provider];
  const known = deviceKinds.find(([, , kind]) => kind === fromProvider);
  return known ? { rank: known[1], kind: known[2] } : { rank: 7, kind: 'other' };
}

function matches(rule: SourceRule, source: RankableSource): boolean {
  const same = (want: string | undefined, have: string | null) =>
    want === undefined || (have !== null && have.toLowerCase() === want.toLowerCase());
  return (
    same(rule.provider, source.provider) &&
    same(rule.device_type, source.device_type) &&
    same(rule.device_name, source.device_name) &&
    same(rule.device_model, source.device_model) &&
    same(rule.app_name, source.app_name)
  );
}

export interface RankedSource {
  sourceId: number;
  rank: number;
  reason: string;
}

/** Ranks every source (1 = preferred), deterministic for the same rules and sources. */
export function rankSources(
  sources: RankableSource[],
  userRules: SourceRule[],
  developerRules: SourceRule[],
): RankedSource[] {
  const scored = sources.map((source) => {
    const userIndex = userRules.findIndex((rule) => matches(rule, source));
    if (userIndex >= 0) return { source, score: userIndex, reason: `user rule ${userIndex + 1}` };
    const devIndex = developerRules.findIndex((rule) => matches(rule, source));
    if (devIndex >= 0) return { source, score: 1000 + devIndex, reason: `developer rule ${devIndex + 1}` };
    const { rank, kind } = deviceKind(source);
    return { source, score: 2000 + rank, reason: `default: ${kind}` };
  });
  scored.sort((a, b) => a.score - b.score || a.source.id - b.source.id);
  return scored.map((s, i) => ({ sourceId: s.source.id, rank: i + 1, reason: s.reason }));
}

/** Rules as stored (jsonb) → validated rules; anything unreadable counts as no rules. */
export function storedRules(value: unknown): SourceRule[] {
  const parsed = SourceRules.safeParse(value);
  return parsed.success ? parsed.data : [];
}
