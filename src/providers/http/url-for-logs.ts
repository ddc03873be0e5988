/**
 * A vendor-handed URL as shown in logs, run events and webhook outcomes: its query may carry a pull
 * token (Garmin's ping `&token=`), so only the origin and path are kept.
 *
 * @example urlForLogs('https://apis.garmin.com/wellness-api/rest/dailies?token=abc') // 'https://apis.garmin.com/wellness-api/rest/dailies'
 */
export function urlForLogs(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}
