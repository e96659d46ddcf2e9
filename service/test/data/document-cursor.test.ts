import { describe, expect, it } from 'vitest';
import { decodeDocumentCursor, encodeDocumentCursor } from '../../src/data/document-cursor.js';
import { isDataLayerError } from '../../src/data/errors.js';

const cursor = { createdAt: '2026-11-26T12:04:35.312345Z', id: '0d349b92-3492-48f8-8f9f-38fa6f78ccaf' };

describe('document cursor', () => {
  it('round-trips through an opaque base64url string, keeping microseconds', () => {
    const encoded = encodeDocumentCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encoded).not.toContain(cursor.id);
    expect(decodeDocumentCursor(encoded)).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['an object', Buffer.from(JSON.stringify(cursor)).toString('base64url')],
    ['a millisecond timestamp', encodeDocumentCursor({ ...cursor, createdAt: '2026-11-26T12:04:35.312Z' })],
    ['an impossible date', encodeDocumentCursor({ ...cursor, createdAt: '2026-13-45T12:04:35.312345Z' })],
    // JavaScript's Date reads these (as March 2 and 1 BC); Postgres refuses them.
    ['February 30', encodeDocumentCursor({ ...cursor, createdAt: '2026-02-30T12:04:35.312345Z' })],
    ['year 0000', encodeDocumentCursor({ ...cursor, createdAt: '0000-01-01T00:00:00.000000Z' })],
    ['a non-uuid id', encodeDocumentCursor({ ...cursor, id: "x' OR 1=1 --" })],
    ['extra elements', Buffer.from(JSON.stringify([cursor.createdAt, cursor.id, 1])).toString('base64url')],
    ['an overlong string', 'A'.repeat(500)],
  ])('rejects %s with invalid_cursor', (_label, encoded) => {
    let error: unknown;
    try {
      decodeDocumentCursor(encoded);
    } catch (caught) {
      error = caught;
    }
    expect(isDataLayerError(error, 'invalid_cursor')).toBe(true);
  });
});
