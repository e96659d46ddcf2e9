/**
 * `npm run load -- http://127.0.0.1:8080/mcp [--duration 30s] [--json]`: the guide's load scenario against an MCP
 * endpoint (see load-options.ts for the options and the exit status).
 */
import { runLoadCommand } from './load-command.js';

const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

runLoadCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stop: interrupt.signal }).then(
  ({ exitCode }) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
