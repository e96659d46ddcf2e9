import { type Check, fail, pass, skip } from '../check.js';
import { headerOf, send } from '../http-client.js';
import { postMcp } from '../target.js';

/** An origin no deployment has a reason to trust. */
export const FOREIGN_ORIGIN = 'https://evil.example';
const FOREIGN_HOST = 'evil.example';

export const corsCheck: Check = {
  id: 'cors-foreign-origin',
  title: 'CORS does not allow a foreign origin on /mcp',
  async run(target) {
    const preflight = await send(
      target.mcpUrl,
      {
        method: 'OPTIONS',
        headers: {
          origin: FOREIGN_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      },
      target.options,
    );
    const post = await postMcp(target, { headers: { origin: FOREIGN_ORIGIN } });
    const problems: string[] = [];
    for (const [name, response] of [
      ['preflight', preflight],
      ['POST', post],
    ] as const) {
      const allowed = headerOf(response, 'access-control-allow-origin');
      // `*` lets any site read the answer too (credentials aside, an answer is data).
      if (allowed === FOREIGN_ORIGIN || allowed === '*') {
        const credentials =
          headerOf(response, 'access-control-allow-credentials') === 'true' ? ' with credentials' : '';
        problems.push(`${name} answered ${response.status} with access-control-allow-origin: ${allowed}${credentials}`);
      }
    }
    const sent = `OPTIONS and POST ${target.mcpUrl} with Origin ${FOREIGN_ORIGIN}`;
    if (problems.length > 0) return fail(`${sent}: ${problems.join('; ')}; expected no access-control-allow-origin`);
    return pass(`${sent}: answered ${preflight.status} and ${post.status}, no access-control-allow-origin for it`);
  },
};

/**
 * A refusal that proves the check ran. Without a token a 401 can come from the token check before the Origin or Host
 * check (a server may order them so): that says nothing either way, so the check asks for --token instead.
 */
function judgeRefusal(status: number, sent: string, hasToken: boolean, accept: (status: number) => boolean) {
  if (accept(status)) return pass(`${sent} answered ${status}`);
  if (status === 401 && !hasToken) return skip(`${sent} answered 401: the token check answered first; pass --token`);
  return fail(`${sent} answered ${status}; expected a refusal (403)`);
}

export const originValidationCheck: Check = {
  id: 'origin-validation',
  title: 'POST /mcp with a foreign Origin is refused (403)',
  async run(target) {
    const response = await postMcp(target, { token: target.options.token, headers: { origin: FOREIGN_ORIGIN } });
    const sent = `POST ${target.mcpUrl} with Origin ${FOREIGN_ORIGIN}${target.options.token ? ' and the token' : ''}`;
    return judgeRefusal(response.status, sent, target.options.token !== undefined, (status) => status === 403);
  },
};

export const hostValidationCheck: Check = {
  id: 'host-validation',
  title: 'POST /mcp with a forged Host is refused (DNS rebinding)',
  async run(target) {
    const response = await postMcp(target, { token: target.options.token, host: FOREIGN_HOST });
    const sent = `POST ${target.mcpUrl} with Host ${FOREIGN_HOST}${target.options.token ? ' and the token' : ''}`;
    // 403 (the MCP SDK), 421 Misdirected Request, 400, or a gateway's 404 for an unknown virtual host all refuse it.
    return judgeRefusal(response.status, sent, target.options.token !== undefined, (status) =>
      [400, 403, 404, 421].includes(status),
    );
  },
};

export const queryTokenCheck: Check = {
  id: 'token-in-query',
  title: 'A token in the query string is refused',
  async run(target) {
    const token = target.options.token;
    // Only a token the server would accept in the header shows whether it accepts it in the URL.
    if (token === undefined) return skip('needs --token: a forged token is refused either way');
    const response = await postMcp(target, { query: `access_token=${encodeURIComponent(token)}` });
    const sent = `POST ${target.mcpUrl}?access_token=<the token> without Authorization`;
    if (response.status >= 200 && response.status < 300) {
      return fail(
        `${sent} answered ${response.status}: tokens in URLs reach logs and Referer headers; expected 400 or 401`,
      );
    }
    if (response.status >= 500) return fail(`${sent} answered ${response.status}; expected 400 or 401`);
    return pass(`${sent} answered ${response.status}`);
  },
};
