import type { IncomingMessage } from 'node:http';
import type { FastifyServerOptions } from 'fastify';
import { clientRequestIdOf } from './correlation-id.js';

/** Where log lines go instead of stdout (tests read them). */
export interface LogDestination {
  write(line: string): void;
}

/**
 * Structured JSON logs. Credentials never reach a log line: authorization and cookie headers are
 * redacted, and the query string (where a misbehaving client may put a token) is cut from logged URLs.
 */
export function loggerOptions(level: string, stream?: LogDestination): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream && { stream }),
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.token', 'token'],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method?: string; url?: string; id?: string; ip?: string; headers?: Record<string, unknown> }) {
        return {
          id: request.id,
          method: request.method,
          url: request.url?.split('?')[0],
          remoteAddress: request.ip,
          userAgent: request.headers?.['user-agent'],
        };
      },
    },
  };
}

/**
 * Each request's logger: Fastify's (bound to our own request id), plus the caller's x-request-id as
 * `clientRequestId` when it sent a loggable one, so every line of the request can be found by either id.
 */
export const requestChildLogger: NonNullable<FastifyServerOptions['childLoggerFactory']> = function requestChildLogger(
  logger,
  bindings,
  options,
  rawRequest,
) {
  const clientRequestId = clientRequestIdOf(rawRequest as IncomingMessage);
  return logger.child(clientRequestId ? { ...bindings, clientRequestId } : bindings, options);
};
