import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretSource } from './secrets-provider.js';

/**
 * Secrets as files, one per secret, as the Secrets Store CSI driver mounts them. The driver rotates a secret by
 * swapping the file (a symlink to a new timestamped directory), so each read stats the file and reads it again when
 * its identity, size or modification time changed: the next new connection uses the rotated value, no restart.
 * An absent or empty file is "not here"; any other read failure (permissions, a directory) is an error.
 */
export function fileSecretSource(dir: string): SecretSource {
  const cache = new Map<string, { signature: string; value: string | undefined }>();
  return {
    description: `files under ${dir}`,
    async read(name) {
      const path = join(dir, name);
      let signature: string;
      try {
        const info = await stat(path);
        signature = `${info.ino}:${info.size}:${info.mtimeMs}`;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read secret file ${path}: ${(error as Error).message}`);
      }
      const cached = cache.get(name);
      if (cached?.signature === signature) return cached.value;
      let value: string | undefined;
      try {
        value = (await readFile(path, 'utf8')).trim() || undefined;
      } catch (error) {
        throw new Error(`cannot read secret file ${path}: ${(error as Error).message}`);
      }
      cache.set(name, { signature, value });
      return value;
    },
  };
}
