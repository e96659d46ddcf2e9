/**
 * The parameters of a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3, quoted or token values), or undefined
 * when the header is absent, is not a Bearer challenge, or cannot be parsed.
 */
export function bearerChallengeParams(header: string | undefined): Record<string, string> | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer(?:\s+(.*))?$/is.exec(header.trim());
  if (match === null) return undefined;
  const rest = match[1] ?? '';
  const params: Record<string, string> = {};
  const param = /\s*([A-Za-z_][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*(?:,|$)/gy;
  let consumed = 0;
  for (let found = param.exec(rest); found !== null; found = param.exec(rest)) {
    const [, name = '', quoted, token] = found;
    params[name.toLowerCase()] = quoted !== undefined ? quoted.replaceAll(/\\(.)/g, '$1') : (token ?? '');
    consumed = param.lastIndex;
  }
  return consumed === rest.length ? params : undefined;
}
