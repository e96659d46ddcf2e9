/** One @, no spaces, a dot in the domain: what an action group's e-mail receiver accepts. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** An action group holds at most 1,000 e-mail receivers; a handful is what an on-call rota needs. */
export const MAX_ALERT_EMAILS = 20;

/**
 * Validates `alertEmails` (the platform alerts' recipients). Pure, so `infra/config.ts` can list its problems with
 * every other one. Undefined is an empty list: alerts still fire and show in the portal, they just mail nobody.
 */
export function parseAlertEmails(value: unknown, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push(
      "alertEmails must be a list of e-mail addresses (pulumi config set --path 'alertEmails[0]' <address>)",
    );
    return [];
  }
  for (const address of value) {
    if (!EMAIL.test(address)) problems.push(`alertEmails: '${address}' is not an e-mail address`);
  }
  const unique = [...new Set(value.map((address) => address.toLowerCase()))];
  if (unique.length !== value.length) problems.push('alertEmails lists an address twice');
  if (value.length > MAX_ALERT_EMAILS) problems.push(`alertEmails lists more than ${MAX_ALERT_EMAILS} addresses`);
  return value;
}
