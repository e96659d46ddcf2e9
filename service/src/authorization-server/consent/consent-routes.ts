import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CONSENT_HEADERS, consentFormHeaders } from './consent-headers.js';
import { renderConsentMessagePage, renderConsentPage } from './consent-page.js';
import type { ConsentStore, ConsentUser } from './consent-store.js';
import { CsrfTokenError, type CsrfTokens } from './csrf-token.js';
import { displayHost } from './display-host.js';
import { acceptFormPosts } from './form-body.js';

/** One pending authorization request awaiting the user's decision (later: oidc-provider's interaction details). */
export interface ConsentInteraction {
  interactionId: string;
  tenantId: string;
  userId: string;
  userName: string;
  clientId: string;
  clientName?: string | undefined;
  redirectUri: string;
  scopes: readonly string[];
}

export interface ConsentOutcome {
  interaction: ConsentInteraction;
  decision: 'approved' | 'denied';
}

export interface ConsentRoutesOptions {
  /**
   * The interaction with this id as seen by this request's signed-in user, or undefined when there is none (unknown,
   * finished, or not this user's). The user comes from here, never from the form.
   */
  findInteraction(
    interactionId: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<ConsentInteraction | undefined>;
  /** Told the user's decision after it was checked (and, when approved, remembered). May name where to go next. */
  onOutcome(
    outcome: ConsentOutcome,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ redirectTo: string } | undefined>;
  consents: ConsentStore;
  csrf: CsrfTokens;
}

interface InteractionParams {
  interactionId: string;
}

/**
 * GET and POST `/:interactionId/consent` (under the interaction's path, where oidc-provider's interaction cookie is sent). Encapsulated (no fastify-plugin): the form-body parser and the headers
 * apply to these routes only. Order on POST: interaction, then CSRF token, then decision; nothing is stored and the
 * callback is not told unless all three pass.
 */
export const consentRoutes: FastifyPluginAsync<ConsentRoutesOptions> = async (app, options) => {
  acceptFormPosts(app);

  app.get<{ Params: InteractionParams }>('/:interactionId/consent', async (request, reply) => {
    const interaction = await options.findInteraction(request.params.interactionId, request, reply);
    if (!interaction) return sendNotFound(reply);
    const remembered = await options.consents.find(consentUser(interaction, request), interaction.clientId);
    const page = renderConsentPage({
      clientName: interaction.clientName,
      clientId: interaction.clientId,
      clientHost: displayHost(interaction.clientId),
      redirectHost: displayHost(interaction.redirectUri),
      scopes: interaction.scopes,
      userName: interaction.userName,
      seenBefore: remembered !== undefined,
      csrfToken: options.csrf.issue(csrfBinding(interaction)),
      // Relative to the page itself: the same route under whatever prefix the plugin is registered with.
      formAction: './consent',
    });
    return sendPage(reply, 200, page, undefined, consentFormHeaders(interaction.redirectUri));
  });

  app.post<{ Params: InteractionParams; Body: Record<string, string> | undefined }>(
    '/:interactionId/consent',
    async (request, reply) => {
      const interaction = await options.findInteraction(request.params.interactionId, request, reply);
      if (!interaction) return sendNotFound(reply);
      const form = request.body ?? {};
      try {
        options.csrf.verify(form.csrf_token, csrfBinding(interaction));
      } catch (error) {
        if (!(error instanceof CsrfTokenError)) throw error;
        request.log.warn({ code: error.code, interactionId: interaction.interactionId }, 'consent form refused');
        return sendPage(reply, 403, renderConsentMessagePage('Request refused', error.message), error.code);
      }
      const decision = form.decision === 'approve' ? 'approved' : form.decision === 'deny' ? 'denied' : undefined;
      if (!decision) {
        return sendPage(
          reply,
          400,
          renderConsentMessagePage('Request refused', 'Choose Approve or Deny.'),
          'invalid_decision',
        );
      }
      if (decision === 'approved') {
        await options.consents.remember(consentUser(interaction, request), interaction.clientId, interaction.scopes);
      }
      const next = await options.onOutcome({ interaction, decision }, request, reply);
      if (next) return reply.headers(consentFormHeaders(interaction.redirectUri)).redirect(next.redirectTo, 303);
      const message =
        decision === 'approved' ? 'You approved the request. You can close this page.' : 'You denied the request.';
      return sendPage(reply, 200, renderConsentMessagePage('Done', message));
    },
  );
};

function csrfBinding(interaction: ConsentInteraction) {
  return { interactionId: interaction.interactionId, tenantId: interaction.tenantId, userId: interaction.userId };
}

function consentUser(interaction: ConsentInteraction, request: FastifyRequest): ConsentUser {
  return { tenantId: interaction.tenantId, userId: interaction.userId, correlationId: request.id };
}

function sendNotFound(reply: FastifyReply) {
  return sendPage(
    reply,
    404,
    renderConsentMessagePage('Request not found', 'This sign-in request is unknown or has finished. Start again.'),
    'interaction_not_found',
  );
}

function sendPage(
  reply: FastifyReply,
  status: number,
  html: string,
  errorCode?: string,
  headers: Readonly<Record<string, string>> = CONSENT_HEADERS,
) {
  reply.code(status).headers(headers);
  // The code for scripts and logs; the page says the same in words.
  if (errorCode) reply.header('x-consent-error', errorCode);
  return reply.send(html);
}
