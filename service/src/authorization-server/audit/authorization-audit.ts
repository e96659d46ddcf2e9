import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';
import { type AuditOutcome, recordAuditEvent } from '../../data/audit-log.js';
import type { AccountStore } from '../storage/account-store.js';

/** The audit table's `tool` for what the authorization server does: one name per kind of event. */
export const AUTHORIZATION_EVENTS = {
  signIn: 'oauth.sign_in',
  consent: 'oauth.consent',
  token: 'oauth.token',
  refreshReuse: 'oauth.refresh_token_reuse',
  codeReuse: 'oauth.code_reuse',
  grantRefused: 'oauth.grant_refused',
  revocation: 'oauth.revocation',
} as const;
export type AuthorizationEvent = (typeof AUTHORIZATION_EVENTS)[keyof typeof AUTHORIZATION_EVENTS];

export interface AuthorizationAuditEntry {
  accountId: string;
  clientId: string;
  correlationId: string;
  event: AuthorizationEvent;
  outcome: AuditOutcome;
  detail?: string;
}

export interface AuthorizationAudit {
  /** Appends to the tenant's audit trail (audit_events); failures are logged, never thrown at the user's request. */
  record(entry: AuthorizationAuditEntry): Promise<void>;
}

/**
 * Grants, refusals and revocations in the same audit table as the tools, in the signed-in user's tenant, so a
 * tenant's administrator sees who let which client in, and when a family was revoked. Events before anyone signed in
 * (an unusable client id, a refused upstream sign-in) have no tenant: they go to the log only.
 */
export function createAuthorizationAudit(
  pool: pg.Pool,
  accounts: AccountStore,
  log: FastifyBaseLogger,
): AuthorizationAudit {
  return {
    async record(entry) {
      try {
        const account = await accounts.find(entry.accountId);
        if (account === undefined) {
          log.warn({ event: entry.event, outcome: entry.outcome }, 'audit event for an unknown account not recorded');
          return;
        }
        await recordAuditEvent(
          pool,
          {
            tenantId: account.tenantId,
            userId: account.userId,
            roles: account.roles,
            clientId: entry.clientId,
            correlationId: entry.correlationId,
          },
          { tool: entry.event, documentIds: [], outcome: entry.outcome, detail: entry.detail },
        );
      } catch (error) {
        log.error({ err: error, event: entry.event }, 'audit event could not be recorded');
      }
    },
  };
}
