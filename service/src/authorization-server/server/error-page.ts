import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { CONSENT_HEADERS } from '../consent/consent-headers.js';
import { renderConsentMessagePage } from '../consent/consent-page.js';

/**
 * What a browser sees when one of our steps fails: a page, never a stack or an internal message. A failure to reach
 * the upstream identity provider (discovery, the code exchange) is a 503 saying so: the user can try again. The
 * reference is the request's correlation id, which the log line carries with the details.
 */
export function authorizationServerErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 500;
  if (status < 500) {
    reply
      .code(status)
      .headers(CONSENT_HEADERS)
      .send(
        renderConsentMessagePage('Request refused', 'The request could not be read. Start again from your client.'),
      );
    return;
  }
  const upstream = isUnreachable(error);
  request.log.error({ err: error, upstream }, 'request failed');
  reply
    .code(upstream ? 503 : 500)
    .headers(CONSENT_HEADERS)
    .send(
      renderConsentMessagePage(
        'Sign-in unavailable',
        upstream
          ? `The identity provider cannot be reached just now. Try again in a moment. Reference: ${request.id}.`
          : `Something went wrong on our side. Reference: ${request.id}.`,
      ),
    );
}

/** A network failure talking to another server (fetch's TypeError with a system error as its cause). */
function isUnreachable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR_)/.test(code)) {
      return true;
    }
    if (current.name === 'TimeoutError') return true;
    current = current.cause;
  }
  return false;
}
