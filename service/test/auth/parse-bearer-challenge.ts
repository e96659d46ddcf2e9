/** Parses `Bearer a="x", b="y"` (RFC 7235 auth-params with quoted or token values) for assertions. */
export function parseBearerChallenge(header: string | undefined): { scheme: string; params: Record<string, string> } {
  if (header === undefined) throw new Error('no WWW-Authenticate header');
  const match = /^(\S+)\s*(.*)$/s.exec(header);
  if (match === null) throw new Error(`unparseable challenge: ${header}`);
  const [, scheme = '', rest = ''] = match;
  const params: Record<string, string> = {};
  const param = /\s*([A-Za-z_][\w-]*)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*(?:,|$)/gy;
  let consumed = 0;
  for (let found = param.exec(rest); found !== null; found = param.exec(rest)) {
    const [, name = '', quoted, token] = found;
    if (name in params) throw new Error(`duplicate parameter ${name} in: ${header}`);
    params[name] = quoted !== undefined ? quoted.replaceAll(/\\(.)/g, '$1') : (token ?? '');
    consumed = param.lastIndex;
  }
  if (consumed !== rest.length) throw new Error(`trailing garbage in challenge: ${header}`);
  return { scheme, params };
}
