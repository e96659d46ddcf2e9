import { DataLayerError } from './errors.js';

/**
 * Values a caller sends that Postgres would refuse with a data exception (SQLSTATE class 22) instead of
 * answering: caught here, before the database, so that they answer as input errors naming the argument.
 */

/** Postgres text cannot hold U+0000 (22021), though JSON and JavaScript strings can. */
export function hasNulCharacter(value: string | undefined): boolean {
  return value?.includes('\u0000') ?? false;
}

export function assertStorableText(value: string | undefined, name: string): void {
  if (hasNulCharacter(value)) {
    throw new DataLayerError('invalid_input', `${name} must not contain NUL characters (\\u0000)`);
  }
}

// A date, or a date-time with an offset: the ISO 8601 forms Postgres and JavaScript read the same way.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|([+-])(\d{2}):?(\d{2})))?$/;

/**
 * Whether the value names an instant that exists and that Postgres's timestamptz accepts. JavaScript's Date rolls
 * February 30 over into March and reads year 0000 as 1 BC; Postgres refuses both (22008), and offsets beyond
 * ±15:59 (22009).
 */
export function isStorableInstant(value: string): boolean {
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, , offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined || part === '+' || part === '-' ? undefined : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return false;
  return (
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 15 &&
    offsetMinutes <= 59
  );
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (proleptic Gregorian, as Postgres counts).
  const date = new Date(Date.UTC(2000, month, 0));
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}
