import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PATHS } from '../contract.js';
import { AuthConfigError } from './auth-errors.js';

export interface ProtectedResourceMetadataOptions {
  /** This server's resource URL, exactly as tokens carry it in `aud`. */
  resource: string;
  /** The issuers clients may get tokens from (RFC 8414 issuer identifiers). */
  authorizationServers: string[];
  /** Our scopes only: never offline_access or an issuer's own names. */
  scopesSupported: string[];
  resourceName?: string;
  documentation?: string;
}

/** The RFC 9728 document (§2); only the header bearer method, because query and body tokens are refused. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: ['header'];
  resource_name?: string;
  resource_documentation?: string;
}

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function checkUrl(value: string, label: string, problems: string[]): void {
  if (!URL.canParse(value)) {
    problems.push(`${label}: "${value}" is not a URL`);
    return;
  }
  const url = new URL(value);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTNAMES.has(url.hostname))) {
    problems.push(`${label}: "${value}" must use https (plain http only on loopback)`);
  }
  if (url.hash !== '') problems.push(`${label}: "${value}" must not have a fragment`);
}

export function buildProtectedResourceMetadata(options: ProtectedResourceMetadataOptions): ProtectedResourceMetadata {
  const problems: string[] = [];
  checkUrl(options.resource, 'resource', problems);
  if (options.authorizationServers.length === 0) problems.push('authorizationServers: name at least one issuer');
  for (const issuer of options.authorizationServers) checkUrl(issuer, 'authorizationServers', problems);
  if (options.scopesSupported.includes('offline_access')) {
    problems.push('scopesSupported: offline_access is for the authorization server, not this resource');
  }
  if (options.documentation !== undefined) checkUrl(options.documentation, 'documentation', problems);
  if (problems.length > 0) throw new AuthConfigError(problems);
  return {
    resource: options.resource,
    authorization_servers: [...options.authorizationServers],
    scopes_supported: [...options.scopesSupported],
    bearer_methods_supported: ['header'],
    ...(options.resourceName !== undefined && { resource_name: options.resourceName }),
    ...(options.documentation !== undefined && { resource_documentation: options.documentation }),
  };
}

/**
 * The paths serving the document: the root one, the path-inserted one for /mcp (RFC 9728 §3.1, what MCP clients try
 * first), and the one derived from the resource URL when a gateway prefix makes it differ.
 */
export function protectedResourceMetadataPaths(resource: string): string[] {
  const derived = new URL(getOAuthProtectedResourceMetadataUrl(new URL(resource))).pathname;
  return [...new Set([PATHS.protectedResourceMetadata, `${PATHS.protectedResourceMetadata}${PATHS.mcp}`, derived])];
}

/** Public, read-only and credential-free, so any browser origin may read it (clients discover auth from here). */
function allowAnyOrigin(reply: FastifyReply): FastifyReply {
  return reply.header('access-control-allow-origin', '*');
}

/**
 * Serves RFC 9728 Protected Resource Metadata. GET (and the HEAD Fastify derives from it) answer the document,
 * OPTIONS answers CORS preflight, other methods 405.
 */
export function protectedResourceMetadataRoutes(app: FastifyInstance, options: ProtectedResourceMetadataOptions): void {
  const metadata = buildProtectedResourceMetadata(options);
  const body = JSON.stringify(metadata);
  for (const url of protectedResourceMetadataPaths(options.resource)) {
    app.get(url, async (_request, reply) =>
      allowAnyOrigin(reply)
        .header('cache-control', 'public, max-age=3600')
        .type('application/json; charset=utf-8')
        .send(body),
    );
    app.options(url, async (request, reply) => {
      allowAnyOrigin(reply).header('access-control-allow-methods', 'GET, HEAD, OPTIONS');
      const requestedHeaders = request.headers['access-control-request-headers'];
      if (requestedHeaders !== undefined) {
        reply.header('access-control-allow-headers', requestedHeaders).header('vary', 'Access-Control-Request-Headers');
      }
      return reply.code(204).send();
    });
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url,
      handler: async (_request, reply) =>
        allowAnyOrigin(reply)
          .code(405)
          .header('allow', 'GET, HEAD, OPTIONS')
          .send({ error: 'method_not_allowed', error_description: 'This document is read-only: use GET' }),
    });
  }
}
