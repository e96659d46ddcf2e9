/**
 * `npm run --silent token -- --sub alice --tenant acme --scope "mcp:read mcp:write"` prints one development access
 * token and nothing else on stdout, so it composes: `curl -H "Authorization: Bearer $(npm run --silent token -- ...)"`.
 * It signs with the same key file as the dev server's issuer, which need not be running.
 */
import { DEV_ISSUER_DATA_DIR, readDevServerInfo } from './dev-paths.js';
import { loadOrCreateDevSigningKey } from './dev-signing-key.js';
import { mintDevAccessToken } from './dev-token-minter.js';
import { MINT_TOKEN_USAGE, MintTokenUsageError, mintDefaults, parseMintArguments } from './mint-token-arguments.js';

const EXIT_USAGE = 2;

async function main(args: string[]): Promise<number> {
  let request: ReturnType<typeof parseMintArguments>;
  try {
    request = parseMintArguments(args, mintDefaults(process.env, readDevServerInfo()));
  } catch (error) {
    if (!(error instanceof MintTokenUsageError)) throw error;
    process.stderr.write(`token: ${error.message}\n\n${MINT_TOKEN_USAGE}\n`);
    return EXIT_USAGE;
  }
  if (request.help) {
    process.stderr.write(`${MINT_TOKEN_USAGE}\n`);
    return 0;
  }
  const key = await loadOrCreateDevSigningKey(DEV_ISSUER_DATA_DIR);
  process.stdout.write(`${await mintDevAccessToken(key, request.issuer, request.claims)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`token: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
