import type { FastifyBaseLogger } from 'fastify';
import type Provider from 'oidc-provider';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  SIGNING_KEY_RELOAD_MS,
  SigningKeyRotation,
} from '../../../src/authorization-server/server/signing-key-rotation.js';
import { signingKeysAt } from '../../../src/authorization-server/signing-keys/load-signing-keys.js';
import { newSigningKey } from '../../../src/authorization-server/signing-keys/new-signing-key.js';
import { parseSigningKeySet } from '../../../src/authorization-server/signing-keys/signing-key-set.js';

const T0 = new Date('2026-12-01T00:00:00Z');
const minutes = (n: number) => n * 60_000;

describe('signing keys while running: reloaded every minute and at key boundaries', () => {
  let now: Date;
  const log = { info: vi.fn(), error: vi.fn() } as unknown as FastifyBaseLogger;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    now = T0;
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  async function keySet(entries: Array<{ useFrom: Date; retireAfter?: Date }>) {
    const keys = await Promise.all(entries.map((entry) => newSigningKey({ alg: 'ES256', ...entry })));
    return parseSigningKeySet(JSON.stringify({ keys }));
  }

  it('switches to the announced key at its use_from, not a minute later, and rebuilds the provider once', async () => {
    const switchAt = new Date(T0.getTime() + 30_000);
    const keys = await keySet([
      { useFrom: new Date(T0.getTime() - minutes(60)), retireAfter: switchAt },
      { useFrom: switchAt },
    ]);
    const load = vi.fn(async (at: Date) => signingKeysAt(keys, at));
    const build = vi.fn(() => ({}) as Provider);
    const rotation = await SigningKeyRotation.start({ load, build, log, now: () => now });
    const first = rotation.current();
    expect(build).toHaveBeenCalledTimes(1);

    now = new Date(switchAt.getTime() + 1);
    await vi.advanceTimersByTimeAsync(30_001);
    expect(load).toHaveBeenCalledTimes(2);
    expect(build).toHaveBeenCalledTimes(2);
    expect(rotation.current().keys.signing.kid).not.toBe(first.keys.signing.kid);
    expect(rotation.current().keys.signing.kid).toBe(keys[1]?.kid);

    // Nothing changes at the next reload: same provider.
    const second = rotation.current().provider;
    now = new Date(now.getTime() + SIGNING_KEY_RELOAD_MS);
    await vi.advanceTimersByTimeAsync(SIGNING_KEY_RELOAD_MS + 1);
    expect(load).toHaveBeenCalledTimes(3);
    expect(rotation.current().provider).toBe(second);
    rotation.stop();
  });

  it('keeps the current keys when a reload fails, logs it, and tries again', async () => {
    const keys = await keySet([{ useFrom: new Date(T0.getTime() - minutes(5)) }]);
    let broken = false;
    const load = vi.fn(async (at: Date) => {
      if (broken) throw new Error('secret unreadable');
      return signingKeysAt(keys, at);
    });
    const rotation = await SigningKeyRotation.start({ load, build: () => ({}) as Provider, log, now: () => now });
    const before = rotation.current();
    broken = true;
    await vi.advanceTimersByTimeAsync(SIGNING_KEY_RELOAD_MS + 1);
    expect(rotation.current()).toBe(before);
    expect(log.error).toHaveBeenCalled();
    broken = false;
    await vi.advanceTimersByTimeAsync(SIGNING_KEY_RELOAD_MS + 1);
    expect(load).toHaveBeenCalledTimes(3);
    rotation.stop();
  });

  it('does not start without a usable signing key', async () => {
    const keys = await keySet([{ useFrom: new Date(T0.getTime() + minutes(5)) }]);
    await expect(
      SigningKeyRotation.start({
        load: async (at) => signingKeysAt(keys, at),
        build: () => ({}) as Provider,
        log,
        now: () => now,
      }),
    ).rejects.toThrow(/no signing key is usable/);
  });
});
