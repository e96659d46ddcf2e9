import { describe, expect, it } from 'vitest';
import { isDataLayerError } from '../../src/data/errors.js';
import { assertStorableText, isStorableInstant } from '../../src/data/storable-values.js';

describe('values Postgres can store', () => {
  it.each([
    '2026-01-31',
    '2026-01-31T12:00Z',
    '2026-01-31T12:00:00Z',
    '2026-01-31T12:00:00.123456+02:00',
    '2024-02-29T00:00:00Z',
    '2000-02-29',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999999Z',
    '2026-01-01T00:00:00+15:59',
    '2026-01-01T00:00:00-1559',
  ])('accepts the instant %s', (value) => {
    expect(isStorableInstant(value)).toBe(true);
  });

  it.each([
    ['year 0000 (Postgres has no year zero)', '0000-01-01T00:00:00Z'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '2026-02-29'],
    ['February 29 of a century that is not a leap year', '1900-02-29'],
    ['April 31', '2026-04-31'],
    ['month 13', '2026-13-01'],
    ['month 00', '2026-00-10'],
    ['day 00', '2026-01-00'],
    ['hour 24', '2026-01-01T24:00:00Z'],
    ['minute 60', '2026-01-01T12:60:00Z'],
    ['a leap second', '2026-01-01T23:59:60Z'],
    ['an offset beyond 15 hours', '2026-01-01T00:00:00+16:00'],
    ['offset minutes beyond 59', '2026-01-01T00:00:00+01:60'],
    ['a time without offset', '2026-01-01T00:00:00'],
    ['words', 'yesterday'],
  ])('refuses %s', (_label, value) => {
    expect(isStorableInstant(value)).toBe(false);
  });

  it('refuses text with a NUL character as the named argument, and lets any other text through', () => {
    let error: unknown;
    try {
      assertStorableText('a\u0000b', 'titleContains');
    } catch (caught) {
      error = caught;
    }
    expect(isDataLayerError(error, 'invalid_input')).toBe(true);
    expect((error as Error).message).toMatch(/^titleContains must not contain NUL/);
    expect(() => assertStorableText('emoji 🎉, tabs\tand \u0001 controls', 'query')).not.toThrow();
    expect(() => assertStorableText(undefined, 'tag')).not.toThrow();
  });
});
