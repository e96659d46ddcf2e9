import { describe, expect, it } from 'vitest';
import { isSecretWire, MOCK_SECRET_MARKER, SECRET_SIG_KEY, SECRET_SIG_VALUE, unwrapSecrets } from './harness';
import { findPlainSecrets } from './secret-scan';

const wrap = (value: unknown) => ({ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value });

describe('secret helpers of the harness', () => {
  it('finds plain mock secrets at any depth and ignores wrapped ones', () => {
    const leaked = `${MOCK_SECRET_MARKER}x`;
    expect(findPlainSecrets({ a: [{ b: leaked }], c: wrap(leaked), d: 'fine' })).toEqual(['a[0].b']);
    expect(findPlainSecrets(wrap({ nested: leaked }))).toEqual([]);
  });

  it('unwraps secret wire values recursively', () => {
    expect(isSecretWire(wrap(1))).toBe(true);
    expect(unwrapSecrets({ a: wrap({ b: wrap('v') }), c: [wrap(2)] })).toEqual({ a: { b: 'v' }, c: [2] });
  });
});
