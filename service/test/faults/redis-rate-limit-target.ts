import { Redis } from 'ioredis';
import { ENV, PATHS } from '../../src/contract.js';
import { postMcp, rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { parsePrometheusText, sampleValue } from '../observability/prometheus-text.js';
import type { RedisServerProcess } from './redis-server-process.js';

/** "Must not hang": the functional bound, far above the stated ≤ 250 ms so a busy CI machine passes. */
export const ANSWER_BOUND_MS = 2_000;

export interface CallOutcome {
  status: number;
  ms: number;
}

/** What the Redis fault tests observe: the service's answers, its metrics and logs, and the counters in Redis. */
export interface RedisFaultTarget {
  service: ServiceUnderTest;
  /** Warn-level log lines of the service, parsed. */
  logs: Array<{ msg?: string; err?: { message?: string } }>;
  /** One authenticated tools/list per caller, all at once; each answer with how long it took. */
  callConcurrently(callers: number, tenant?: string): Promise<CallOutcome[]>;
  metrics(): Promise<{
    breakerOpen?: number;
    breakerOpenings?: number;
    redisUp?: number;
    fallbacks(scope: 'user' | 'tenant'): number;
  }>;
  /** The shared per-tenant counter in Redis (a command of the test's own client; Redis must be running). */
  tenantCount(tenant: string): Promise<number>;
  close(): Promise<void>;
}

const toolsList = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });

/** A service on the production wiring whose rate limits count in `redis`, with budgets no test call exhausts. */
export async function startRedisFaultTarget(redis: RedisServerProcess): Promise<RedisFaultTarget> {
  const logs: RedisFaultTarget['logs'] = [];
  const service = await startServiceUnderTest({
    backend: 'embedded',
    env: {
      [ENV.redisUrl]: redis.url,
      [ENV.rateLimitUser]: '100000/60',
      [ENV.rateLimitTenant]: '100000/60',
      // The production 100 ms, on a test machine whose two cores run other test files, timed out a command Redis
      // had answered (a fallback the tests did not cause). 400 ms keeps every answer far inside ANSWER_BOUND_MS.
      [ENV.redisCommandTimeoutMs]: '400',
      [ENV.logLevel]: 'warn',
    },
    logDestination: { write: (line) => logs.push(JSON.parse(line)) },
  });
  // The test's own view of Redis; it never reconnects on its own (each read is made while Redis runs).
  const observer = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const tokens = new Map<string, string>();
  const tokenFor = async (sub: string, tenant: string) => {
    const key = `${tenant}/${sub}`;
    const token = tokens.get(key) ?? (await service.tokenFor({ sub, tenant }));
    tokens.set(key, token);
    return token;
  };

  const callOnce = async (sub: string, tenant: string): Promise<CallOutcome> => {
    const token = await tokenFor(sub, tenant);
    const started = performance.now();
    const response = await postMcp(service.mcpUrl, token, toolsList);
    return { status: response.status, ms: performance.now() - started };
  };

  return {
    service,
    logs,
    callConcurrently: (callers, tenant = 'acme') =>
      Promise.all(Array.from({ length: callers }, (_, i) => callOnce(`caller-${i}`, tenant))),
    async metrics() {
      const scrape = await rawRequest(`${service.service.metricsAddress}${PATHS.metrics}`);
      const samples = parsePrometheusText(scrape.body);
      return {
        breakerOpen: sampleValue(samples, 'mcp_rate_limit_redis_breaker_open'),
        breakerOpenings: sampleValue(samples, 'mcp_rate_limit_redis_breaker_openings_total'),
        redisUp: sampleValue(samples, 'mcp_rate_limit_redis_up'),
        fallbacks: (scope) => sampleValue(samples, 'mcp_rate_limit_fallback_total', { scope }) ?? 0,
      };
    },
    async tenantCount(tenant) {
      if (observer.status === 'wait' || observer.status === 'end') await observer.connect();
      return Number((await observer.get(`mcp:rl:tenant:${JSON.stringify([tenant])}`)) ?? 0);
    },
    async close() {
      observer.disconnect();
      await service.close();
    },
  };
}
