import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** A process the benchmark started: servers, the issuer, the load generator. */
export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The last lines it wrote (stdout and stderr), to explain a failure. */
  tail(): string;
  /** Its stdout lines that are JSON objects, as they come. */
  nextJson<T>(timeoutMs: number): Promise<T>;
  /** Exit code, or the signal's name. */
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

const TAIL_CHARS = 8_000;
const STOP_GRACE_MS = 10_000;
const running = new Set<Child>();

// Resolved here, so the children find tsx wherever npm hoisted it; `node --import` keeps the server's own pid (the
// tsx CLI would run it in a grandchild whose RSS we could not read).
const TSX_LOADER = import.meta.resolve('tsx');

/**
 * Runs an entry point of this folder (e.g. 'issuer-process.ts') in its own Node process, with the tsx loader (it
 * costs start-up time only).
 */
export function spawnTypeScript(
  name: string,
  benchFile: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
  placement: Placement = {},
): Child {
  const file = fileURLToPath(new URL(`./${benchFile}`, import.meta.url));
  // stdin stays open as a lifeline: the child ends itself when it closes (see lifeline.ts), even if we are killed.
  return spawnNode(name, ['--import', TSX_LOADER, file, ...args], { ...process.env, ...env }, 'pipe', placement);
}

export interface Placement {
  /** A cgroup's cgroup.procs: the process joins it before Node starts (see memory-limit.ts). */
  cgroupProcs?: string;
}

/**
 * Runs built JavaScript (the production build of the service) with `env` and nothing else of ours: no setting of
 * the developer's shell (DATABASE_MIGRATION_URL, NODE_OPTIONS, ...) changes what is measured.
 */
export function spawnJavaScript(
  name: string,
  file: string,
  env: Record<string, string>,
  placement: Placement = {},
): Child {
  const { PATH, HOME, LANG, TZ } = process.env;
  const base = Object.fromEntries(Object.entries({ PATH, HOME, LANG, TZ }).filter(([, value]) => value !== undefined));
  return spawnNode(name, [file], { ...base, ...env }, 'ignore', placement);
}

function spawnNode(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin: 'pipe' | 'ignore',
  placement: Placement,
): Child {
  // The shell joins the cgroup, then becomes Node (exec): same pid, and Node starts inside the limit it sizes its
  // heap from.
  const [command, argv] = placement.cgroupProcs
    ? ['/bin/sh', ['-c', 'echo $$ > "$1" && shift && exec "$0" "$@"', process.execPath, placement.cgroupProcs, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, { env, stdio: [stdin, 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  const jsonLines: unknown[] = [];
  const waiters: Array<(value: unknown) => void> = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    keep(chunk);
    partial += chunk.toString('utf8');
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else jsonLines.push(value);
    }
  });
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(handle);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const handle: Child = {
    name,
    pid: child.pid,
    process: child,
    tail: () => tail,
    exited,
    async nextJson<T>(timeoutMs: number): Promise<T> {
      if (jsonLines.length > 0) return jsonLines.shift() as T;
      let waiter: (value: unknown) => void = () => {};
      const line = new Promise<unknown>((resolve) => {
        waiter = resolve;
        waiters.push(resolve);
      });
      const outcome = await Promise.race([
        line.then((value) => ({ value })),
        exited.then((code) => ({ exit: code })),
        sleep(timeoutMs, undefined, { ref: false }).then(() => ({ timeout: true })),
      ]);
      if ('value' in outcome) return outcome.value as T;
      // Gone or silent: a line printed later must not go to this abandoned wait.
      const index = waiters.indexOf(waiter);
      if (index >= 0) waiters.splice(index, 1);
      const why = 'exit' in outcome ? `exited (${outcome.exit})` : `said nothing for ${timeoutMs} ms`;
      throw new Error(`${name} ${why} before printing its JSON line. Its last output:\n${tail}`);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const outcome = await Promise.race([
        exited,
        sleep(STOP_GRACE_MS, undefined, { ref: false }).then(() => 'timeout' as const),
      ]);
      if (outcome === 'timeout') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  running.add(handle);
  return handle;
}

/** Stops every child still running, newest first (the load generator before the servers it talks to). */
export async function stopAll(): Promise<void> {
  for (const child of [...running].reverse()) await child.stop();
}

/**
 * No child outlives the benchmark: stopped on Ctrl-C and SIGTERM, killed on any other exit (an uncaught error
 * included). The handlers run once; a second Ctrl-C during the stop kills at once.
 */
export function stopChildrenOnExit(): void {
  process.on('exit', () => {
    for (const child of running) child.process.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the benchmark's processes\n`);
      process.once(signal, () => process.exit(130));
      void stopAll().finally(() => process.exit(130));
    });
  }
}

/** Resident set size from /proc (Linux); undefined elsewhere or once the process is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Milliseconds from `startedAt` until `url` first answers 200, polled every 10 ms. Fails when the process exits
 * first or after `timeoutMs`.
 */
export async function waitForOk(child: Child, url: string, startedAt: number, timeoutMs: number): Promise<number> {
  let exit: number | string | undefined;
  void child.exited.then((code) => {
    exit = code;
  });
  for (;;) {
    const status = await fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
      async (response) => {
        await response.body?.cancel();
        return response.status;
      },
      () => 0,
    );
    const elapsed = performance.now() - startedAt;
    if (status === 200) return elapsed;
    if (exit !== undefined) {
      throw new Error(`${child.name} exited (${exit}) before ${url} answered 200:\n${child.tail()}`);
    }
    if (elapsed > timeoutMs) {
      throw new Error(`${child.name}: ${url} did not answer 200 within ${timeoutMs} ms:\n${child.tail()}`);
    }
    await sleep(10);
  }
}
