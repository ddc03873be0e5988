import { createHash, randomUUID } from 'node:crypto';
import type { AppDeps } from '../../http/context.ts';
import { PROVIDER_WEBHOOK_QUEUE } from '../../sync/job-queue.ts';
import { candidateApps } from '../apps/provider-apps.repo.ts';
import { findProviderModule } from '../registry.ts';
import type { InboundRequest, ProviderAppCredentials, ProviderModule } from '../types.ts';
import { findInboundByKey, insertInbound } from './inbound.repo.ts';
import { subscriptionWebhookSecrets } from './subscriptions.repo.ts';
import { identifyApp, parseContext, type VerificationCandidate, verifySignature } from './verify.ts';

/** What the route sends back to the vendor. */
export interface WebhookReply {
  status: number;
  body?: unknown;
  contentType?: string;
}

const reply = (status: number, body: unknown): WebhookReply => ({ status, body });

/**
 * One vendor request to `/api/v1/webhooks/{provider}`, in the order the vendors need:
 * 1. the vendor's handshake (Oura's and Strava's GET challenge, Withings' HEAD, Polar's unsigned PING)
 *    is answered by its module, with every app's verify token to check;
 * 2. the signature (manifest `webhook.verification`) is checked against every app of the vendor; the app
 *    that verifies says which developer the delivery is for. Wrong, missing or stale → 401, nothing kept;
 * 3. the body is parsed (pure, no I/O) so a malformed one is answered 400 at once: the vendor's retries
 *    of it then get the same 400 from the stored row, and the row says why. It is stored (status
 *    `failed`) for the operator to see; nothing is processed;
 * 4. the request is stored in `inbound_webhooks` and its job queued in the same transaction, and only
 *    then acknowledged: a crash after the 2xx loses nothing, a crash before it gets a vendor retry. A
 *    retry of a stored delivery (same dedupe key) gets 200 and no second job.
 * Processing (pulls, revocations) happens in the job (process.ts), after the acknowledgement: vendors
 * give 2 to 10 seconds.
 */
export async function receiveWebhook(
  deps: AppDeps,
  slug: string,
  request: InboundRequest,
): Promise<WebhookReply> {
  const module = findProviderModule(slug);
  const manifest = module?.manifest.webhook;
  if (module?.webhook === undefined || manifest === undefined)
    return reply(404, { detail: `No provider "${slug}" takes webhooks here` });
  const apps = await candidateApps(deps, slug);

  if (manifest.handshake === 'module' && module.webhook.handshake !== undefined) {
    const tokens = apps.map((a) => a.webhookSecret).filter((t): t is string => t !== undefined && t !== '');
    const answer = module.webhook.handshake(request, tokens);
    if (answer !== undefined) {
      deps.logger.info({ provider: slug, status: answer.status }, 'vendor webhook handshake');
      return answer;
    }
  }
  if (request.method !== 'POST')
    return reply(405, { detail: `${module.manifest.name} webhooks are delivered with POST` });

  let developerId: string | null = null;
  const { verification } = manifest;
  if (verification.scheme === 'hmac_sha256') {
    const candidates = await verificationCandidates(deps, module, apps);
    const outcome = verifySignature(verification, request, candidates, Date.now());
    if (!outcome.ok) {
      deps.logger.warn(
        { provider: slug, code: outcome.code, detail: outcome.detail },
        'vendor webhook refused',
      );
      return reply(401, { detail: outcome.detail, code: outcome.code });
    }
    developerId = outcome.app.developerId;
  } else if (verification.scheme !== 'none') {
    const outcome = identifyApp(verification, request, apps);
    if (!outcome.ok) {
      deps.logger.warn({ provider: slug, detail: outcome.detail }, 'vendor webhook refused');
      return reply(401, { detail: outcome.detail, code: outcome.code });
    }
    developerId = outcome.app.developerId;
  }

  const dedupeKey =
    module.webhook.dedupeKey?.(request) ?? createHash('sha256').update(request.body).digest('hex');
  const parsed = module.webhook.parse(request, parseContext(deps, module));
  const id = randomUUID();
  let stored: boolean;
  if (!parsed.ok) {
    stored = await insertInbound(deps.db, {
      id,
      provider: slug,
      dedupeKey,
      request,
      developerId,
      status: 'failed',
      detail: parsed.error,
    });
  } else {
    stored = await deps.db.transaction().execute(async (trx) => {
      const inserted = await insertInbound(trx, { id, provider: slug, dedupeKey, request, developerId });
      if (inserted) await deps.queue.enqueueProviderWebhook({ inboundId: id }, { db: trx });
      return inserted;
    });
    if (stored) deps.queue.wake(PROVIDER_WEBHOOK_QUEUE);
  }
  if (stored)
    return parsed.ok
      ? reply(200, { status: 'accepted', id })
      : reply(400, {
          detail: `Malformed ${module.manifest.name} notification: ${parsed.error}`,
          code: 'malformed_notification',
        });

  // A retry of a delivery already stored: answered as the first one was, and never queued twice.
  const first = await findInboundByKey(deps.db, slug, dedupeKey);
  if (first?.status === 'failed' && !parsed.ok)
    return reply(400, {
      detail: `Malformed ${module.manifest.name} notification: ${parsed.error}`,
      code: 'malformed_notification',
    });
  return reply(200, { status: 'duplicate', id: first?.id ?? null });
}

/** Each app's keys for the manifest's scheme; for `webhook_secret`, also secrets its subscriptions handed out. */
async function verificationCandidates(
  deps: AppDeps,
  module: ProviderModule,
  apps: ProviderAppCredentials[],
): Promise<VerificationCandidate[]> {
  const verification = module.manifest.webhook?.verification;
  if (verification?.scheme !== 'hmac_sha256') return [];
  if (verification.key === 'client_secret')
    return apps.map((app) => ({ app, keys: app.clientSecret === undefined ? [] : [app.clientSecret] }));
  const handedOut = await subscriptionWebhookSecrets(deps, module.manifest.slug);
  return apps.map((app) => ({
    app,
    keys: [
      ...(app.webhookSecret === undefined ? [] : [app.webhookSecret]),
      ...handedOut.filter((s) => s.developerId === app.developerId).map((s) => s.secret),
    ],
  }));
}
