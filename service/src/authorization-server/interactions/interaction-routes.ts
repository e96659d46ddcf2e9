import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { AUTHORIZATION_SERVER } from '../../contract.js';
import { AUTHORIZATION_EVENTS, type AuthorizationAudit } from '../audit/authorization-audit.js';
import { CONSENT_HEADERS } from '../consent/consent-headers.js';
import { renderConsentMessagePage } from '../consent/consent-page.js';
import { type ConsentInteraction, consentRoutes } from '../consent/consent-routes.js';
import type { ConsentStore } from '../consent/consent-store.js';
import type { CsrfTokens } from '../consent/csrf-token.js';
import { TOKEN_LIFETIMES } from '../provider/token-lifetimes.js';
import type { AccountStore, StoredAccount } from '../storage/account-store.js';
import type { PostgresAdapter } from '../storage/postgres-adapter.js';
import { consentCoverage, grantableScopes, requestedMcpScopes } from '../upstream/scope-ceiling.js';
import { UpstreamIdentityError } from '../upstream/upstream-identity-error.js';
import type { PendingUpstreamSignIn, UpstreamSignIn } from '../upstream/upstream-sign-in.js';

const { paths } = AUTHORIZATION_SERVER;

export interface InteractionRoutesOptions {
  /** The provider of the moment (it is rebuilt when the signing keys change). */
  provider: () => Provider;
  issuer: string;
  resource: string;
  upstream: UpstreamSignIn;
  /** Pending upstream sign-ins by `state` (model `UpstreamSignIn` of the store). */
  pendingSignIns: PostgresAdapter;
  accounts: AccountStore;
  consents: ConsentStore;
  csrf: CsrfTokens;
  audit: AuthorizationAudit;
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/**
 * What oidc-provider hands to us: `/oauth/interaction/:uid` sends the browser to the upstream provider (login) or to
 * the consent page, or finishes at once when a remembered consent covers the request; `/oauth/callback` (the fixed
 * redirect URI registered upstream) passes the answer on to `/oauth/interaction/:uid/callback`, which completes the
 * upstream sign-in; `/oauth/interaction/:uid/consent` is the consent page. Every step reads the interaction through
 * its signed cookie, which oidc-provider scopes to `/oauth/interaction/:uid`: a link or a callback opened in another
 * browser finds nothing.
 */
export const interactionRoutes: FastifyPluginAsync<InteractionRoutesOptions> = async (app, options) => {
  const details = async (request: FastifyRequest, reply: FastifyReply): Promise<Details | undefined> => {
    try {
      return await options.provider().interactionDetails(request.raw, reply.raw);
    } catch {
      return undefined;
    }
  };

  /**
   * Hands the step's result to oidc-provider. A sign-in starts a new submission; consent (and a refusal) is merged
   * with the sign-in before it, or oidc-provider would find no login and ask for one again, forever when the client
   * sent prompt=login.
   */
  const finish = async (request: FastifyRequest, reply: FastifyReply, result: InteractionResults) => {
    const redirectTo = await options
      .provider()
      .interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: result.login === undefined });
    return reply.headers(CONSENT_HEADERS).redirect(redirectTo, 303);
  };

  /**
   * The grant for the scopes the user allows, for this resource only. Requested scopes of ours that are not allowed
   * are recorded as rejected (oidc-provider would otherwise ask again for what was "never decided"); `openid` and
   * `offline_access` are granted as asked, they give access to nothing here.
   */
  const grantFor = async (interaction: Details, account: StoredAccount, scopes: readonly string[]) => {
    const provider = options.provider();
    const clientId = String(interaction.params.client_id);
    const existing = interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId);
    const grant = existing ?? new provider.Grant({ accountId: account.accountId, clientId });
    const requested = String(interaction.params.scope ?? '').split(' ');
    grant.addResourceScope(options.resource, scopes.join(' '));
    const refused = (requestedMcpScopes(interaction.params.scope as string | undefined) ?? []).filter(
      (scope) => !scopes.includes(scope),
    );
    if (refused.length > 0) grant.rejectResourceScope(options.resource, refused.join(' '));
    const oidcScopes = requested.filter((scope) => scope === 'openid' || scope === 'offline_access');
    if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
    return grant.save();
  };

  const accountOf = async (interaction: Details) =>
    interaction.session?.accountId === undefined ? undefined : options.accounts.find(interaction.session.accountId);

  app.get<{ Params: { uid: string } }>(`${paths.interaction}/:uid`, async (request, reply) => {
    const interaction = await details(request, reply);
    if (interaction?.uid !== request.params.uid) return sendExpired(reply);
    if (interaction.prompt.name === 'login') {
      // A client that asks for a fresh sign-in (prompt=login, max_age) gets one upstream too, not the upstream session.
      const forceLogin = interaction.prompt.reasons.some((reason) => reason === 'login_prompt' || reason === 'max_age');
      const { url, state, pending } = await options.upstream.begin(interaction.uid, { forceLogin });
      await options.pendingSignIns.upsert(state, { ...pending }, TOKEN_LIFETIMES.interaction);
      return reply.headers(CONSENT_HEADERS).redirect(url.href, 303);
    }
    const account = await accountOf(interaction);
    if (interaction.prompt.name !== 'consent' || account === undefined) return sendExpired(reply);
    const clientId = String(interaction.params.client_id);
    const scope = interaction.params.scope as string | undefined;
    const user = { tenantId: account.tenantId, userId: account.userId, correlationId: request.id };
    let coverage: ReturnType<typeof consentCoverage>;
    try {
      coverage = consentCoverage(scope, account.roles, await options.consents.find(user, clientId));
    } catch (error) {
      if (!(error instanceof UpstreamIdentityError)) throw error;
      await options.audit.record({
        accountId: account.accountId,
        clientId,
        correlationId: request.id,
        event: AUTHORIZATION_EVENTS.consent,
        outcome: 'forbidden',
        detail: error.message,
      });
      const asked = requestedMcpScopes(scope);
      return finish(request, reply, {
        error: asked !== undefined && asked.length === 0 ? 'invalid_scope' : 'access_denied',
        error_description: error.message,
      });
    }
    if (coverage.consentRequired) {
      return reply
        .headers(CONSENT_HEADERS)
        .redirect(`${paths.interaction}/${encodeURIComponent(interaction.uid)}/consent`, 303);
    }
    const grantId = await grantFor(interaction, account, coverage.scopes);
    await options.audit.record({
      accountId: account.accountId,
      clientId,
      correlationId: request.id,
      event: AUTHORIZATION_EVENTS.consent,
      outcome: 'ok',
      detail: `remembered consent; scope "${coverage.scopes.join(' ')}"`,
    });
    return finish(request, reply, { consent: { grantId } });
  });

  // The upstream redirect URI is fixed, without the interaction id: pass the answer on under the interaction's path,
  // where its cookie is sent. The pending sign-in is only read here; the next step consumes it.
  app.get<{ Querystring: Record<string, string | undefined> }>(paths.upstreamCallback, async (request, reply) => {
    const state = request.query.state;
    const pending = state
      ? ((await options.pendingSignIns.find(state)) as PendingUpstreamSignIn | undefined)
      : undefined;
    if (pending === undefined) return sendExpired(reply);
    const query = request.url.slice(request.url.indexOf('?'));
    return reply
      .headers(CONSENT_HEADERS)
      .redirect(`${paths.interaction}/${encodeURIComponent(pending.interactionId)}/callback${query}`, 303);
  });

  app.get<{ Params: { uid: string }; Querystring: Record<string, string | undefined> }>(
    `${paths.interaction}/:uid/callback`,
    async (request, reply) => {
      const state = request.query.state;
      const pending = state
        ? ((await options.pendingSignIns.find(state)) as PendingUpstreamSignIn | undefined)
        : undefined;
      const interaction = await details(request, reply);
      // The callback must come back to the browser that began the sign-in (login CSRF): its interaction cookie.
      // Checked before the pending sign-in is used up, so a callback replayed elsewhere cannot spoil the real one.
      if (
        state === undefined ||
        pending === undefined ||
        interaction?.uid !== pending.interactionId ||
        interaction.uid !== request.params.uid
      ) {
        return sendExpired(reply);
      }
      await options.pendingSignIns.destroy(state);
      if (request.query.error !== undefined) {
        request.log.warn({ upstreamError: request.query.error }, 'upstream sign-in refused');
        return finish(request, reply, {
          error: 'access_denied',
          error_description: 'The sign-in at the identity provider did not complete',
        });
      }
      try {
        const identity = await options.upstream.complete(
          new URL(`${paths.upstreamCallback}${request.url.slice(request.url.indexOf('?'))}`, options.issuer),
          state,
          pending,
        );
        const account = await options.accounts.save(identity, options.upstream.issuer);
        await options.audit.record({
          accountId: account.accountId,
          clientId: String(interaction.params.client_id),
          correlationId: request.id,
          event: AUTHORIZATION_EVENTS.signIn,
          outcome: 'ok',
          detail: `roles ${JSON.stringify(account.roles)}`,
        });
        return finish(request, reply, { login: { accountId: account.accountId } });
      } catch (error) {
        const message = error instanceof UpstreamIdentityError ? error.message : 'The sign-in could not be verified';
        request.log.warn({ err: error }, 'upstream sign-in failed');
        return finish(request, reply, { error: 'access_denied', error_description: message });
      }
    },
  );

  await app.register(consentRoutes, {
    prefix: paths.interaction,
    consents: options.consents,
    csrf: options.csrf,
    async findInteraction(uid, request, reply): Promise<ConsentInteraction | undefined> {
      const interaction = await details(request, reply);
      if (interaction?.uid !== uid || interaction.prompt.name !== 'consent') return undefined;
      const account = await accountOf(interaction);
      if (account === undefined) return undefined;
      const clientId = String(interaction.params.client_id);
      const client = await options.provider().Client.find(clientId);
      let scopes: string[];
      try {
        scopes = grantableScopes(interaction.params.scope as string | undefined, account.roles);
      } catch {
        return undefined;
      }
      return {
        interactionId: uid,
        tenantId: account.tenantId,
        userId: account.userId,
        userName: account.displayName,
        clientId,
        clientName: client?.clientName,
        redirectUri: String(interaction.params.redirect_uri),
        scopes,
      };
    },
    async onOutcome({ interaction, decision }, request, reply) {
      const current = await details(request, reply);
      const account = current && (await accountOf(current));
      if (current === undefined || account === undefined) return undefined;
      await options.audit.record({
        accountId: account.accountId,
        clientId: interaction.clientId,
        correlationId: request.id,
        event: AUTHORIZATION_EVENTS.consent,
        outcome: decision === 'approved' ? 'ok' : 'forbidden',
        detail: `${decision}; scope "${interaction.scopes.join(' ')}"`,
      });
      const result: InteractionResults =
        decision === 'approved'
          ? { consent: { grantId: await grantFor(current, account, interaction.scopes) } }
          : { error: 'access_denied', error_description: 'The user denied the request' };
      const redirectTo = await options
        .provider()
        .interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: true });
      return { redirectTo };
    },
  });
};

function sendExpired(reply: FastifyReply) {
  return reply
    .code(400)
    .headers(CONSENT_HEADERS)
    .send(
      renderConsentMessagePage(
        'Sign-in request not found',
        'This sign-in request is unknown, has expired or was opened in another browser. Start again from your client.',
      ),
    );
}
