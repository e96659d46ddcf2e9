import type { FastifyInstance } from 'fastify';
import { PATHS } from '../contract.js';

export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean>;
}

export interface Lifecycle {
  /** Set on SIGTERM: readiness answers 503 so the endpoints drop this pod before it stops. */
  draining: boolean;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Liveness answers whenever the process can serve HTTP and never looks at dependencies: a database
 * outage must not make Kubernetes restart every pod. Readiness does look, and says which check failed
 * (names only, never error details).
 */
export function healthRoutes(app: FastifyInstance, options: { checks: ReadinessCheck[]; lifecycle: Lifecycle }): void {
  app.get(PATHS.health, { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get(PATHS.ready, { logLevel: 'warn' }, async (_request, reply) => {
    if (options.lifecycle.draining) return reply.code(503).send({ status: 'draining' });
    const results = await Promise.all(options.checks.map(async (c) => [c.name, await runCheck(c)] as const));
    const checks = Object.fromEntries(results.map(([name, ok]) => [name, ok ? 'ok' : 'failed']));
    const ready = results.every(([, ok]) => ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
}
