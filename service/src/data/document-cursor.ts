import { isUuid } from './document-model.js';
import { DataLayerError } from './errors.js';
import { isStorableInstant } from './storable-values.js';

/**
 * The position after the last document of a page, in the listing order (created_at DESC, id DESC).
 * `createdAt` keeps Postgres's microseconds (a JavaScript Date would round them away and skip or repeat rows
 * created within the same millisecond).
 */
export interface DocumentCursor {
  createdAt: string;
  id: string;
}

// UTC with exactly six fractional digits: the format the listing query produces with to_char.
const CURSOR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to callers: base64url of a small JSON array. */
export function encodeDocumentCursor(cursor: DocumentCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

export function decodeDocumentCursor(encoded: string): DocumentCursor {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(encoded)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch (error) {
    throw invalidCursor(error);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== 'string' ||
    typeof parsed[1] !== 'string' ||
    !CURSOR_TIMESTAMP.test(parsed[0]) ||
    // An altered cursor may name a day that does not exist (February 30), which Postgres refuses.
    !isStorableInstant(parsed[0]) ||
    !isUuid(parsed[1])
  ) {
    throw invalidCursor();
  }
  return { createdAt: parsed[0], id: parsed[1] };
}

function invalidCursor(cause?: unknown): DataLayerError {
  return new DataLayerError(
    'invalid_cursor',
    'The cursor is not one this service returned; start again without a cursor',
    cause === undefined ? undefined : { cause },
  );
}
