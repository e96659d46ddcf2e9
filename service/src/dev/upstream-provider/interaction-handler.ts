import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { htmlHeaders } from './response-headers.js';
import { renderProblemPage, renderSignInPage } from './sign-in-page.js';
import { DEV_UPSTREAM_USERS, findDevUpstreamUser } from './upstream-users.js';

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/login)?$/;
const MAX_FORM_BYTES = 8 * 1024;

class FormTooLargeError extends Error {}

function sendHtml(response: ServerResponse, status: number, headers: Record<string, string>, html: string): void {
  response.writeHead(status, { ...headers, 'content-type': 'text/html; charset=utf-8' });
  response.end(html);
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormTooLargeError();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export interface InteractionHandler {
  /** True when the request was an interaction request (and has been answered). */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

/**
 * The sign-in form at `/interaction/<uid>` and its submission at `/interaction/<uid>/login`. oidc-provider binds the
 * interaction to a signed cookie it set when it redirected the browser here: `interactionDetails` finds the
 * interaction by that cookie (and fails without it), and the uid in the path must be that interaction's. So a post
 * from another site, without this browser's cookie, signs no one in; no CSRF token of our own is needed.
 */
export function createInteractionHandler(provider: Provider, redirectOrigins: ReadonlySet<string>): InteractionHandler {
  const headers = htmlHeaders(redirectOrigins);
  const problem = (response: ServerResponse, status: number, title: string, message: string) =>
    sendHtml(response, status, headers, renderProblemPage(title, message));

  return {
    async handle(request, response) {
      const path = new URL(request.url ?? '/', 'http://upstream-provider').pathname;
      const match = INTERACTION_PATH.exec(path);
      if (match === null) return false;
      const [, uid, login] = match;
      const isPost = request.method === 'POST';
      if ((login !== undefined) !== isPost || (!isPost && request.method !== 'GET')) {
        response.setHeader('allow', login === undefined ? 'GET' : 'POST');
        problem(response, 405, 'Method not allowed', 'Use the sign-in form.');
        return true;
      }

      let details: Awaited<ReturnType<Provider['interactionDetails']>>;
      try {
        details = await provider.interactionDetails(request, response);
      } catch {
        problem(
          response,
          400,
          'Sign-in expired',
          'This sign-in has expired or was started in another browser. Start again from the application.',
        );
        return true;
      }
      if (details.uid !== uid || details.prompt.name !== 'login') {
        problem(
          response,
          400,
          'Sign-in not possible',
          'This sign-in cannot continue here. Start again from the application.',
        );
        return true;
      }
      const action = `/interaction/${details.uid}/login`;

      if (!isPost) {
        sendHtml(response, 200, headers, renderSignInPage({ action, users: DEV_UPSTREAM_USERS }));
        return true;
      }

      let form: URLSearchParams;
      try {
        form = await readForm(request);
      } catch (error) {
        if (!(error instanceof FormTooLargeError)) throw error;
        problem(response, 413, 'Form too large', 'The sign-in form sent too much data.');
        return true;
      }
      const user = findDevUpstreamUser(form.get('user') ?? '');
      if (user === undefined) {
        const page = renderSignInPage({
          action,
          users: DEV_UPSTREAM_USERS,
          problem: 'Choose one of the sample users.',
        });
        sendHtml(response, 400, headers, page);
        return true;
      }
      // Answers with a redirect back to the authorization endpoint, which then redirects to the client with a code.
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId: user.sub } },
        {
          mergeWithLastSubmission: false,
        },
      );
      return true;
    },
  };
}
