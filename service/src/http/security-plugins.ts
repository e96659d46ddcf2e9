import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { CORRELATION_HEADER } from './correlation-id.js';

/**
 * Security headers on every response, and CORS only for the listed browser origins (none by default:
 * non-browser MCP clients need no CORS, and an empty list means no cross-origin access at all).
 */
export async function securityPlugins(app: FastifyInstance, options: { allowedOrigins: string[] }): Promise<void> {
  await app.register(helmet, {
    // A JSON API: nothing may be framed, scripted or embedded.
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
  });
  await app.register(cors, {
    origin: options.allowedOrigins.length > 0 ? options.allowedOrigins : false,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      'mcp-protocol-version',
      'mcp-session-id',
      'last-event-id',
      CORRELATION_HEADER,
    ],
    exposedHeaders: ['www-authenticate', 'mcp-session-id', CORRELATION_HEADER],
    credentials: false,
    maxAge: 600,
  });
}
