import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Connection } from './http-client.js';

export interface AuditOptions extends Connection {
  /** The deployment's public base URL, e.g. https://mcp.example.com (the MCP endpoint is <base>/mcp). */
  baseUrl: string;
  /** A valid access token: enables the checks that need an authenticated caller (query token, rate limits). */
  token?: string;
  json: boolean;
  /** Upper bound on calls sent by each rate-limit check before it gives up waiting for a 429. */
  maxRequests: number;
  /** Calls per JSON-RPC batch in the batch rate-limit check. */
  batchSize: number;
  /** Do not fetch the authorization servers' metadata (e.g. an issuer reachable only from inside a network). */
  skipIssuer: boolean;
  /** The metrics listener's port, to prove it is not reachable on the public host. */
  metricsPort?: number;
}

export class UsageError extends Error {}

/** Where CI can put the token instead of the command line (which npm echoes and `ps` shows). */
export const TOKEN_VARIABLE = 'MCP_AUDIT_TOKEN';

export const USAGE = `Usage: npm run audit -- <base-url> [options]

Audits a deployed MCP server from the outside: TLS, security headers, the OAuth challenge and metadata, CORS,
Origin/Host validation, tokens in URLs, rate limits, metrics exposure and error disclosure.

  <base-url>             the public base URL, e.g. https://mcp.example.com (MCP at <base-url>/mcp;
                         a URL ending in /mcp is taken as the endpoint itself)
  --token <jwt>          a valid access token: adds the query-token and rate-limit checks
                         (or set MCP_AUDIT_TOKEN: a command line is echoed by npm and seen by ps)
  --json                 print a machine-readable report instead of text
  --max-requests <n>     calls each rate-limit check may send while waiting for a 429 (default 2000)
  --batch-size <n>       calls per JSON-RPC batch in the batch rate-limit check (default 10)
  --metrics-port <port>  the metrics listener's port: checked unreachable on the public host
  --skip-issuer          do not fetch the authorization servers' metadata
  --timeout <ms>         per-request timeout (default 10000)
  --ca <file>            PEM certificates to trust besides the system's (a private CA)
  -h, --help             this text

Exit code: 0 no check failed, 1 a check failed, 2 bad usage. This is \`npm run audit\`, not \`npm audit\`.`;

function positiveInteger(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got "${value}"`);
  }
  return Number(value);
}

/** The options, or a UsageError naming what is wrong; undefined when help was asked for. */
export function parseAuditOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): AuditOptions | undefined {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'name the base URL to audit' : 'give exactly one base URL');
  }
  const [baseUrl] = positionals as [string];
  if (!URL.canParse(baseUrl) || !['http:', 'https:'].includes(new URL(baseUrl).protocol)) {
    throw new UsageError(`"${baseUrl}" is not an http(s) URL`);
  }
  const url = new URL(baseUrl);
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new UsageError(`"${baseUrl}": give the base URL without query, fragment or credentials`);
  }
  const token = values.token ?? env[TOKEN_VARIABLE];
  if (token !== undefined && token.trim() === '') {
    throw new UsageError(`${values.token === undefined ? TOKEN_VARIABLE : '--token'} is empty`);
  }
  return {
    baseUrl,
    token: token?.trim(),
    json: values.json ?? false,
    maxRequests: positiveInteger(values['max-requests'], 'max-requests', 2000, 1_000_000),
    batchSize: positiveInteger(values['batch-size'], 'batch-size', 10, 1000),
    skipIssuer: values['skip-issuer'] ?? false,
    metricsPort:
      values['metrics-port'] === undefined
        ? undefined
        : positiveInteger(values['metrics-port'], 'metrics-port', 0, 65_535),
    timeoutMs: positiveInteger(values.timeout, 'timeout', 10_000, 600_000),
    ...(values.ca !== undefined && { ca: readCa(values.ca) }),
  };
}

function readCa(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca ${path}: no PEM certificate in it`);
  return pem;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      token: { type: 'string' },
      json: { type: 'boolean' },
      'max-requests': { type: 'string' },
      'batch-size': { type: 'string' },
      'metrics-port': { type: 'string' },
      'skip-issuer': { type: 'boolean' },
      timeout: { type: 'string' },
      ca: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
