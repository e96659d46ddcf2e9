import type { FastifyServerOptions } from 'fastify';

/**
 * Structured JSON logs. Credentials never reach a log line: authorization and cookie headers are
 * redacted, and the query string (where a misbehaving client may put a token) is cut from logged URLs.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
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
