import { Redis } from 'ioredis';

export interface RedisLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * How long a rate-limit command may take before the check falls back to local counters, unless configured: Redis
 * next to the service answers in about a millisecond, so this only ever fires on a hung or unreachable server.
 */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 100;

/**
 * The shared Redis connection (rate-limit counters). `rediss://` for TLS (Azure Managed Redis accepts nothing else);
 * the password, when there is one, comes from the secrets mount rather than the URL. Commands fail fast while
 * disconnected so callers fall back instead of queueing behind an outage, and time out while connected to a server
 * that does not answer (a stopped process or a black-holed network keeps the connection open).
 */
export function createRedisClient(
  url: string,
  options: {
    username?: string;
    password?: string;
    lazyConnect?: boolean;
    commandTimeoutMs?: number;
    logger: RedisLogger;
  },
): Redis {
  const commandTimeout = options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
  const client = new Redis(url, {
    username: options.username,
    password: options.password,
    lazyConnect: options.lazyConnect ?? false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout,
    // A connection with commands outstanding that receives nothing for this long is dead: drop it and reconnect, so
    // mcp_rate_limit_redis_up shows the outage and only a reconnection's own ready check (INFO) proves Redis back.
    socketTimeout: Math.max(2_000, 2 * commandTimeout),
    // A command its caller has given up on (it fell back to local counters) must not be counted a second time later.
    autoResendUnfulfilledCommands: false,
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
