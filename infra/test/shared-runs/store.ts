/**
 * vitest globalSetup of the infra and policies projects: one recorder for the program runs on the base test config,
 * shared by every test file. A base run (`runProgramUnderMocks({ stack })`, with or without `preview`) costs a
 * second or two of CPU and a dozen files ask for the same six; evaluated once each in one child process, they are
 * served to the files over a loopback HTTP server.
 *
 *   GET  /runs/<stack>[?preview=true]   a file asks for a run; the answer waits until the recorder has it
 *   GET  /next                          the recorder asks for the next key to record (waits for a request)
 *   POST /runs/<key>                    the recorder hands a run over (JSON), or `POST /failed/<key>` an error
 *   GET  /recorder                      the recorder's pid (0 when none runs), for the store's own fault test
 *
 * Runs are recorded only when a file asks (a single test file records only what it needs). When the recorder dies,
 * every waiting file gets its output as the error, so a broken program fails the tests that need it, loudly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { vitestRunArgs } from '../vitest-runner';
import './client';

const repositoryRoot = join(__dirname, '..', '..', '..');

interface Entry {
  promise: Promise<string>;
  settled: boolean;
  /** Recorders asked for it so far. */
  attempts: number;
  resolve(json: string): void;
  reject(error: Error): void;
}

class RunStore {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private waitingRecorder: ((key: string) => void) | undefined;
  private recorder: ChildProcess | undefined;
  private recorderOutput = '';
  readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      this.handle(request, response)
        .then((body) => response.writeHead(200, { 'content-type': 'application/json' }).end(body))
        .catch((error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(error.message));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.recorder?.kill('SIGKILL');
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<string> {
    const url = new URL(request.url ?? '/', 'http://store');
    const [, verb, encodedKey] = url.pathname.split('/');
    const key = encodedKey && decodeURIComponent(encodedKey);
    if (request.method === 'GET' && verb === 'runs' && key) {
      return this.entry(`${key}${url.searchParams.get('preview') === 'true' ? ':preview' : ''}`).promise;
    }
    // For the store's own test: the recorder's pid (0 when none runs), so it can be killed as a fault.
    if (request.method === 'GET' && verb === 'recorder') return String(this.recorder?.pid ?? 0);
    if (request.method === 'GET' && verb === 'next') {
      const next = this.queue.shift();
      if (next !== undefined) return next;
      return new Promise<string>((resolve) => {
        const waiting = (key: string) => resolve(key);
        this.waitingRecorder = waiting;
        // A long poll the recorder gave up on (its client timed out) must not swallow the next key.
        response.on('close', () => {
          if (this.waitingRecorder === waiting) this.waitingRecorder = undefined;
        });
      });
    }
    if (request.method === 'POST' && (verb === 'runs' || verb === 'failed') && key) {
      const body = await readBody(request);
      const entry = this.entry(key);
      if (verb === 'runs') entry.resolve(body);
      else entry.reject(new Error(body));
      return '{}';
    }
    throw new Error(`unknown request ${request.method} ${url.pathname}`);
  }

  private entry(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry) return entry;
    let settle!: { resolve: (json: string) => void; reject: (error: Error) => void };
    const promise = new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
    promise.catch(() => undefined);
    const created: Entry = {
      promise,
      settled: false,
      attempts: 1,
      resolve(json) {
        created.settled = true;
        settle.resolve(json);
      },
      reject(error) {
        created.settled = true;
        settle.reject(error);
      },
    };
    entry = created;
    this.entries.set(key, entry);
    this.enqueue(key);
    return entry;
  }

  private enqueue(key: string): void {
    this.startRecorder();
    if (this.waitingRecorder) {
      const wake = this.waitingRecorder;
      this.waitingRecorder = undefined;
      wake(key);
    } else this.queue.push(key);
  }

  private startRecorder(): void {
    if (this.recorder) return;
    const address = this.server.address() as AddressInfo;
    const recorder = spawn(process.execPath, vitestRunArgs(join(__dirname, 'record.vitest.config.mts')), {
      cwd: repositoryRoot,
      env: { ...process.env, PROGRAM_RUN_STORE: `http://127.0.0.1:${address.port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.recorderOutput = (this.recorderOutput + chunk.toString()).slice(-20_000);
    };
    recorder.stdout?.on('data', keep);
    recorder.stderr?.on('data', keep);
    recorder.on('exit', (code, signal) => {
      const error = new Error(
        `the program-run recorder (infra/test/shared-runs/record.run.ts) exited (${signal ?? code}):\n${this.recorderOutput}`,
      );
      // The runs it delivered stay. A run still awaited is asked of a new recorder once (it may have been requested
      // just as this one died); a second death fails it with the recorder's output.
      this.queue.length = 0;
      this.waitingRecorder = undefined;
      this.recorder = undefined;
      for (const [key, entry] of this.entries) {
        if (entry.settled) continue;
        if (entry.attempts >= 2) {
          entry.reject(error);
          this.entries.delete(key);
        } else {
          entry.attempts += 1;
          this.enqueue(key);
        }
      }
    });
    this.recorder = recorder;
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

// The infra and policies projects both name this setup; they share one store in vitest's main process.
const SHARED = Symbol.for('secure-mcp-azure.program-run-store');
type Holder = { store: RunStore; url: Promise<string>; users: number };
const registry = globalThis as unknown as Record<symbol, Holder | undefined>;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let holder = registry[SHARED];
  if (!holder) {
    const store = new RunStore();
    holder = { store, url: store.listen(), users: 0 };
    registry[SHARED] = holder;
  }
  holder.users += 1;
  project.provide('programRunStore', await holder.url);
  return async () => {
    const current = registry[SHARED];
    if (!current) return;
    current.users -= 1;
    if (current.users > 0) return;
    registry[SHARED] = undefined;
    await current.store.close();
  };
}
