import { DataLayerError } from './errors.js';

/**
 * Data exceptions that only a value can cause, never the connection or the schema. The repository checks the
 * arguments it knows of before they reach the database (storable-values.ts); this catches any value that still gets
 * through, so that it answers as the caller's input error rather than as an unexpected failure.
 */
const INPUT_SQLSTATES: Readonly<Record<string, string>> = {
  '22021': 'a text argument contains a character the database cannot store (such as NUL, \\u0000)',
  '22007': 'a date or time argument is not in a valid format',
  '22008': 'a date or time argument is out of range or does not exist',
  '22009': 'a time zone offset is out of range (at most ±15:59)',
};

/** The input error a database error stands for, or undefined when it is not the caller's to fix. */
export function inputErrorFromDatabase(error: unknown): DataLayerError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !Object.hasOwn(INPUT_SQLSTATES, code)) return undefined;
  // The database's own message names the value and is kept only as the cause (logs), never shown to the caller.
  return new DataLayerError('invalid_input', `Invalid argument: ${INPUT_SQLSTATES[code]}`, { cause: error });
}
