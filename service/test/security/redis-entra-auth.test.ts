import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { createRedisClient, waitForRedis } from '../../src/security/redis-client.js';
import { keepRedisTokenFresh } from '../../src/security/redis-entra-auth.js';

const redisUrl = process.env[ENV.redisUrl];
if (!redisUrl)
  console.info(`redis token auth test not run: ${ENV.redisUrl} is not set (it needs a real Redis with ACLs)`);

/**
 * Azure Managed Redis authenticates Entra principals as Redis users whose password is a token. The same happens here
 * with a real Redis ACL user whose password we rotate, as token expiry does.
 */
describe.runIf(redisUrl)('Redis authentication with expiring tokens', () => {
  const admin = new Redis(redisUrl ?? '');
  const username = `mcp-test-${randomBytes(4).toString('hex')}`;
  let current = `token-${randomBytes(8).toString('hex')}`;
  const quiet = { warn: () => {} };

  beforeAll(async () => {
    await admin.call('ACL', 'SETUSER', username, 'on', `>${current}`, '~*', '+@all');
  });
  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', username);
    admin.disconnect();
  });

  it('connects as the principal, re-authenticates with the new token, and reconnects with it', async () => {
    const client = createRedisClient(redisUrl ?? '', { username, lazyConnect: true, logger: quiet });
    const auth = keepRedisTokenFresh(client, { username, token: async () => current, logger: quiet });
    try {
      await auth.refresh();
      expect(await waitForRedis(client, 5_000)).toBe(true);
      expect(await client.call('ACL', 'WHOAMI')).toBe(username);

      // The token rotates: the old one stops working on the server.
      const previous = current;
      current = `token-${randomBytes(8).toString('hex')}`;
      await admin.call('ACL', 'SETUSER', username, `<${previous}`, `>${current}`);
      await auth.refresh();
      expect(await client.call('ACL', 'WHOAMI')).toBe(username);

      // A reconnect (network blip, failover) must present the new token, not the one it connected with.
      const reconnected = new Promise((resolve) => client.once('ready', resolve));
      client.disconnect(true);
      await reconnected;
      expect(await client.call('ACL', 'WHOAMI')).toBe(username);
    } finally {
      auth.stop();
      client.disconnect();
    }
  });
});
