import { escapeHtml } from '../../authorization-server/consent/escape-html.js';
import type { DevUpstreamUser } from './upstream-users.js';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export interface SignInPageInput {
  /** The form posts here: the interaction's own login URL. */
  action: string;
  users: readonly DevUpstreamUser[];
  /** Pre-selected user (after a refused submission). */
  selected?: string;
  problem?: string;
}

/** The sign-in form: pick a sample user; the password is not checked. */
export function renderSignInPage(input: SignInPageInput): string {
  const options = input.users
    .map((user) => {
      const selected = user.sub === input.selected ? ' selected' : '';
      return `<option value="${escapeHtml(user.sub)}"${selected}>${escapeHtml(user.name)}</option>`;
    })
    .join('\n');
  const problem =
    input.problem === undefined ? '' : `<p role="alert"><strong>${escapeHtml(input.problem)}</strong></p>\n`;
  return page(
    'Sign in (local development identity provider)',
    `<p>This is the local <strong>development</strong> identity provider. It only exists on this machine, and the
password is <strong>not checked</strong>: pick a sample user and sign in.</p>
${problem}<form method="post" action="${escapeHtml(input.action)}">
<p><label for="user">User</label>
<select id="user" name="user" required>
${options}
</select></p>
<p><label for="password">Password (not checked)</label>
<input id="password" name="password" type="password" autocomplete="off"></p>
<p><button type="submit">Sign in</button></p>
</form>`,
  );
}

/** A failure shown to the person signing in: a title and a sentence, never a stack trace. */
export function renderProblemPage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}
