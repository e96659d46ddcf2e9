import { describe, expect, it } from 'vitest';
import { loadAuthorizationServerConfig } from '../../src/authorization-server/authorization-server-config.js';
import { ConfigError } from '../../src/config.js';
import { AUTHORIZATION_SERVER, ENV } from '../../src/contract.js';

const { env: AS_ENV } = AUTHORIZATION_SERVER;
const ENTRA = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';

const VALID: Record<string, string> = {
  [ENV.resourceUrl]: 'https://mcp.example.com/mcp',
  [ENV.databaseUrl]: 'postgres://mcp-authorization-server@db.example.com:5432/mcp?sslmode=verify-full',
  [ENV.databaseAuth]: 'entra',
  [ENV.port]: String(AUTHORIZATION_SERVER.port),
  [AS_ENV.issuer]: 'https://mcp.example.com',
  [AS_ENV.upstream]: JSON.stringify({
    issuer: ENTRA,
    clientId: '99999999-8888-7777-6666-555555555555',
    clientAuthentication: 'workload-identity',
    identity: { kind: 'entra', issuer: ENTRA, appRoles: { 'Documents.Admin': 'admin' } },
  }),
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadAuthorizationServerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('authorization server configuration', () => {
  it('reads a deployment: issuer, upstream with workload identity, no clients, registration off', () => {
    const config = loadAuthorizationServerConfig(VALID);
    expect(config).toMatchObject({
      issuer: 'https://mcp.example.com',
      preRegisteredClients: [],
      dynamicRegistration: false,
      upstream: {
        clientAuthentication: 'workload-identity',
        identity: { kind: 'entra', appRoles: { 'Documents.Admin': 'admin' } },
      },
      common: {
        port: AUTHORIZATION_SERVER.port,
        resourceUrl: 'https://mcp.example.com/mcp',
        database: { auth: 'entra' },
      },
    });
  });

  it.each([
    ['missing', undefined, /must be this server's public origin/],
    ['with a path', 'https://mcp.example.com/oauth', /must be an origin/],
    ['with a trailing slash', 'https://mcp.example.com/', /must be an origin/],
    ['plain http off loopback', 'http://mcp.example.com', /must use https/],
  ])('refuses an issuer %s', (_name, issuer, message) => {
    expect(problemsOf({ ...VALID, [AS_ENV.issuer]: issuer })).toEqual([expect.stringMatching(message)]);
  });

  it('accepts an http issuer on loopback (development)', () => {
    expect(loadAuthorizationServerConfig({ ...VALID, [AS_ENV.issuer]: 'http://127.0.0.1:8095' }).issuer).toBe(
      'http://127.0.0.1:8095',
    );
  });

  it.each([
    ['missing', undefined, /required/],
    ['not JSON', '{issuer', /must be JSON/],
    [
      'with a client secret method',
      JSON.stringify({ ...JSON.parse(VALID[AS_ENV.upstream] as string), clientAuthentication: 'client_secret_post' }),
      /clientAuthentication/,
    ],
    [
      'with an unknown field (a secret)',
      JSON.stringify({ ...JSON.parse(VALID[AS_ENV.upstream] as string), clientSecret: 'x' }),
      /upstream/,
    ],
    [
      'mapping another issuer',
      JSON.stringify({
        ...JSON.parse(VALID[AS_ENV.upstream] as string),
        identity: { kind: 'entra', issuer: 'https://other.example' },
      }),
      /must equal upstream.issuer/,
    ],
  ])('refuses an upstream %s', (_name, upstream, message) => {
    const problems = problemsOf({ ...VALID, [AS_ENV.upstream]: upstream });
    expect(problems.join('\n')).toMatch(message);
    expect(problems.every((problem) => problem.startsWith(AS_ENV.upstream))).toBe(true);
  });

  it('reads pre-registered clients and refuses one with a client secret', () => {
    const client = {
      client_id: 'desktop',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
    };
    expect(
      loadAuthorizationServerConfig({ ...VALID, [AS_ENV.clients]: JSON.stringify([client]) }).preRegisteredClients,
    ).toEqual([client]);
    expect(problemsOf({ ...VALID, [AS_ENV.clients]: JSON.stringify([{ ...client, client_secret: 's' }]) })).toEqual([
      expect.stringMatching(/no client_secret/),
    ]);
    expect(problemsOf({ ...VALID, [AS_ENV.clients]: JSON.stringify([{ client_id: 'x' }]) })).toEqual([
      expect.stringMatching(/redirect_uris/),
    ]);
  });

  it('switches dynamic registration on only for "true", and refuses other values', () => {
    expect(loadAuthorizationServerConfig({ ...VALID, [AS_ENV.dynamicRegistration]: 'true' }).dynamicRegistration).toBe(
      true,
    );
    expect(problemsOf({ ...VALID, [AS_ENV.dynamicRegistration]: 'yes' })).toEqual([
      expect.stringMatching(/true or false/),
    ]);
  });

  it("lists the shared settings' problems with its own, all at once, and does not ask for OAUTH_ISSUERS", () => {
    const problems = problemsOf({ ...VALID, [ENV.databaseUrl]: 'mysql://x', [AS_ENV.issuer]: undefined });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL/),
        expect.stringMatching(/^AUTHORIZATION_SERVER_ISSUER/),
      ]),
    );
    expect(problems.some((problem) => problem.startsWith(ENV.issuers))).toBe(false);
  });
});
