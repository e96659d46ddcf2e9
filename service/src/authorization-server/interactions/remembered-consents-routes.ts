import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type pg from 'pg';
import { AUTHORIZATION_SERVER } from '../../contract.js';
import { AUTHORIZATION_EVENTS, type AuthorizationAudit } from '../audit/authorization-audit.js';
import { CONSENT_HEADERS } from '../consent/consent-headers.js';
import { renderConsentMessagePage } from '../consent/consent-page.js';
import type { ConsentStore } from '../consent/consent-store.js';
import { CsrfTokenError, type CsrfTokens } from '../consent/csrf-token.js';
import { acceptFormPosts } from '../consent/form-body.js';
import { renderRememberedConsentsPage } from '../consent/remembered-consents-page.js';
import type { AccountStore, StoredAccount } from '../storage/account-store.js';
import { revokeClientGrants } from '../storage/client-grants.js';

export interface RememberedConsentsRoutesOptions {
  provider: () => Provider;
  pool: pg.Pool;
  accounts: AccountStore;
  consents: ConsentStore;
  csrf: CsrfTokens;
  audit: AuthorizationAudit;
}

/**
 * `/oauth/consents`: the signed-in user (oidc-provider's session cookie) sees the applications they approved and
 * revokes one: the remembered consent goes, and so do the grant, its codes and refresh tokens. Nobody signed in sees
 * a page saying so. The revoke form carries a CSRF token bound to the session and the user.
 */
export const rememberedConsentsRoutes: FastifyPluginAsync<RememberedConsentsRoutesOptions> = async (app, options) => {
  acceptFormPosts(app);

  const signedIn = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ account: StoredAccount; sessionUid: string } | undefined> => {
    const provider = options.provider();
    const session = await provider.Session.get(provider.createContext(request.raw, reply.raw));
    if (session.accountId === undefined) return undefined;
    const account = await options.accounts.find(session.accountId);
    return account === undefined ? undefined : { account, sessionUid: session.uid };
  };

  const binding = (account: StoredAccount, sessionUid: string) => ({
    interactionId: `consents:${sessionUid}`,
    tenantId: account.tenantId,
    userId: account.userId,
  });

  const page = async (request: FastifyRequest, reply: FastifyReply, status: number, notice?: string) => {
    const current = await signedIn(request, reply);
    if (current === undefined) return sendNotSignedIn(reply);
    const { account, sessionUid } = current;
    const user = { tenantId: account.tenantId, userId: account.userId, correlationId: request.id };
    const consents = await options.consents.list(user);
    return reply
      .code(status)
      .headers(CONSENT_HEADERS)
      .send(
        renderRememberedConsentsPage({
          userName: account.displayName,
          consents,
          csrfToken: options.csrf.issue(binding(account, sessionUid)),
          notice,
        }),
      );
  };

  const path = `${AUTHORIZATION_SERVER.prefix}/consents`;
  app.get(path, (request, reply) => page(request, reply, 200));

  app.post<{ Body: Record<string, string> | undefined }>(path, async (request, reply) => {
    const current = await signedIn(request, reply);
    if (current === undefined) return sendNotSignedIn(reply);
    const { account, sessionUid } = current;
    const form = request.body ?? {};
    try {
      options.csrf.verify(form.csrf_token, binding(account, sessionUid));
    } catch (error) {
      if (!(error instanceof CsrfTokenError)) throw error;
      return reply
        .code(403)
        .headers(CONSENT_HEADERS)
        .header('x-consent-error', error.code)
        .send(renderConsentMessagePage('Request refused', error.message));
    }
    const clientId = form.client_id ?? '';
    const user = { tenantId: account.tenantId, userId: account.userId, correlationId: request.id };
    const revoked = clientId !== '' && (await options.consents.revoke(user, clientId));
    if (!revoked) return page(request, reply, 404, 'That application had no access to revoke.');
    const records = await revokeClientGrants(options.pool, account.accountId, clientId);
    await options.audit.record({
      accountId: account.accountId,
      clientId,
      correlationId: request.id,
      event: AUTHORIZATION_EVENTS.revocation,
      outcome: 'ok',
      detail: `the user revoked their consent: ${records} grant records removed`,
    });
    return page(request, reply, 200, 'Access revoked.');
  });
};

function sendNotSignedIn(reply: FastifyReply) {
  return reply
    .code(401)
    .headers(CONSENT_HEADERS)
    .send(
      renderConsentMessagePage(
        'Not signed in',
        'Sign in through an application first; this page then lists the applications you gave access to.',
      ),
    );
}
