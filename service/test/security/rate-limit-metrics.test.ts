import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createServiceMetrics, type ServiceMetrics } from '../../src/observability/service-metrics.js';
import { createRequestRateLimiter } from '../../src/security/rate-limiter.js';
import { createRedisClient, waitForRedis } from '../../src/security/redis-client.js';
import { freePort } from '../helpers/free-port.js';
import { parsePrometheusText, sampleValue } from '../observability/prometheus-text.js';

const quiet = { warn: () => {} };
const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

/** One scrape of the registry, read back through the text format Prometheus sees. */
async function scrape(metrics: ServiceMetrics) {
  const samples = parsePrometheusText(await metrics.registry.metrics());
  return {
    decisions: (scope: string, outcome: string) =>
      sampleValue(samples, 'mcp_rate_limit_decisions_total', { scope, outcome }) ?? 0,
    fallbacks: (scope: string) => sampleValue(samples, 'mcp_rate_limit_fallback_total', { scope }) ?? 0,
    redisUp: () => sampleValue(samples, 'mcp_rate_limit_redis_up'),
    breakerOpen: () => sampleValue(samples, 'mcp_rate_limit_redis_breaker_open'),
    breakerOpenings: () => sampleValue(samples, 'mcp_rate_limit_redis_breaker_openings_total'),
  };
}

const tiers = (perUser: number, perTenant: number) => ({
  perUser: { points: perUser, durationSeconds: 60 },
  perTenant: { points: perTenant, durationSeconds: 60 },
});

async function consumeTimes(limiter: ReturnType<typeof createRequestRateLimiter>, times: number, subject = 'alice') {
  const allowed: boolean[] = [];
  for (let i = 0; i < times; i++) allowed.push((await limiter.consume({ tenantId: 'acme', subject })).allowed);
  return allowed;
}

describe('rate-limit metrics (local counters, no Redis configured)', () => {
  it('counts each tier checked, and the refusal once a user has spent its budget', async () => {
    const metrics = createServiceMetrics();
    const limiter = createRequestRateLimiter({ ...tiers(2, 100), metrics });
    expect(await consumeTimes(limiter, 3)).toEqual([true, true, false]);

    const after = await scrape(metrics);
    expect(after.decisions('user', 'allowed')).toBe(2);
    expect(after.decisions('user', 'refused')).toBe(1);
    // A request the user tier refused never reaches the tenant tier.
    expect(after.decisions('tenant', 'allowed')).toBe(2);
    expect(after.decisions('tenant', 'refused')).toBe(0);
    // No Redis configured is not a fallback, and the Redis gauge has no sample rather than a misleading 0.
    expect(after.fallbacks('user')).toBe(0);
    expect(after.redisUp()).toBeUndefined();
    expect(after.breakerOpen()).toBeUndefined();
    expect(after.breakerOpenings()).toBe(0);
  });

  it('counts a tenant-wide refusal under the tenant scope', async () => {
    const metrics = createServiceMetrics();
    const limiter = createRequestRateLimiter({ ...tiers(100, 2), metrics });
    const allowed = [];
    for (const subject of ['a', 'b', 'c']) allowed.push(...(await consumeTimes(limiter, 1, subject)));
    expect(allowed).toEqual([true, true, false]);
    const after = await scrape(metrics);
    expect(after.decisions('tenant', 'refused')).toBe(1);
    expect(after.decisions('user', 'refused')).toBe(0);
  });
});

describe('rate-limit metrics with Redis unreachable', () => {
  it('counts the decisions taken on local counters and reports Redis down', async () => {
    // A port nothing listens on (never the machine's shared Redis).
    const redis = createRedisClient(`redis://127.0.0.1:${await freePort()}`, { logger: quiet });
    clients.push(redis);
    const metrics = createServiceMetrics();
    metrics.watchRateLimitRedis(redis);
    const limiter = createRequestRateLimiter({ ...tiers(2, 100), redis, metrics });

    expect(await consumeTimes(limiter, 3)).toEqual([true, true, false]);
    const after = await scrape(metrics);
    expect(after.redisUp()).toBe(0);
    expect(after.fallbacks('user')).toBe(3);
    expect(after.fallbacks('tenant')).toBe(2);
    expect(after.decisions('user', 'refused')).toBe(1);
    // Five checks failed at once (not connected): the third opened the circuit, the rest did not ask Redis.
    expect(after.breakerOpen()).toBe(1);
    expect(after.breakerOpenings()).toBe(1);
  });
});

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedisServer) console.info('rate-limit Redis outage test not run: redis-server is not on PATH');

/** A throw-away redis-server of our own on a free port: stopping it must not disturb anything else. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  return child;
}

async function stopRedisServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

describe.runIf(hasRedisServer)('rate-limit metrics through a Redis outage', () => {
  const servers: ChildProcess[] = [];
  afterAll(async () => {
    for (const server of servers) await stopRedisServer(server);
  });

  it('reports Redis down and counts local decisions while it is, and stops once it is back', async () => {
    const port = await freePort();
    servers.push(await startRedisServer(port));
    const redis = createRedisClient(`redis://127.0.0.1:${port}`, { logger: quiet });
    clients.push(redis);
    expect(await waitForRedis(redis, 5_000)).toBe(true);
    const metrics = createServiceMetrics();
    metrics.watchRateLimitRedis(redis);
    const limiter = createRequestRateLimiter({ ...tiers(100, 1000), redis, metrics, keyPrefix: `rl-test:${port}` });

    await consumeTimes(limiter, 2);
    let now = await scrape(metrics);
    expect(now.redisUp()).toBe(1);
    expect(now.fallbacks('user')).toBe(0);

    // The outage: the server dies; the client notices the closed connection and starts reconnecting.
    const [server] = servers.splice(0, 1);
    if (server) await stopRedisServer(server);
    await vi.waitFor(async () => expect((await scrape(metrics)).redisUp()).toBe(0), { timeout: 5_000 });
    expect(await consumeTimes(limiter, 3)).toEqual([true, true, true]);
    now = await scrape(metrics);
    expect(now.fallbacks('user')).toBe(3);
    expect(now.fallbacks('tenant')).toBe(3);

    // Recovery: the same port again; the client reconnects on its own back-off and decisions go back to Redis.
    servers.push(await startRedisServer(port));
    await vi.waitFor(async () => expect((await scrape(metrics)).redisUp()).toBe(1), { timeout: 10_000, interval: 100 });
    await consumeTimes(limiter, 2);
    now = await scrape(metrics);
    expect(now.fallbacks('user')).toBe(3);
    expect(now.decisions('user', 'allowed')).toBe(7);
  });
});
