import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The MCP server's container memory limit in prod (stacks/prod.ts, workload.resources.limits.memory; a test in
 * infra/test keeps the two equal). In a container Node sizes its heap from the cgroup's limit; without one it sizes it
 * from the machine's memory (24 GiB here) and lets garbage pile up to hundreds of MiB before collecting, so an RSS
 * measured outside a limit says nothing about the pod.
 */
export const PROD_CONTAINER_MEMORY = '512Mi';

export interface MemoryLimit {
  bytes: number;
  /** The file a process writes its pid to, to join the group (children inherit it). */
  procsFile: string;
  describe: string;
  remove(): void;
}

const UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** A Kubernetes binary quantity (e.g. 512Mi) in bytes. */
export function quantityBytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`not a binary quantity like 512Mi: ${quantity}`);
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}

/**
 * A memory cgroup limited to `quantity`, as a pod's container gets: v2 (memory.max) or v1 (memory.limit_in_bytes),
 * where this user may create one (root on this machine and on CI). Otherwise the reason it cannot, to print.
 */
export function createMemoryLimit(quantity: string, name: string): MemoryLimit | { unavailable: string } {
  const bytes = quantityBytes(quantity);
  const candidates = [
    { root: '/sys/fs/cgroup', limitFile: 'memory.max', version: 'v2' },
    { root: '/sys/fs/cgroup/memory', limitFile: 'memory.limit_in_bytes', version: 'v1' },
  ];
  const reasons: string[] = [];
  for (const { root, limitFile, version } of candidates) {
    const controllers = join(root, 'cgroup.controllers');
    if (version === 'v2' && !(existsSync(controllers) && readFileSync(controllers, 'utf8').includes('memory')))
      continue;
    if (version === 'v1' && !existsSync(join(root, limitFile))) continue;
    const dir = join(root, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, limitFile), String(bytes));
      return {
        bytes,
        procsFile: join(dir, 'cgroup.procs'),
        describe: `${quantity} (prod's container limit), memory cgroup ${version} ${dir}`,
        remove() {
          try {
            rmdirSync(dir);
          } catch {
            // Still holds a process that is exiting; the kernel keeps an empty group, harmless.
          }
        },
      };
    } catch (error) {
      reasons.push(`${version}: ${(error as Error).message}`);
    }
  }
  return { unavailable: reasons.length > 0 ? reasons.join('; ') : 'no memory cgroup controller on this machine' };
}
