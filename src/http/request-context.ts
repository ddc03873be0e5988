import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import { redactUrl } from '../shared/logger.ts';
import type { AppDeps, AppEnv } from './context.ts';

const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Request id (honoured from X-Request-Id when sane), a child logger carrying it, one access-log line. */
export function requestContext(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && validRequestId.test(incoming) ? incoming : randomUUID();
    const logger = deps.logger.child({ req_id: requestId });
    c.set('deps', deps);
    c.set('requestId', requestId);
    c.set('logger', logger);
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    const url = new URL(c.req.url);
    logger.info(
      {
        method: c.req.method,
        url: redactUrl(url.pathname + url.search),
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'request',
    );
  });
}
