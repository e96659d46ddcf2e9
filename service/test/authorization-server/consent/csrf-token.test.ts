import { describe, expect, it } from 'vitest';
import {
  type CsrfBinding,
  CsrfTokenError,
  createCsrfTokens,
} from '../../../src/authorization-server/consent/csrf-token.js';

const SECRET = Buffer.alloc(32, 1);
const BINDING: CsrfBinding = { interactionId: 'interaction-1', tenantId: 'tenant-a', userId: 'alice' };
const T0 = Date.UTC(2026, 0, 1);

function tokens(now = () => T0) {
  return createCsrfTokens({ secret: SECRET, lifetimeSeconds: 600, now });
}

function failureCode(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof CsrfTokenError) return error.code;
    throw error;
  }
}

describe('CSRF tokens bound to the interaction', () => {
  it('accepts a token for the binding it was issued for, until it expires', () => {
    let now = T0;
    const csrf = tokens(() => now);
    const token = csrf.issue(BINDING);
    expect(failureCode(() => csrf.verify(token, BINDING))).toBeUndefined();
    now = T0 + 599_000;
    expect(failureCode(() => csrf.verify(token, BINDING))).toBeUndefined();
    now = T0 + 600_000;
    expect(failureCode(() => csrf.verify(token, BINDING))).toBe('csrf_expired');
  });

  it.each([
    ['missing', undefined, 'csrf_missing'],
    ['empty', '', 'csrf_missing'],
    ['not a string', ['v1.1.x'], 'csrf_missing'],
    ['malformed', 'not-a-token', 'csrf_malformed'],
    ['wrong MAC', `v1.${T0 / 1000 + 600}.${'A'.repeat(43)}`, 'csrf_invalid'],
  ])('refuses a %s token', (_name, token, code) => {
    expect(failureCode(() => tokens().verify(token, BINDING))).toBe(code);
  });

  it.each([
    ['another interaction', { ...BINDING, interactionId: 'interaction-2' }],
    ['another user', { ...BINDING, userId: 'bob' }],
    ['another tenant', { ...BINDING, tenantId: 'tenant-b' }],
  ])('refuses a token issued for %s', (_name, other) => {
    const csrf = tokens();
    expect(failureCode(() => csrf.verify(csrf.issue(other), BINDING))).toBe('csrf_invalid');
  });

  it('refuses a token whose expiry was pushed forward (the expiry is signed)', () => {
    const csrf = tokens();
    const [version, expiresAt, mac] = csrf.issue(BINDING).split('.');
    const forged = `${version}.${Number(expiresAt) + 3600}.${mac}`;
    expect(failureCode(() => csrf.verify(forged, BINDING))).toBe('csrf_invalid');
  });

  it('refuses a token made with another secret', () => {
    const other = createCsrfTokens({ secret: Buffer.alloc(32, 2), now: () => T0 });
    expect(failureCode(() => tokens().verify(other.issue(BINDING), BINDING))).toBe('csrf_invalid');
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => createCsrfTokens({ secret: Buffer.alloc(16) })).toThrow(/at least 32 bytes/);
  });

  it('gives the person a message to act on, without internals', () => {
    try {
      tokens().verify(undefined, BINDING);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('The form was sent without its security token. Start again.');
    }
  });
});
