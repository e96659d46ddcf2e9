import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-request-id';
/** What a caller's id may look like to be logged at all: no spaces, quotes or control characters. */
const LOGGABLE_ID = /^[A-Za-z0-9._:/+=-]+$/;
const MAX_CLIENT_ID_LENGTH = 128;

/**
 * The request id Fastify logs, the tools audit and error messages give as "Reference": always our own. A caller's
 * x-request-id must never become it, or a client could choose (or collide with) the correlation ids of the audit
 * trail; the caller's value is logged beside it instead (see clientRequestIdOf).
 */
export function correlationIdFor(): string {
  return randomUUID();
}

/**
 * The x-request-id the caller (or the gateway) sent, fit for a log field: cut to 128 characters and dropped when it
 * holds anything but token characters. Logged as `clientRequestId`, so one id still leads from Kong's logs to ours.
 */
export function clientRequestIdOf(request: IncomingMessage): string | undefined {
  const header = request.headers[CORRELATION_HEADER];
  const value = (Array.isArray(header) ? header[0] : header)?.slice(0, MAX_CLIENT_ID_LENGTH);
  return value && LOGGABLE_ID.test(value) ? value : undefined;
}
