import type { AuthInfo } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { MCP_SCOPES } from '../contract.js';
import { AuthUnavailableError, InvalidTokenError } from './auth-errors.js';
import { type BearerChallenge, formatBearerChallenge } from './bearer-challenge.js';
import type { Identity } from './identity.js';
import type { TokenVerifier } from './token-verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer-auth hook once the token is verified; absent on routes without it. */
    identity?: Identity;
  }
}

declare module 'node:http' {
  interface IncomingMessage {
    /** The SDK reads this (as ctx.http.authInfo in tool handlers) when the raw request is handed to it. */
    auth?: AuthInfo;
  }
}

/** What happened to a refused request, for logs and metrics; never contains the token. */
export interface BearerAuthFailure {
  status: 400 | 401 | 403 | 503;
  error: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'temporarily_unavailable' | 'missing_token';
  reason?: string;
}

export interface BearerAuthHookOptions {
  verifier: TokenVerifier;
  /** This server's resource URL (the tokens' audience), reported to tools in AuthInfo.resource. */
  resource: string;
  /** The RFC 9728 metadata URL every challenge points at. */
  resourceMetadataUrl: string;
  /** Scopes the request needs (from the JSON-RPC body); called once the body is parsed. */
  requiredScopes: (request: FastifyRequest) => readonly string[];
  /** Named in a 401 challenge when the request needs no particular scope, so clients ask for something useful. */
  defaultChallengeScopes?: readonly string[];
  /**
   * Every refusal; `identity` is set when the token was valid (a step-up refusal), so it can be audited. The answer
   * waits for a returned promise (the audit row is written before the refusal is sent).
   */
  onFailure?: (failure: BearerAuthFailure, request: FastifyRequest, identity?: Identity) => unknown;
}

/** RFC 6750 §2.1 b64token: what may follow "Bearer ". */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const RETRY_AFTER_SECONDS = 5;

type Credentials = { kind: 'none' } | { kind: 'malformed' } | { kind: 'bearer'; token: string };

function readCredentials(authorization: string | undefined): Credentials {
  if (authorization === undefined) return { kind: 'none' };
  const trimmed = authorization.trim();
  const space = trimmed.indexOf(' ');
  const scheme = space === -1 ? trimmed : trimmed.slice(0, space);
  // Another scheme (Basic, DPoP) or no credentials is "no bearer token": RFC 6750 §3.1 says no error code then.
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'none' };
  const token = space === -1 ? '' : trimmed.slice(space + 1).trim();
  if (token === '') return { kind: 'none' };
  return B64TOKEN.test(token) ? { kind: 'bearer', token } : { kind: 'malformed' };
}

/** OAuth 2.1 §5.1.2 (draft) removes the query-string method: a token in a URL ends up in logs and Referer headers. */
function hasTokenInQuery(request: FastifyRequest): boolean {
  const queryStart = request.url.indexOf('?');
  if (queryStart === -1) return false;
  return new URLSearchParams(request.url.slice(queryStart + 1)).has('access_token');
}

function missingScopes(granted: readonly string[], required: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}

/**
 * A Fastify preHandler for the MCP route: accepts only a valid bearer token in the Authorization header, then checks
 * the scopes the called operation needs. Refusals are small JSON bodies with the RFC 6750 challenge; on success the
 * caller's identity is on `request.identity` and the SDK's AuthInfo on `request.raw.auth`.
 */
export function createBearerAuthHook(options: BearerAuthHookOptions): preHandlerAsyncHookHandler {
  const defaultScopes = options.defaultChallengeScopes ?? [MCP_SCOPES.read];
  const resourceUrl = new URL(options.resource);

  const challengeScopes = (request: FastifyRequest): readonly string[] => {
    try {
      const required = options.requiredScopes(request);
      return required.length > 0 ? required : defaultScopes;
    } catch {
      return defaultScopes;
    }
  };

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    failure: BearerAuthFailure,
    challenge: Omit<BearerChallenge, 'resourceMetadata'> | undefined,
    description: string,
    identity?: Identity,
  ): Promise<FastifyReply> => {
    await options.onFailure?.(failure, request, identity);
    request.log.debug({ auth: failure }, 'request refused by bearer auth');
    reply.code(failure.status).header('cache-control', 'no-store');
    if (challenge !== undefined) {
      reply.header(
        'www-authenticate',
        formatBearerChallenge({ ...challenge, resourceMetadata: options.resourceMetadataUrl }),
      );
    }
    if (failure.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    const error = failure.error === 'missing_token' ? 'unauthorized' : failure.error;
    return reply.send({ error, error_description: description });
  };

  return async function bearerAuth(request, reply) {
    if (hasTokenInQuery(request)) {
      const description = 'Send the access token in the Authorization header, never in the URL';
      return refuse(
        request,
        reply,
        { status: 400, error: 'invalid_request', reason: 'token_in_query' },
        { error: 'invalid_request', errorDescription: description, scopes: challengeScopes(request) },
        description,
      );
    }

    const credentials = readCredentials(request.headers.authorization);
    if (credentials.kind === 'none') {
      return refuse(
        request,
        reply,
        { status: 401, error: 'missing_token' },
        { scopes: challengeScopes(request) },
        'A bearer access token is required',
      );
    }
    if (credentials.kind === 'malformed') {
      const description = 'The Authorization header is not of the form "Bearer <token>"';
      return refuse(
        request,
        reply,
        { status: 401, error: 'invalid_token', reason: 'malformed' },
        { error: 'invalid_token', errorDescription: description, scopes: challengeScopes(request) },
        description,
      );
    }

    let identity: Identity;
    try {
      identity = await options.verifier.verify(credentials.token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        return refuse(
          request,
          reply,
          { status: 401, error: 'invalid_token', reason: error.reason },
          { error: 'invalid_token', errorDescription: error.description, scopes: challengeScopes(request) },
          error.description,
        );
      }
      if (error instanceof AuthUnavailableError) {
        request.log.warn({ err: error }, 'signing keys unavailable');
        return refuse(request, reply, { status: 503, error: error.code }, undefined, error.description);
      }
      throw error;
    }

    const required = options.requiredScopes(request);
    const missing = missingScopes(identity.scopes, required);
    if (missing.length > 0) {
      const description = `This operation needs the scope ${required.join(' ')}`;
      return refuse(
        request,
        reply,
        { status: 403, error: 'insufficient_scope', reason: `missing ${missing.join(' ')}` },
        { error: 'insufficient_scope', errorDescription: description, scopes: required },
        description,
        identity,
      );
    }

    request.identity = identity;
    request.raw.auth = {
      token: credentials.token,
      clientId: identity.clientId,
      scopes: [...identity.scopes],
      expiresAt: identity.expiresAt,
      resource: resourceUrl,
      resourceMetadataUrl: options.resourceMetadataUrl,
      extra: { identity },
    };
  };
}
