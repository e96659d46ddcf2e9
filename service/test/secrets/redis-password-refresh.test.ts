import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { keepRedisPasswordCurrent } from '../../src/secrets/redis-password-refresh.js';

/** What the refresher touches of an ioredis client: its options (read on every connect) and its events. */
function fakeRedis() {
  const emitter = new EventEmitter();
  return Object.assign(emitter, { options: { password: undefined as string | undefined } }) as unknown as Redis &
    EventEmitter;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Redis password from the secrets provider', () => {
  it('sets the current password before connecting and again when a reconnect is scheduled', async () => {
    const client = fakeRedis();
    let current = 'key-1';
    const warnings: string[] = [];
    const auth = keepRedisPasswordCurrent(client, async () => current, {
      warn: (_d, message) => warnings.push(message),
    });
    await auth.refresh();
    expect(client.options.password).toBe('key-1');

    current = 'key-2';
    client.emit('reconnecting', 200);
    await settle();
    expect(client.options.password).toBe('key-2');
    expect(warnings).toEqual([]);
  });

  it('keeps the previous password and warns when the secret cannot be read at a reconnect', async () => {
    const client = fakeRedis();
    let fail = false;
    const warnings: string[] = [];
    const auth = keepRedisPasswordCurrent(
      client,
      async () => {
        if (fail) throw new Error('vault down');
        return 'key-1';
      },
      { warn: (_d, message) => warnings.push(message) },
    );
    await auth.refresh();
    fail = true;
    client.emit('reconnecting', 200);
    await settle();
    expect(client.options.password).toBe('key-1');
    expect(warnings).toEqual(['redis password could not be read; reconnecting with the previous one']);
  });
});
