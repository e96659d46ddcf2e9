import { randomBytes } from 'node:crypto';
import { mintDevLoadTokens } from './dev-tokens.js';
import { LOAD_USAGE, type LoadOptions, LoadUsageError, parseLoadArguments } from './load-options.js';
import { runLoad } from './load-runner.js';
import { type LoadSummary, summariseRun } from './load-summary.js';
import { type LoadToken, LoadTokenError } from './load-token.js';
import { startProgressLine } from './progress-line.js';
import { formatSummary } from './summary-text.js';
import { readTokenFile } from './token-file.js';

export const EXIT = { completed: 0, failures: 1, usage: 2 } as const;

export interface LoadCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Ctrl-C: stop issuing, print the summary of what ran. */
  stop?: AbortSignal;
}

export interface LoadCommandResult {
  exitCode: number;
  summary?: LoadSummary;
}

/** Minted tokens outlive the run by this much, so requests in flight at the end still carry a valid token. */
const TOKEN_MARGIN_SECONDS = 300;

async function tokensFor(options: LoadOptions): Promise<LoadToken[]> {
  if (options.tokens.kind === 'file') return readTokenFile(options.tokens.file);
  return mintDevLoadTokens({
    url: options.url,
    tenants: options.tokens.tenants,
    usersPerTenant: options.tokens.usersPerTenant,
    devDataDir: options.tokens.devDataDir,
    lifetimeSeconds: Math.min(86_400, Math.ceil(options.durationMs / 1000) + TOKEN_MARGIN_SECONDS),
  });
}

/** `npm run load`: parse, get tokens, run, summarise. Usage and token problems are messages, not stack traces. */
export async function runLoadCommand(args: string[], io: LoadCommandIo): Promise<LoadCommandResult> {
  let options: LoadOptions;
  let tokens: LoadToken[];
  try {
    const request = parseLoadArguments(args);
    if (request.help) {
      io.stdout.write(`${LOAD_USAGE}\n`);
      return { exitCode: EXIT.completed };
    }
    options = request;
    tokens = await tokensFor(options);
  } catch (error) {
    if (error instanceof LoadUsageError) {
      io.stderr.write(`load: ${error.message}\n\n${LOAD_USAGE}\n`);
      return { exitCode: EXIT.usage };
    }
    if (error instanceof LoadTokenError) {
      io.stderr.write(`load: ${error.message}\n`);
      return { exitCode: EXIT.usage };
    }
    throw error;
  }

  const runId = randomBytes(4).toString('hex');
  const startedAt = new Date();
  const progress = options.json ? undefined : startProgressLine(io.stderr);
  const run = await runLoad({
    url: options.url,
    users: tokens.map((token) => ({ token, knownIds: [] })),
    durationMs: options.durationMs,
    maxRequests: options.maxRequests,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    mix: options.mix,
    runId,
    stop: io.stop,
    onRecord: progress?.count,
  });
  progress?.finish();
  const summary = summariseRun(run, {
    target: options.url,
    runId,
    startedAt,
    concurrency: options.concurrency,
    tenants: tokens.map((token) => token.tenant),
  });
  io.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  return { exitCode: summary.failures > 0 ? EXIT.failures : EXIT.completed, summary };
}
