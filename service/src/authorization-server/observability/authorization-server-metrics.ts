import type Provider from 'oidc-provider';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';
import { createHttpMetrics, type HttpMetrics } from '../../observability/http-metrics.js';
import type { AuthorizationAudit } from '../audit/authorization-audit.js';

/**
 * The authorization server's Prometheus metrics, on its own metrics port like the MCP server's: HTTP by route pattern,
 * what it granted and refused (the audit's events, by outcome), and the OAuth errors of refused requests, including
 * those before anyone signed in (an unusable client id, a resource for another server, no PKCE), which have no audit
 * row. Every label has a bounded set of values: route patterns, event names, OAuth error codes.
 */
export interface AuthorizationServerMetrics extends HttpMetrics {
  readonly registry: Registry;
  readonly events: Counter<'event' | 'outcome'>;
  readonly authorizationErrors: Counter<'error'>;
  readonly tokenErrors: Counter<'error'>;
}

export function createAuthorizationServerMetrics(): AuthorizationServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    ...createHttpMetrics('mcp_as', 'by the authorization server', registers),
    events: new Counter({
      name: 'mcp_as_events_total',
      help: 'Sign-ins, consent decisions, tokens, reuses and revocations (the audit events), by outcome.',
      labelNames: ['event', 'outcome'] as const,
      registers,
    }),
    authorizationErrors: new Counter({
      name: 'mcp_as_authorization_errors_total',
      help: 'Authorization requests refused, by OAuth error (invalid_client, invalid_target, invalid_request, ...).',
      labelNames: ['error'] as const,
      registers,
    }),
    tokenErrors: new Counter({
      name: 'mcp_as_token_errors_total',
      help: 'Token requests refused, by OAuth error (invalid_grant, invalid_client, invalid_scope, ...).',
      labelNames: ['error'] as const,
      registers,
    }),
  };
}

/** The OAuth error codes a label may take (RFC 6749 §4.1.2.1 and §5.2, RFC 8707, OIDC Core); anything else is `other`. */
const OAUTH_ERRORS: ReadonlySet<string> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'unsupported_response_type',
  'invalid_scope',
  'invalid_target',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
  'login_required',
  'consent_required',
  'interaction_required',
  'invalid_redirect_uri',
  'invalid_client_metadata',
]);

const errorLabel = (error: unknown): string => {
  const code = (error as { error?: unknown } | undefined)?.error;
  return typeof code === 'string' && OAUTH_ERRORS.has(code) ? code : 'other';
};

/** Counts oidc-provider's refusals of authorization and token requests. */
export function countProviderErrors(provider: Provider, metrics: AuthorizationServerMetrics): void {
  provider.on('authorization.error', (_ctx: unknown, error: unknown) =>
    metrics.authorizationErrors.inc({ error: errorLabel(error) }),
  );
  provider.on('grant.error', (_ctx: unknown, error: unknown) => metrics.tokenErrors.inc({ error: errorLabel(error) }));
}

/** The audit, counting each event it is given (recorded or, without a tenant, only logged). */
export function countedAudit(audit: AuthorizationAudit, metrics: AuthorizationServerMetrics): AuthorizationAudit {
  return {
    record(entry) {
      metrics.events.inc({ event: entry.event, outcome: entry.outcome });
      return audit.record(entry);
    },
  };
}
