import type { Redis } from 'ioredis';

export interface RedisPasswordLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * Redis password auth with a password that may rotate: ioredis sends `options.password` on every (re)connection,
 * so it is set from the secret before the first connection and again whenever a reconnect is scheduled (the
 * 'reconnecting' event fires a back-off delay ahead of the attempt). The live connection stays authenticated as it
 * is: rotation keeps the previous key valid for a while (Azure's primary/secondary keys).
 */
export function keepRedisPasswordCurrent(
  client: Pick<Redis, 'options' | 'on'>,
  password: () => Promise<string>,
  logger: RedisPasswordLogger,
): { refresh(): Promise<void> } {
  const refresh = async () => {
    client.options.password = await password();
  };
  client.on('reconnecting', () => {
    refresh().catch((error: unknown) =>
      logger.warn(
        { err: { message: (error as Error).message } },
        'redis password could not be read; reconnecting with the previous one',
      ),
    );
  });
  return { refresh };
}
