import { parseArgs } from 'node:util';
import { DEV_ISSUER, ENV, MCP_SCOPES, PATHS, PORTS } from '../contract.js';
import type { DevServerInfo } from './dev-paths.js';
import type { MintClaims } from './dev-token-minter.js';

export const MINT_TOKEN_USAGE = `Usage: npm run --silent token -- --sub <user> --tenant <tenant> [options]

  --sub <id>              the user (sub claim)                    required
  --tenant <id>           the tenant (tenant_id claim)            required
  --scope "<scopes>"      space-separated scopes                  default "${MCP_SCOPES.read}"
  --roles <a,b>           comma-separated app roles               default none
  --aud <url>             the MCP server's resource URL           default from .data/dev-server.json
  --iss <url>             the issuer                              default from .data/dev-server.json
  --client-id <id>        the client_id claim                     default mcp-dev-client
  --expires-in <seconds>  lifetime, 1..86400                      default 3600
  --help                  this text`;

/** Wrong command-line arguments: the CLI prints the message and the usage, and exits 2. */
export class MintTokenUsageError extends Error {
  readonly code = 'mint_token_usage';
  constructor(message: string) {
    super(message);
    this.name = 'MintTokenUsageError';
  }
}

export interface MintDefaults {
  issuer: string;
  audience: string;
}

export type MintRequest = { help: true } | { help: false; issuer: string; claims: MintClaims };

/** RFC 6749 §3.3 scope-token: printable ASCII except space, quote and backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const MAX_LIFETIME_SECONDS = 86_400;

/**
 * Where tokens should point when the user does not say: the running dev server (it records its issuer and resource
 * at start), else the default ports (honouring PORT and DEV_ISSUER_PORT).
 */
export function mintDefaults(env: NodeJS.ProcessEnv, running: DevServerInfo | undefined): MintDefaults {
  const issuerPort = env[ENV.devIssuerPort] || String(DEV_ISSUER.port);
  const servicePort = env[ENV.port] || String(PORTS.http);
  return {
    issuer: running?.issuer ?? `http://127.0.0.1:${issuerPort}`,
    audience: running?.resource ?? `http://127.0.0.1:${servicePort}${PATHS.mcp}`,
  };
}

function requireUrl(value: string, flag: string): string {
  if (!URL.canParse(value)) throw new MintTokenUsageError(`${flag} must be an absolute URL, got "${value}"`);
  return value;
}

function readArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        sub: { type: 'string' },
        tenant: { type: 'string' },
        scope: { type: 'string' },
        roles: { type: 'string' },
        aud: { type: 'string' },
        iss: { type: 'string' },
        'client-id': { type: 'string' },
        'expires-in': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new MintTokenUsageError((error as Error).message);
  }
}

export function parseMintArguments(args: string[], defaults: MintDefaults): MintRequest {
  const values = readArgs(args);
  if (values.help) return { help: true };
  const subject = values.sub?.trim();
  const tenantId = values.tenant?.trim();
  if (!subject) throw new MintTokenUsageError('--sub is required (the user the token is for)');
  if (!tenantId) throw new MintTokenUsageError('--tenant is required (the tenant the user acts in)');
  const scopes = (values.scope ?? MCP_SCOPES.read).split(' ').filter((scope) => scope.length > 0);
  const badScope = scopes.find((scope) => !SCOPE_TOKEN.test(scope));
  if (badScope !== undefined) throw new MintTokenUsageError(`--scope: "${badScope}" is not a valid scope name`);
  let expiresInSeconds: number | undefined;
  if (values['expires-in'] !== undefined) {
    expiresInSeconds = Number(values['expires-in']);
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_LIFETIME_SECONDS) {
      throw new MintTokenUsageError(
        `--expires-in must be a whole number of seconds from 1 to ${MAX_LIFETIME_SECONDS}, got "${values['expires-in']}"`,
      );
    }
  }
  const roles = (values.roles ?? '')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
  return {
    help: false,
    issuer: requireUrl(values.iss ?? defaults.issuer, '--iss'),
    claims: {
      subject,
      tenantId,
      scopes,
      roles,
      audience: requireUrl(values.aud ?? defaults.audience, '--aud'),
      ...(values['client-id'] !== undefined && { clientId: values['client-id'] }),
      ...(expiresInSeconds !== undefined && { expiresInSeconds }),
    },
  };
}
