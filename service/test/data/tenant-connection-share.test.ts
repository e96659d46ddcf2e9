import { describe, expect, it } from 'vitest';
import { isDataLayerError } from '../../src/data/errors.js';
import { TenantConnectionShare, type TenantShareSlot } from '../../src/data/tenant-connection-share.js';

/** Settles within the test's own microtask turns, or not at all (the promise is still waiting). */
async function settledSoon<T>(promise: Promise<T>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
  return settled;
}

describe('tenant connection share', () => {
  it('gives a tenant its share at once, then makes it wait for its own slots, first come first served', async () => {
    const share = new TenantConnectionShare(2);
    const first = await share.acquire('noisy', 1_000);
    const second = await share.acquire('noisy', 1_000);
    expect(first.waitedMs).toBe(0);
    const order: string[] = [];
    const inOrder = (name: string) => (slot: TenantShareSlot) => {
      order.push(name);
      return slot;
    };
    const third = share.acquire('noisy', 1_000).then(inOrder('third'));
    const fourth = share.acquire('noisy', 1_000).then(inOrder('fourth'));
    expect(await settledSoon(third)).toBe(false);

    first.release();
    const thirdSlot = await third;
    expect(await settledSoon(fourth)).toBe(false);
    second.release();
    const fourthSlot = await fourth;
    expect(order).toEqual(['third', 'fourth']);
    expect(thirdSlot.waitedMs).toBeGreaterThan(0);
    expect(share.held('noisy')).toBe(2);
    thirdSlot.release();
    fourthSlot.release();
    expect(share.held('noisy')).toBe(0);
  });

  it('does not let one tenant wait on another', async () => {
    const share = new TenantConnectionShare(1);
    await share.acquire('noisy', 1_000);
    const quiet = await share.acquire('quiet', 1_000);
    expect(quiet.waitedMs).toBe(0);
  });

  it('gives up after the timeout with tenant_connections_busy, and the slot count stays right', async () => {
    const share = new TenantConnectionShare(1);
    const held = await share.acquire('noisy', 1_000);
    const refused = await share.acquire('noisy', 20).catch((error: unknown) => error);
    expect(isDataLayerError(refused, 'tenant_connections_busy')).toBe(true);
    expect((refused as Error).message).toMatch(/share of 1 database connections/);
    held.release();
    expect(share.held('noisy')).toBe(0);
    const next = await share.acquire('noisy', 1_000);
    expect(next.waitedMs).toBe(0);
  });

  it('counts a slot released twice once', async () => {
    const share = new TenantConnectionShare(2);
    const slots: TenantShareSlot[] = [await share.acquire('t', 1_000), await share.acquire('t', 1_000)];
    slots[0]!.release();
    slots[0]!.release();
    expect(share.held('t')).toBe(1);
  });

  it('refuses a share below one connection', () => {
    expect(() => new TenantConnectionShare(0)).toThrow(RangeError);
  });
});
