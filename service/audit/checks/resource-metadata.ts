import { type Check, fail, pass, skip } from '../check.js';
import { type Connection, send } from '../http-client.js';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

interface Fetched {
  url: string;
  status: number;
  document?: Record<string, unknown>;
  problem?: string;
}

async function fetchDocument(url: string, connection: Connection): Promise<Fetched> {
  try {
    const response = await send(url, { headers: { accept: 'application/json' } }, connection);
    if (response.status !== 200) return { url, status: response.status };
    const document = JSON.parse(response.body) as unknown;
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return { url, status: response.status, problem: 'not a JSON object' };
    }
    return { url, status: response.status, document: document as Record<string, unknown> };
  } catch (error) {
    return { url, status: 0, problem: (error as Error).message };
  }
}

/** What is wrong with one served document, for the resource the audit targets. */
function problemsOf(fetched: Fetched, mcpUrl: string): string[] {
  const document = fetched.document;
  if (document === undefined) return [`${fetched.url}: ${fetched.problem ?? `answered ${fetched.status}`}`];
  const problems: string[] = [];
  if (document.resource !== mcpUrl) {
    problems.push(`${fetched.url}: resource is ${JSON.stringify(document.resource)}, expected "${mcpUrl}"`);
  }
  const servers = document.authorization_servers;
  if (
    !Array.isArray(servers) ||
    servers.length === 0 ||
    !servers.every((s) => typeof s === 'string' && URL.canParse(s))
  ) {
    problems.push(`${fetched.url}: authorization_servers is not a non-empty list of URLs`);
  }
  const methods = document.bearer_methods_supported;
  if (Array.isArray(methods) && methods.includes('query')) {
    problems.push(`${fetched.url}: bearer_methods_supported offers "query" (tokens in URLs leak into logs)`);
  }
  return problems;
}

export const resourceMetadataCheck: Check = {
  id: 'resource-metadata',
  title: 'RFC 9728 protected-resource metadata, consistent with the challenge',
  async run(target) {
    const challengeUrl = target.learnt.resourceMetadataUrl;
    if (challengeUrl === undefined)
      return skip('no resource_metadata URL learnt from the 401 challenge (see no-token-401)');
    const mcpPath = new URL(target.mcpUrl).pathname;
    const forms = [`${target.origin}${WELL_KNOWN}${mcpPath}`, `${target.origin}${WELL_KNOWN}`];
    const fetched = await Promise.all(
      [...new Set([challengeUrl, ...forms])].map((url) => fetchDocument(url, target.options)),
    );
    const fromChallenge = fetched.find((f) => f.url === challengeUrl) as Fetched;
    // The challenge's document must be right; any well-known form also served must say the same.
    const served = fetched.filter((f) => f === fromChallenge || f.document !== undefined);
    const problems = served.flatMap((f) => problemsOf(f, target.mcpUrl));
    if (new URL(challengeUrl).origin !== target.origin) {
      problems.push(`the challenge points to another origin (${new URL(challengeUrl).origin})`);
    }
    if (problems.length > 0) return fail(problems.join('; '));
    const servers = fromChallenge.document?.authorization_servers as string[];
    target.learnt.authorizationServers = servers;
    const paths = served.map((f) => new URL(f.url).pathname).join(' and ');
    return pass(`served at ${paths}, resource "${target.mcpUrl}", authorization servers ${servers.join(', ')}`);
  },
};

/** RFC 8414 §3.1 (path inserted after the well-known prefix), then OIDC discovery (path appended, and inserted). */
function discoveryUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
}

async function issuerProblem(issuer: string, connection: Connection): Promise<string | undefined> {
  const tried: string[] = [];
  for (const url of [...new Set(discoveryUrls(issuer))]) {
    const fetched = await fetchDocument(url, connection);
    if (fetched.document === undefined) {
      tried.push(`${url} → ${fetched.problem ?? fetched.status}`);
      continue;
    }
    if (fetched.document.issuer !== issuer) {
      return `${url}: issuer is ${JSON.stringify(fetched.document.issuer)}, expected "${issuer}" (RFC 8414 §3.3)`;
    }
    if (typeof fetched.document.jwks_uri !== 'string') return `${url}: no jwks_uri`;
    return undefined;
  }
  return `${issuer}: no discovery metadata (${tried.join('; ')})`;
}

export const authorizationServerCheck: Check = {
  id: 'authorization-server-metadata',
  title: 'Authorization servers serve RFC 8414 or OIDC discovery metadata',
  async run(target) {
    if (target.options.skipIssuer) return skip('--skip-issuer given');
    const servers = target.learnt.authorizationServers;
    if (servers === undefined) return skip('no authorization_servers learnt (see resource-metadata)');
    const problems = (await Promise.all(servers.map((s) => issuerProblem(s, target.options)))).filter(
      (problem) => problem !== undefined,
    );
    if (problems.length > 0) return fail(problems.join('; '));
    return pass(`metadata with matching issuer and jwks_uri for ${servers.join(', ')}`);
  },
};
