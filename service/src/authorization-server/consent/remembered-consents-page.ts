import { htmlPage } from './consent-page.js';
import { displayHost } from './display-host.js';
import { escapeHtml } from './escape-html.js';
import { describeScope } from './scope-descriptions.js';

export interface RememberedConsentsPageModel {
  userName: string;
  consents: ReadonlyArray<{ clientId: string; scopes: readonly string[]; grantedAt: Date }>;
  csrfToken: string;
  /** A confirmation shown above the list after a revocation. */
  notice?: string;
}

/**
 * The signed-in user's remembered consents, each with a Revoke button: the way a user takes back what they allowed a
 * client. Same rules as the consent page: no script, every value escaped, nothing from a client in href or src.
 */
export function renderRememberedConsentsPage(model: RememberedConsentsPageModel): string {
  const items = model.consents
    .map(
      (consent) => `<li class="card">
<p><strong>${escapeHtml(displayHost(consent.clientId))}</strong></p>
<p class="muted"><code>${escapeHtml(consent.clientId)}</code></p>
<ul>${consent.scopes.map((scope) => `<li>${escapeHtml(describeScope(scope))}</li>`).join('')}</ul>
<p class="muted">Approved ${escapeHtml(consent.grantedAt.toISOString().slice(0, 10))}</p>
<form method="post" action="./consents">
<input type="hidden" name="csrf_token" value="${escapeHtml(model.csrfToken)}">
<input type="hidden" name="client_id" value="${escapeHtml(consent.clientId)}">
<button type="submit" class="deny">Revoke access</button>
</form>
</li>`,
    )
    .join('\n');
  const body =
    model.consents.length === 0
      ? '<p class="card" id="no-consents">No application has access to your account.</p>'
      : `<ul id="consents">${items}</ul>`;
  return htmlPage(
    'Applications with access',
    `<h1>Applications with access to your account</h1>
<p class="muted">Signed in as <strong id="user-name">${escapeHtml(model.userName)}</strong>. Revoking ends the application's access at once for new tokens and within 10 minutes for the one it holds; it has to ask you again.</p>
${model.notice === undefined ? '' : `<p class="card seen" id="notice">${escapeHtml(model.notice)}</p>`}
${body}`,
  );
}
