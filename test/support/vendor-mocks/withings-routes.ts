import type { WithingsMock, WithingsUserData } from './withings.ts';

/**
 * The Withings mock's data and notification actions (split from withings.ts to keep files small):
 * each answers `{body}` for `{status: 0, body}`, `{error}` for an in-body error, undefined for an
 * unknown action.
 */

type Json = Record<string, unknown>;
export type Answer = { body: unknown } | { error: Json } | undefined;

/** Items of a list answer, `pageSize` at a time from `offset`, with Withings' `more`/`offset`. */
function page(mock: WithingsMock, items: Json[], form: Record<string, string>, key: string): Json {
  const offset = Number(form.offset ?? 0);
  const slice = items.slice(offset, offset + mock.pageSize);
  const more = offset + mock.pageSize < items.length;
  return { [key]: slice, more, offset: more ? offset + mock.pageSize : 0 };
}

const inDates = (date: unknown, form: Record<string, string>) =>
  typeof date === 'string' && date >= (form.startdateymd ?? '') && date <= (form.enddateymd ?? '9999');
const changedSince = (item: Json, form: Record<string, string>) =>
  Number(item.modified ?? 0) >= Number(form.lastupdate);

export async function routeData(
  mock: WithingsMock,
  path: string,
  form: Record<string, string>,
  data: WithingsUserData,
  userid: string,
): Promise<Answer> {
  const ymdOrSince = (item: Json) =>
    form.lastupdate !== undefined ? changedSince(item, form) : inDates(item.date, form);
  const action = `${path} ${form.action}`;
  switch (action) {
    case '/measure getmeas': {
      const types = form.meastypes?.split(',').map(Number);
      const groups = data.measuregrps
        .filter((g) => form.category === undefined || String(g.category) === form.category)
        .filter((g) =>
          form.lastupdate !== undefined
            ? changedSince(g, form)
            : Number(g.date) >= Number(form.startdate) && Number(g.date) <= Number(form.enddate),
        )
        .map((g) => ({
          ...g,
          measures: (g.measures as Json[]).filter((m) => !types || types.includes(Number(m.type))),
        }));
      return {
        body: {
          updatetime: Math.floor(Date.now() / 1000),
          timezone: data.timezone,
          ...page(mock, groups, form, 'measuregrps'),
        },
      };
    }
    case '/v2/measure getactivity':
      return { body: page(mock, data.activities.filter(ymdOrSince), form, 'activities') };
    case '/v2/measure getworkouts':
      return { body: page(mock, data.workouts.filter(ymdOrSince), form, 'series') };
    case '/v2/measure getintradayactivity': {
      // Only the first 24 h after startdate.
      const from = Number(form.startdate);
      const to = Math.min(Number(form.enddate), from + 86_400);
      const series = Object.fromEntries(
        Object.entries(data.intraday).filter(([k]) => Number(k) >= from && Number(k) < to),
      );
      return { body: { series: Object.keys(series).length === 0 ? [] : series } };
    }
    case '/v2/sleep getsummary':
      return { body: page(mock, data.nights.map((n) => n.summary).filter(ymdOrSince), form, 'series') };
    case '/v2/sleep get': {
      const from = Number(form.startdate);
      const to = Math.min(Number(form.enddate), from + 86_400);
      const series = data.nights
        .flatMap((n) => n.segments)
        .filter((s) => Number(s.startdate) < to && Number(s.enddate) > from);
      return { body: { series } };
    }
    case '/notify subscribe': {
      const callback = form.callbackurl ?? '';
      mock.counts.headProbes++;
      // Withings checks the callback with a HEAD first and registers it only on a 2xx.
      const probe = await fetch(callback, { method: 'HEAD' }).catch(() => undefined);
      if (probe === undefined || probe.status < 200 || probe.status > 299)
        return {
          error: {
            status: 2555,
            error: `Callback ${callback} answered ${probe?.status ?? 'nothing'} to HEAD`,
          },
        };
      mock.subscriptions.set(`${userid}:${form.appli}`, callback);
      return { body: {} };
    }
    case '/notify revoke':
      mock.subscriptions.delete(`${userid}:${form.appli}`);
      return { body: {} };
    default:
      return undefined;
  }
}
