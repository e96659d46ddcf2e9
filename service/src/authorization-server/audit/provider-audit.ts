import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { RevokedGrants } from '../storage/revoked-grants.js';
import { AUTHORIZATION_EVENTS, type AuthorizationAudit } from './authorization-audit.js';

interface ProviderError {
  error?: string;
  error_description?: string;
  /** oidc-provider's specific reason (its error_description is generic, e.g. "grant request is invalid"). */
  error_detail?: string;
}

/**
 * oidc-provider's events into the audit trail: tokens issued (code and refresh), refused token requests whose
 * account is known, refresh-token and code reuse (each revokes the grant), and revocations at the revocation endpoint.
 */
export function auditProviderEvents(
  provider: Provider,
  audit: AuthorizationAudit,
  revokedGrants: RevokedGrants,
  correlationIdOf: (ctx: KoaContextWithOIDC) => string,
): void {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const { entities, client, params } = ctx.oidc;
    const accountId = entities.Account?.accountId;
    if (accountId === undefined || client === undefined) return;
    const scope = entities.AccessToken?.scope ?? '';
    void audit.record({
      accountId,
      clientId: client.clientId,
      correlationId: correlationIdOf(ctx),
      event: AUTHORIZATION_EVENTS.token,
      outcome: 'ok',
      detail: `grant_type ${String(params?.grant_type)}; scope "${scope}"`,
    });
  });

  provider.on('grant.error', (ctx: KoaContextWithOIDC, error: ProviderError) => {
    const { entities, client } = ctx.oidc;
    const source = entities.RefreshToken ?? entities.AuthorizationCode;
    if (source?.accountId === undefined || client === undefined) return;
    const reused = error.error_detail === 'refresh token already used';
    void audit.record({
      accountId: source.accountId,
      clientId: client.clientId,
      correlationId: correlationIdOf(ctx),
      event: reused ? AUTHORIZATION_EVENTS.refreshReuse : AUTHORIZATION_EVENTS.grantRefused,
      outcome: reused ? 'forbidden' : 'invalid',
      detail: reused
        ? 'a rotated refresh token was presented again: its grant and every token of it were revoked'
        : `${error.error}: ${error.error_detail ?? error.error_description}`,
    });
  });

  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    const owner = revokedGrants.take(grantId);
    if (owner === undefined) return;
    const route = ctx.oidc.route;
    // A refresh token reuse is recorded by grant.error, with its reason; an authorization code presented twice is
    // seen here only (oidc-provider names no account in that error).
    if (route === 'token' && ctx.oidc.entities.RefreshToken !== undefined) return;
    void audit.record({
      ...owner,
      correlationId: correlationIdOf(ctx),
      event: route === 'revocation' ? AUTHORIZATION_EVENTS.revocation : AUTHORIZATION_EVENTS.codeReuse,
      outcome: route === 'revocation' ? 'ok' : 'forbidden',
      detail:
        route === 'revocation'
          ? 'the client revoked its refresh token: the grant and its tokens were revoked'
          : 'an authorization code was presented twice: its grant and every token of it were revoked',
    });
  });
}
