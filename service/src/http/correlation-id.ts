import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-request-id';
const SAFE_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request id Fastify logs and the tools audit: the caller's (the gateway's) x-request-id when it is
 * a safe token, so one id follows a call through Kong, the service and the audit table; else a new UUID.
 */
export function correlationIdFor(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  return candidate && SAFE_ID.test(candidate) ? candidate : randomUUID();
}
