import { randomUUID } from 'node:crypto';

/**
 * The webhook half of the Google Health mock: `projects/{project}/subscribers` (list, create, delete)
 * whose create runs Google's two-step endpoint verification — a POST of `{"type":"verification"}` with
 * the subscriber's secret in Authorization (must answer 201) and one without (must answer 401 or 403)
 * — before it answers a done long-running operation; and a notifier that POSTs
 * `{data: {healthUserId, dataType, operation, intervals}}` with the secret in Authorization.
 */

export interface GoogleHealthSubscriber {
  name: string;
  project: string;
  endpointUri: string;
  dataTypes: string[];
  policy: string;
  secret: string;
}

export interface GoogleHealthNotification {
  data: {
    healthUserId: string;
    dataType: string;
    operation: 'UPSERT' | 'DELETE';
    intervals: { physicalTimeInterval: { startTime: string; endTime: string } }[];
  };
}

type Answer = { status: number; body: unknown };

export class GoogleHealthSubscribers {
  readonly subscribers = new Map<string, GoogleHealthSubscriber>();
  readonly counts = { list: 0, create: 0, delete: 0, failedVerification: 0 };
  /** Every verification POST: where, with or without the secret, what it got. */
  readonly verifications: { url: string; withSecret: boolean; status: number }[] = [];
  /** Every notification delivery: where and the status. */
  readonly deliveries: { url: string; status: number }[] = [];

  async handle(
    method: string,
    path: string,
    query: URLSearchParams,
    body: string,
  ): Promise<Answer | undefined> {
    const m = /^\/v4\/projects\/([^/]+)\/subscribers(?:\/([^/]+))?$/.exec(path);
    if (!m) return undefined;
    const project = decodeURIComponent(m[1] as string);
    const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    if (id === undefined && method === 'GET') {
      this.counts.list++;
      const mine = [...this.subscribers.values()].filter((s) => s.project === project);
      return { status: 200, body: mine.length ? { subscribers: mine.map(publicView) } : {} };
    }
    if (id === undefined && method === 'POST') return this.#create(project, query.get('subscriberId'), body);
    const name = `projects/${project}/subscribers/${id}`;
    if (method === 'DELETE' && this.subscribers.delete(name)) {
      this.counts.delete++;
      return { status: 200, body: {} };
    }
    return { status: 404, body: { error: { code: 404, status: 'NOT_FOUND', message: name } } };
  }

  async #create(project: string, subscriberId: string | null, text: string): Promise<Answer> {
    this.counts.create++;
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return invalid('body is not JSON');
    }
    const endpointUri = input.endpointUri;
    const secret = (input.endpointAuthorization as { secret?: unknown } | undefined)?.secret;
    const configs = input.subscriberConfigs as
      | { dataTypes?: string[]; subscriptionCreatePolicy?: string }[]
      | undefined;
    if (typeof endpointUri !== 'string' || typeof secret !== 'string' || secret === '')
      return invalid('endpointUri and endpointAuthorization.secret are required');
    const id = subscriberId ?? `sub-${randomUUID().slice(0, 8)}`;
    if (!/^[a-z][a-z0-9-]{3,35}$/.test(id)) return invalid(`subscriberId ${id} is not 4-36 [a-z0-9-]`);
    const name = `projects/${project}/subscribers/${id}`;
    if (this.subscribers.has(name))
      return { status: 409, body: { error: { code: 409, status: 'ALREADY_EXISTS', message: name } } };

    const withSecret = await this.#verify(endpointUri, secret);
    const without = await this.#verify(endpointUri, undefined);
    if (withSecret !== 201 || (without !== 401 && without !== 403)) {
      this.counts.failedVerification++;
      return {
        status: 400,
        body: {
          error: {
            code: 400,
            status: 'FAILED_PRECONDITION',
            message: `Endpoint verification failed (with secret: ${withSecret}, without: ${without})`,
          },
        },
      };
    }
    const sub: GoogleHealthSubscriber = {
      name,
      project,
      endpointUri,
      dataTypes: (configs ?? []).flatMap((c) => c.dataTypes ?? []),
      policy: configs?.[0]?.subscriptionCreatePolicy ?? 'SUBSCRIPTION_CREATE_POLICY_UNSPECIFIED',
      secret,
    };
    this.subscribers.set(name, sub);
    return {
      status: 200,
      body: { name: `operations/${randomUUID()}`, done: true, response: publicView(sub) },
    };
  }

  async #verify(url: string, secret: string | undefined): Promise<number> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers.authorization = secret;
    let status = 0;
    try {
      status = (await fetch(url, { method: 'POST', headers, body: JSON.stringify({ type: 'verification' }) }))
        .status;
    } catch {
      status = 0;
    }
    this.verifications.push({ url, withSecret: secret !== undefined, status });
    return status;
  }

  /** POSTs one notification to `url`; `authorization: null` omits the header, a string forges it. */
  deliver(url: string, body: unknown, authorization: string | null): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (authorization !== null) headers.authorization = authorization;
    return fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  }

  /**
   * What Google does when a user's data changes: every subscriber configured for the data type gets
   * the notification with its secret. Returns the status per endpoint.
   */
  async notify(
    healthUserId: string,
    dataType: string,
    intervals: { startTime: string; endTime: string }[],
    operation: 'UPSERT' | 'DELETE' = 'UPSERT',
  ): Promise<Record<string, number>> {
    const body: GoogleHealthNotification = {
      data: {
        healthUserId,
        dataType,
        operation,
        intervals: intervals.map((i) => ({ physicalTimeInterval: i })),
      },
    };
    const results: Record<string, number> = {};
    for (const sub of this.subscribers.values()) {
      if (!sub.dataTypes.includes(dataType)) continue;
      let status = 0;
      try {
        status = (await this.deliver(sub.endpointUri, body, sub.secret)).status;
      } catch {
        status = 0;
      }
      this.deliveries.push({ url: sub.endpointUri, status });
      results[sub.endpointUri] = status;
    }
    return results;
  }
}

const invalid = (message: string): Answer => ({
  status: 400,
  body: { error: { code: 400, status: 'INVALID_ARGUMENT', message } },
});

/** What Google shows of a subscriber (the secret is write-only: `secretSet` instead). */
function publicView(s: GoogleHealthSubscriber) {
  return {
    name: s.name,
    endpointUri: s.endpointUri,
    subscriberConfigs: [{ dataTypes: s.dataTypes, subscriptionCreatePolicy: s.policy }],
    endpointAuthorization: { secretSet: true },
  };
}
