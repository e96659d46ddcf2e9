import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';

/** Whether this machine can run the Redis fault tests (they need a redis-server of their own). */
export const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * A throw-away redis-server of our own on a loopback port, never the machine's shared one: the fault tests hang,
 * kill and restart it. No persistence, so a restart on the same port is an empty Redis, as after a failover.
 */
export interface RedisServerProcess {
  readonly port: number;
  readonly url: string;
  /** SIGSTOP: the process keeps its sockets open but answers nothing (a hung server or a black-holed network). */
  hang(): void;
  /** SIGCONT after hang(). */
  resume(): void;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

export async function startRedisServer(port: number): Promise<RedisServerProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await readyToAcceptConnections(child);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    hang: () => child.kill('SIGSTOP'),
    resume: () => child.kill('SIGCONT'),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      // A stopped process still dies of SIGKILL.
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function readyToAcceptConnections(child: ChildProcess): Promise<void> {
  let output = '';
  return new Promise<void>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`redis-server exited with ${code}: ${output}`));
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.off('exit', onExit);
        // Keep draining its output, or a full pipe would block the server.
        child.stdout?.resume();
        resolve();
      }
    });
  });
}
