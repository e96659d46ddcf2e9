import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV, PATHS } from '../../src/contract.js';
import { freePort } from '../helpers/free-port.js';
import { rawRequest } from '../helpers/raw-http.js';

const SERVICE_DIR = join(import.meta.dirname, '..', '..');

export interface ServiceProcess {
  baseUrl: string;
  mcpUrl: string;
  child: ChildProcess;
  /** Every log line the process wrote (stdout and stderr), parsed where it is JSON. */
  readonly logs: Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Ends the process if it is still running (afterAll, also after a failed test). */
  kill(): Promise<void>;
}

/**
 * The production entry point (src/main.ts: configuration, listen, signal handling) in a process of its own, so a
 * test can send it a real SIGTERM. The URL its tokens are minted for is known before it starts.
 */
export async function startServiceProcess(options: {
  port: number;
  env: Record<string, string>;
  startupTimeoutMs?: number;
}): Promise<ServiceProcess> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVICE_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      [ENV.port]: String(options.port),
      [ENV.host]: '127.0.0.1',
      [ENV.metricsPort]: String(await freePort()),
      [ENV.logLevel]: 'info',
      [ENV.secretsDir]: mkdtempSync(join(tmpdir(), 'mcp-secrets-')),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  for (const stream of [child.stdout, child.stderr]) {
    let pending = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines.filter((l) => l.trim() !== '')) {
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          logs.push({ msg: line });
        }
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const kill = async () => {
    if (!running) return;
    child.kill('SIGKILL');
    await exited;
  };

  const deadline = Date.now() + (options.startupTimeoutMs ?? 20_000);
  for (;;) {
    const health = await rawRequest(`${baseUrl}${PATHS.health}`).catch(() => undefined);
    if (health?.status === 200) break;
    if (!running || Date.now() > deadline) {
      await kill();
      throw new Error(`the service process did not start: ${JSON.stringify(logs.slice(-5))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { baseUrl, mcpUrl: `${baseUrl}${PATHS.mcp}`, child, logs, exited, kill };
}
