import { CONSENT_STYLE } from './consent-style.js';
import { escapeHtml } from './escape-html.js';
import { describeScope } from './scope-descriptions.js';

export interface ConsentPageModel {
  /** The client's own name from its metadata; absent or blank means the page leads with the client id's host. */
  clientName?: string | undefined;
  /** The client id URL: shown as text, never as a link. */
  clientId: string;
  clientHost: string;
  redirectHost: string;
  /** Scope names as requested; each is shown with its description. */
  scopes: readonly string[];
  userName: string;
  /** Whether this user approved this client before (remembered consent). */
  seenBefore: boolean;
  csrfToken: string;
  /** Where the form posts: a same-origin path. */
  formAction: string;
}

// A path on this origin: not `//host` (scheme-relative), not `javascript:` or any other scheme.
const SAME_ORIGIN_PATH = /^(\/(?!\/)|\.\/)[^\\]*$/;

/**
 * The consent page as one HTML string. No script at all; the one `<style>` element is allowed by its hash
 * (consent-style.ts). Every model value passes through escapeHtml, and no model value is ever put in `href` or
 * `src`, so a `javascript:` client id stays inert text.
 */
export function renderConsentPage(model: ConsentPageModel): string {
  if (!SAME_ORIGIN_PATH.test(model.formAction)) {
    throw new Error('The consent form action must be a same-origin path (/... or ./...)');
  }
  const name = model.clientName?.trim();
  const heading = name
    ? `<h1><span class="client-name">${escapeHtml(name)}</span> wants to use your account</h1>`
    : `<h1>An application at <span class="client-name">${escapeHtml(model.clientHost)}</span> wants to use your account</h1>`;
  const seen = model.seenBefore
    ? `<p class="card seen" id="seen-before">You have approved this application before.</p>`
    : `<p class="card notice" id="first-time"><strong>First time:</strong> you have not approved this application before. Check that you expected it.</p>`;
  const scopes = model.scopes
    .map(
      (scope) =>
        `<li><strong>${escapeHtml(describeScope(scope))}</strong> <span class="muted">(<code>${escapeHtml(scope)}</code>)</span></li>`,
    )
    .join('');
  return htmlPage(
    'Approve access',
    `${heading}
<p class="muted">Signed in as <strong id="user-name">${escapeHtml(model.userName)}</strong></p>
${seen}
<section class="card" aria-labelledby="scopes-heading">
<h2 id="scopes-heading" class="muted">It asks to</h2>
<ul id="scopes">${scopes}</ul>
</section>
<section class="card" aria-labelledby="client-heading">
<h2 id="client-heading" class="muted">About the application</h2>
<dl>
<dt>Application host</dt><dd id="client-host">${escapeHtml(model.clientHost)}</dd>
<dt>Client id</dt><dd><code id="client-id">${escapeHtml(model.clientId)}</code></dd>
<dt>You will be sent back to</dt><dd id="redirect-host">${escapeHtml(model.redirectHost)}</dd>
</dl>
</section>
<form method="post" action="${escapeHtml(model.formAction)}">
<input type="hidden" name="csrf_token" value="${escapeHtml(model.csrfToken)}">
<div class="actions" role="group" aria-label="Your decision">
<button type="submit" class="approve" name="decision" value="approve">Approve</button>
<button type="submit" class="deny" name="decision" value="deny">Deny</button>
</div>
</form>`,
  );
}

/** A short page for a refused or finished request, with the same headers and styles as the consent page. */
export function renderConsentMessagePage(title: string, message: string): string {
  return htmlPage(title, `<h1>${escapeHtml(title)}</h1>\n<p class="card">${escapeHtml(message)}</p>`);
}

/**
 * The frame of every page of the authorization server: the one stylesheet (allowed by its hash), no script, no
 * referrer. `main` is trusted markup built by the callers, every value in it already escaped.
 */
export function htmlPage(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${CONSENT_STYLE}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}
