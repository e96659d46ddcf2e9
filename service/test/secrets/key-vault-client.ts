import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { ClientRequest } from './key-vault-client-process.js';

const SERVICE_DIR = join(import.meta.dirname, '..', '..');

export interface KeyVaultClientProcess {
  /** Resolves with the child's answer; a failed read rejects with an Error carrying the child's name and message. */
  call<T = Record<string, unknown>>(request: ClientRequest): Promise<T>;
  get(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface RemoteError extends Error {
  configError: boolean;
}

/** Starts key-vault-client-process.ts trusting the given CA (NODE_EXTRA_CA_CERTS), reading from the given vault. */
export async function startKeyVaultClient(options: {
  vaultUrl: string;
  caFile: string;
  secretsDir: string;
}): Promise<KeyVaultClientProcess> {
  const child: ChildProcess = fork(
    join(import.meta.dirname, 'key-vault-client-process.ts'),
    [options.vaultUrl, options.secretsDir],
    {
      cwd: SERVICE_DIR,
      execArgv: ['--import', 'tsx'],
      env: { PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: options.caFile },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`key vault client process exited with ${code} before it was ready`)));
    child.on(
      'message',
      (message: { ready?: boolean; id?: number; ok?: boolean; result?: unknown; error?: RemoteError }) => {
        if (message.ready) return resolve();
        const call = waiting.get(message.id ?? -1);
        if (!call) return;
        waiting.delete(message.id ?? -1);
        if (message.ok) call.resolve(message.result);
        else call.reject(Object.assign(new Error(message.error?.message), message.error));
      },
    );
  });
  const call = <T>(request: ClientRequest) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });
  return {
    call,
    get: async (name) => (await call<{ value: string }>({ op: 'get', name })).value,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
