import { parseArgs } from 'node:util';
import { LOAD_KINDS, type LoadKind, type Mix } from './weighted-mix.js';

/** Wrong command-line arguments: the command prints the message and the usage, and exits 2. */
export class LoadUsageError extends Error {
  readonly code = 'load_usage';
  constructor(message: string) {
    super(message);
    this.name = 'LoadUsageError';
  }
}

export const LOAD_USAGE = `Usage: npm run load -- <mcp-url> [options]

  <mcp-url>                 the MCP endpoint, e.g. http://127.0.0.1:8080/mcp
  --duration <time>         stop after this long (30s, 2m, 500ms)         default 30s
  --requests <n>            stop after n requests (whichever comes first)  default no limit
  --concurrency <n>         requests in flight at once, 1..1000             default 10
  --timeout <time>          give up on one request after this long         default 10s
  --mix <kind=weight,...>   read, create, search weights (left out: 0)     default read=3,create=1,search=2
  --tokens <file>           bearer tokens, one a line or a JSON array of strings (for a real deployment)
  --tenants <n>             without --tokens: tenants to mint tokens for   default 3
  --users <n>               without --tokens: users per tenant             default 4
  --dev-data <dir>          without --tokens: the dev server's data folder default service/.data
  --json                    print the summary as JSON on stdout, no progress line
  --help                    this text

Without --tokens, tokens (scopes mcp:read mcp:write) are minted with the key of the development issuer of a running
\`npm run dev\`, and only when <mcp-url> is the resource that dev server serves.

A read is get_document of a document the user has seen (list_documents until it has seen one), a create is
create_document (title "load test <run> #<n>", tag load-test), a search is search_documents of a common word.
Latency percentiles cover the requests that succeeded; the others are counted by kind of error (a 429 or a 401 is
answered before any work, and would make an overloaded server look fast).

Exit status: 0 when the run completed, even with 401, 403, 429, JSON-RPC or tool errors (they are in the summary);
1 when any request failed with a 5xx, a timeout or a connection error; 2 for bad usage or no usable tokens.`;

export type TokenSourceOption =
  | { kind: 'file'; file: string }
  | { kind: 'dev'; tenants: number; usersPerTenant: number; devDataDir: string | undefined };

export interface LoadOptions {
  url: string;
  durationMs: number;
  maxRequests: number | undefined;
  concurrency: number;
  timeoutMs: number;
  mix: Mix;
  tokens: TokenSourceOption;
  json: boolean;
}

export type LoadRequest = { help: true } | ({ help: false } & LoadOptions);

const DEFAULT_MIX: Mix = { read: 3, create: 1, search: 2 };
const MAX_DURATION_MS = 24 * 3600 * 1000;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s", "2m", "500ms", "1h", or a bare number of seconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1 || ms > MAX_DURATION_MS) {
    throw new LoadUsageError(`${flag} must be a time from 1ms to 24h such as 30s, 2m or 500ms, got "${value}"`);
  }
  return Math.round(ms);
}

function parseCount(value: string | undefined, flag: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count < 1 || count > max) {
    throw new LoadUsageError(`${flag} must be a whole number from 1 to ${max}, got "${value}"`);
  }
  return count;
}

/** "read=3,create=1,search=2": kinds left out weigh 0; weights are whole numbers so the mix can be dealt exactly. */
export function parseMix(value: string): Mix {
  const mix: Mix = { read: 0, create: 0, search: 0 };
  for (const part of value.split(',').map((piece) => piece.trim())) {
    const [name, weight, ...rest] = part.split('=').map((piece) => piece.trim());
    if (!LOAD_KINDS.includes(name as LoadKind)) {
      throw new LoadUsageError(`--mix: "${name}" is not a kind; the kinds are ${LOAD_KINDS.join(', ')}`);
    }
    if (weight === undefined || rest.length > 0 || !/^\d+$/.test(weight) || Number(weight) > 100) {
      throw new LoadUsageError(`--mix: the weight of ${name} must be a whole number from 0 to 100, got "${part}"`);
    }
    mix[name as LoadKind] = Number(weight);
  }
  if (LOAD_KINDS.every((kind) => mix[kind] === 0))
    throw new LoadUsageError('--mix: at least one weight must be above 0');
  return mix;
}

function parseUrl(value: string): string {
  if (!URL.canParse(value)) throw new LoadUsageError(`<mcp-url> must be an absolute URL, got "${value}"`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LoadUsageError(`<mcp-url> must be an http or https URL, got "${value}"`);
  }
  return url.href;
}

function readArgs(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        duration: { type: 'string' },
        requests: { type: 'string' },
        concurrency: { type: 'string' },
        timeout: { type: 'string' },
        mix: { type: 'string' },
        tokens: { type: 'string' },
        tenants: { type: 'string' },
        users: { type: 'string' },
        'dev-data': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new LoadUsageError((error as Error).message);
  }
}

export function parseLoadArguments(args: string[]): LoadRequest {
  const { values, positionals } = readArgs(args);
  if (values.help) return { help: true };
  if (positionals.length !== 1) {
    throw new LoadUsageError(
      positionals.length === 0
        ? 'the MCP endpoint URL is required, e.g. npm run load -- http://127.0.0.1:8080/mcp'
        : `one MCP endpoint URL is expected, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  if (values.tokens !== undefined) {
    const minting = (['tenants', 'users', 'dev-data'] as const).find((flag) => values[flag] !== undefined);
    if (minting) throw new LoadUsageError(`--${minting} is for minted tokens and cannot go with --tokens`);
  }
  return {
    help: false,
    url: parseUrl(positionals[0] ?? ''),
    durationMs: values.duration === undefined ? 30_000 : parseDuration(values.duration, '--duration'),
    maxRequests: values.requests === undefined ? undefined : parseCount(values.requests, '--requests', 0, 100_000_000),
    concurrency: parseCount(values.concurrency, '--concurrency', 10, 1000),
    timeoutMs: values.timeout === undefined ? 10_000 : parseDuration(values.timeout, '--timeout'),
    mix: values.mix === undefined ? { ...DEFAULT_MIX } : parseMix(values.mix),
    tokens:
      values.tokens !== undefined
        ? { kind: 'file', file: values.tokens }
        : {
            kind: 'dev',
            tenants: parseCount(values.tenants, '--tenants', 3, 100),
            usersPerTenant: parseCount(values.users, '--users', 4, 100),
            devDataDir: values['dev-data'],
          },
    json: values.json ?? false,
  };
}
