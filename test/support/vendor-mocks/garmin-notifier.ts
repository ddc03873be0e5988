/**
 * The mock Garmin's sender: POSTs push and ping envelopes to the configured webhook URL the way Garmin
 * does (API-NOTES §1.2): headers `garmin-client-id`, `user-agent: Garmin Health API`, JSON with charset;
 * anything but a 200 within the reply timeout (Garmin: 30 s) is a failure, retried with growing back-off.
 * Every attempt is recorded so tests can assert what was delivered and how often it was tried.
 */

export interface GarminDelivery {
  /** `push`: summaries in the body; `ping`: callback URLs; `lifecycle`: deregistrations/permissions. */
  kind: 'push' | 'ping' | 'lifecycle';
  body: Record<string, unknown[]>;
  /** HTTP status of each attempt (0: no answer in time or a network error). */
  attempts: number[];
  delivered: boolean;
}

export class GarminNotifier {
  /** Where Garmin POSTs (the developer's endpoint configuration); nothing is sent while undefined. */
  webhookUrl: string | undefined;
  readonly deliveries: GarminDelivery[] = [];
  maxAttempts = 5;
  /** First retry delay; doubles per attempt (Garmin's real back-off is minutes). */
  retryBaseMs = 50;
  replyTimeoutMs = 30_000;
  readonly #pending = new Set<Promise<void>>();

  constructor(readonly clientId: string) {}

  /** Sends an envelope in the background (Garmin answers its own API call first, then notifies). */
  send(kind: GarminDelivery['kind'], body: Record<string, unknown[]>): GarminDelivery {
    const delivery: GarminDelivery = { kind, body, attempts: [], delivered: false };
    this.deliveries.push(delivery);
    const running = this.#deliver(delivery).finally(() => this.#pending.delete(running));
    this.#pending.add(running);
    return delivery;
  }

  /** Resolves once every delivery started so far (and those they start) has succeeded or given up. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  async #deliver(delivery: GarminDelivery): Promise<void> {
    // Let the API call that caused this delivery be answered first.
    await new Promise((r) => setTimeout(r, 5));
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const url = this.webhookUrl;
      if (url === undefined) return;
      let status = 0;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json;charset=UTF-8',
            'garmin-client-id': this.clientId,
            'user-agent': 'Garmin Health API',
          },
          body: JSON.stringify(delivery.body),
          signal: AbortSignal.timeout(this.replyTimeoutMs),
        });
        status = response.status;
        await response.body?.cancel();
      } catch {
        status = 0;
      }
      delivery.attempts.push(status);
      if (status === 200) {
        delivery.delivered = true;
        return;
      }
      if (attempt < this.maxAttempts)
        await new Promise((r) => setTimeout(r, this.retryBaseMs * 2 ** (attempt - 1)));
    }
  }
}
