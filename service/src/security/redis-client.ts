import { Redis } from 'ioredis';

export interface RedisLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * The shared Redis connection (rate-limit counters). `rediss://` for TLS (Azure Managed Redis accepts nothing else);
 * the password, when there is one, comes from the secrets mount rather than the URL. Commands fail fast while
 * disconnected so callers fall back instead of queueing behind an outage.
 */
export function createRedisClient(
  url: string,
  options: { username?: string; password?: string; lazyConnect?: boolean; logger: RedisLogger },
): Redis {
  const client = new Redis(url, {
    username: options.username,
    password: options.password,
    lazyConnect: options.lazyConnect ?? false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Reconnect with a capped back-off, forever: the service keeps running on local counters meanwhile.
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let lastWarning = 0;
  client.on('error', (error: Error) => {
    // ioredis emits an error per failed reconnect; one line every half minute is enough to notice.
    if (Date.now() - lastWarning > 30_000) {
      lastWarning = Date.now();
      options.logger.warn({ err: { message: error.message } }, 'redis unavailable; rate limits use local counters');
    }
  });
  return client;
}

/** Resolves true once the client is ready, false after `timeoutMs` (the caller then starts on local counters). */
export async function waitForRedis(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady);
  });
}
