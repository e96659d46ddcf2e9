import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV, PATHS, SECRET_NAMES } from '../../src/contract.js';
import { hasRedisServer, type RedisServerProcess, startRedisServer } from '../faults/redis-server-process.js';
import { freePort } from '../helpers/free-port.js';
import { rawRequest } from '../helpers/raw-http.js';
import { type ServiceUnderTest, startServiceUnderTest } from '../helpers/service-under-test.js';
import { parsePrometheusText, sampleValue } from '../observability/prometheus-text.js';

if (!hasRedisServer) console.info('Redis password rotation test not run: redis-server is not on PATH');

/** Writes a secret file as the CSI driver rotates one: a new file swapped in whole. */
function writeSecret(dir: string, name: string, value: string) {
  writeFileSync(join(dir, `.${name}.next`), `${value}\n`);
  renameSync(join(dir, `.${name}.next`), join(dir, name));
}

/**
 * The production wiring with password auth: the Postgres and Redis passwords come from files under SECRETS_DIR
 * through the secrets provider, and a rotated file is used by the next new connection without a restart. Redis is
 * a private redis-server with requirepass (the shared one has no password); the shared Postgres trusts every
 * login, so the database side is checked on the pool's password function, which pg calls per new connection.
 */
describe.runIf(hasRedisServer)('service passwords from the secrets mount', () => {
  let redis: RedisServerProcess;
  let admin: Redis;
  let secretsDir: string;
  let target: ServiceUnderTest;
  const redisUp = async () => {
    const scrape = await rawRequest(`${target.service.metricsAddress}${PATHS.metrics}`);
    return sampleValue(parsePrometheusText(scrape.body), 'mcp_rate_limit_redis_up');
  };

  beforeAll(async () => {
    redis = await startRedisServer(await freePort());
    admin = new Redis(redis.url);
    await admin.config('SET', 'requirepass', 'redis-key-1');
    secretsDir = mkdtempSync(join(tmpdir(), 'mcp-secrets-'));
    writeSecret(secretsDir, SECRET_NAMES.redisPassword, 'redis-key-1');
    writeSecret(secretsDir, SECRET_NAMES.databasePassword, 'pg-password-1');
    target = await startServiceUnderTest({
      backend: 'postgres',
      ownPool: true,
      env: { [ENV.redisUrl]: redis.url, [ENV.secretsDir]: secretsDir },
    });
  });
  afterAll(async () => {
    await target?.close();
    admin?.disconnect();
    await redis?.kill();
  });

  it('connects to a password-protected Redis with the password from the mount', async () => {
    await vi.waitFor(async () => expect(await redisUp()).toBe(1), { timeout: 5_000, interval: 50 });
  });

  it('reconnects to Redis with the rotated password, without a restart', async () => {
    await admin.config('SET', 'requirepass', 'redis-key-2');
    writeSecret(secretsDir, SECRET_NAMES.redisPassword, 'redis-key-2');
    // The live connection stays logged in (as with Azure's two keys); a dropped one must log in with the new key.
    expect(Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'))).toBeGreaterThanOrEqual(1);
    await vi.waitFor(async () => expect(await redisUp()).toBe(0), { timeout: 2_000, interval: 10 });
    await vi.waitFor(async () => expect(await redisUp()).toBe(1), { timeout: 5_000, interval: 50 });
  });

  it("gives each new database connection the mount's current password", async () => {
    const password = target.service.pool.options.password;
    expect(typeof password).toBe('function');
    const current = password as () => Promise<string>;
    expect(await current()).toBe('pg-password-1');
    writeSecret(secretsDir, SECRET_NAMES.databasePassword, 'pg-password-2');
    expect(await current()).toBe('pg-password-2');
    // And pg takes the function as its password (the shared server trusts the login, whatever the password).
    const client = await target.service.pool.connect();
    try {
      expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      client.release();
    }
  });
});
