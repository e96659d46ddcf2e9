import { escapeLiteral } from 'pg';

/**
 * A string as an SQL literal, for the few statements that travel in one simple-protocol message (which cannot carry
 * parameters) to save a round trip: the start of every tenant transaction and its closing audit record.
 * pg's escapeLiteral follows libpq's PQescapeLiteral (quotes doubled, backslashes doubled under E''), which is safe
 * whatever standard_conforming_strings says. NUL is refused: it would end the protocol message's query string.
 */
export function sqlLiteral(value: string | null): string {
  if (value === null) return 'NULL';
  if (typeof value !== 'string') throw new TypeError(`an SQL literal must be a string, not ${typeof value}`);
  if (value.includes('\u0000')) throw new TypeError('an SQL literal cannot hold a NUL character');
  return escapeLiteral(value);
}

/** A text[] literal, element by element (ARRAY[]::text[] when empty), cast to the given element type. */
export function sqlArrayLiteral(values: readonly string[], elementType: 'uuid' | 'text'): string {
  return `ARRAY[${values.map(sqlLiteral).join(', ')}]::${elementType}[]`;
}
