/**
 * Which key signs and which keys are published across a rotation: the old key K1 signs until the new key K2's
 * use_from, K2 is announced before that, K1 retires after it and stays published for the overlap, then disappears.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectKeys } from '../../../src/authorization-server/signing-keys/key-selection.js';
import { parseSigningKeySet, type SigningKey } from '../../../src/authorization-server/signing-keys/signing-key-set.js';
import { SigningKeysError } from '../../../src/authorization-server/signing-keys/signing-keys-error.js';
import { ecEntry, minutes, rsaEntry } from './signing-key-fixtures.js';

// K1 signs from 0; K2 (PS256) is added announced, signs from 60; K1 retires at 70; overlap 10 min by default.
let k1: SigningKey;
let k2: SigningKey;
let keys: SigningKey[];
beforeAll(async () => {
  const entries = [await ecEntry(minutes(0), minutes(70)), await rsaEntry(minutes(60))];
  keys = parseSigningKeySet(JSON.stringify({ keys: entries }));
  [k1, k2] = keys as [SigningKey, SigningKey];
});

const at = (minute: number, overlapSeconds?: number) => {
  const selection = selectKeys(keys, minutes(minute), overlapSeconds === undefined ? {} : { overlapSeconds });
  return {
    signing: selection.signing.kid,
    active: selection.active.map((key) => key.kid),
    published: selection.published.map((key) => key.kid).sort(),
  };
};

describe('selectKeys across a rotation', () => {
  it('before the new key’s use_from: the old key signs, both are published', () => {
    for (const minute of [0, 30, 59.99]) {
      expect(at(minute)).toEqual({ signing: k1.kid, active: [k1.kid], published: [k1.kid, k2.kid].sort() });
    }
  });

  it('from the new key’s use_from: the new key signs, the old one is still active and published', () => {
    expect(at(60)).toEqual({ signing: k2.kid, active: [k2.kid, k1.kid], published: [k1.kid, k2.kid].sort() });
  });

  it('after the old key’s retire_after: it no longer may sign but stays published for the overlap', () => {
    expect(at(70)).toEqual({ signing: k2.kid, active: [k2.kid], published: [k1.kid, k2.kid].sort() });
    expect(at(79.99)).toEqual({ signing: k2.kid, active: [k2.kid], published: [k1.kid, k2.kid].sort() });
  });

  it('after retire_after + overlap: the old key is gone from the JWKS', () => {
    expect(at(80)).toEqual({ signing: k2.kid, active: [k2.kid], published: [k2.kid] });
    expect(at(1_000)).toEqual({ signing: k2.kid, active: [k2.kid], published: [k2.kid] });
  });

  it('a longer configured overlap keeps the retired key published longer', () => {
    expect(at(85, 20 * 60).published).toEqual([k1.kid, k2.kid].sort());
    expect(at(90, 20 * 60).published).toEqual([k2.kid]);
  });
});

describe('selectKeys refusals', () => {
  it('refuses an overlap shorter than the access token lifetime', () => {
    expect(() => selectKeys(keys, minutes(0), { overlapSeconds: 599 })).toThrow(
      /the overlap \(599 s\) must be at least the access token lifetime \(600 s\)/,
    );
    expect(() => selectKeys(keys, minutes(0), { accessTokenLifetimeSeconds: 900, overlapSeconds: 600 })).toThrow(
      SigningKeysError,
    );
    expect(selectKeys(keys, minutes(0), { accessTokenLifetimeSeconds: 900 }).signing.kid).toBe(k1.kid);
  });

  it('no key usable yet (only announced keys) is a SigningKeysError', () => {
    expect(() => selectKeys(keys, minutes(-1))).toThrow(SigningKeysError);
    expect(() => selectKeys(keys, minutes(-1))).toThrow(
      /no signing key is usable at 2026-11-30T23:59:00\.000Z: every key is either not yet in use \(use_from\) or retired/,
    );
  });

  it('every key retired is a SigningKeysError, even while the retired key is still published', () => {
    const onlyOld = [k1];
    expect(() => selectKeys(onlyOld, minutes(70))).toThrow(/no signing key is usable/);
    expect(() => selectKeys(onlyOld, minutes(69.99))).not.toThrow();
  });
});
