import type { Redis } from 'ioredis';
import type { RedisLogger } from './redis-client.js';

/** The Entra scope of Azure Managed Redis: its tokens are the password of a Redis user named by the object id. */
export const REDIS_ENTRA_SCOPE = 'https://redis.azure.com/.default';

/** Re-authenticate well within a token's lifetime (about an hour): the token provider renews near expiry. */
export const REDIS_TOKEN_REFRESH_MS = 10 * 60_000;

export interface RedisTokenAuth {
  /** Fetches the current token, re-authenticates the live connection and arms reconnects with it. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Entra authentication for Azure Managed Redis with access keys off: the username is the workload identity's object
 * id and the password an Entra token. Tokens expire, so the live connection is re-authenticated periodically and
 * every reconnect uses the newest token. The client must be created with lazyConnect (it has no token yet).
 */
export function keepRedisTokenFresh(
  client: Redis,
  options: { username: string; token: () => Promise<string>; refreshMs?: number; logger: RedisLogger },
): RedisTokenAuth {
  const refresh = async () => {
    const token = await options.token();
    // ioredis reads these on every (re)connection.
    client.options.username = options.username;
    client.options.password = token;
    if (client.status === 'ready') await client.auth(options.username, token);
    else if (client.status === 'wait') await client.connect();
  };
  const timer = setInterval(() => {
    refresh().catch((error: unknown) =>
      options.logger.warn({ err: { message: (error as Error).message } }, 'redis token refresh failed'),
    );
  }, options.refreshMs ?? REDIS_TOKEN_REFRESH_MS);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
