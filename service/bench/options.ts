import { parseArgs } from 'node:util';
import { PROD_CONTAINER_MEMORY, quantityBytes } from './memory-limit.js';

export interface BenchOptions {
  seconds: number;
  connections: number;
  warmupSeconds: number;
  /** 0: no soak. */
  soakSeconds: number;
  /** Undefined: 1,000,000 on a Postgres server, fewer on the embedded one (see bench.ts). */
  documents?: number;
  /** Scenario names containing any of these (empty: all). */
  only: string[];
  build: boolean;
  embedded: boolean;
  /** Drop the bench database first (migrations and seed from scratch). */
  fresh: boolean;
  /** Each server's memory cgroup limit, a Kubernetes quantity; undefined: none. */
  memoryLimit?: string;
}

export const USAGE = `npm run bench -- [options]
  --seconds N       measured seconds per scenario (default 10)
  --connections N   concurrent connections (default 50)
  --warmup N        unmeasured seconds before each scenario (default 1)
  --soak N          after the scenarios, N seconds of mixed load on the service, RSS every 30 s (default 0: none)
  --documents N     documents to seed, 10 % in the caller's tenant (default 1000000; 20000 on the embedded Postgres)
  --only a,b        only the scenarios whose names contain one of these (e.g. --only "tools/list,search")
  --no-build        measure the existing service/dist instead of building it first
  --embedded        use the embedded Postgres even when a server is reachable
  --fresh           drop the database mcp_bench first: migrations and seed from scratch
  --memory-limit Q  each server in a memory cgroup of Q, as in its pod (default ${PROD_CONTAINER_MEMORY}, prod's; "none": the
                    machine's whole memory, where V8 lets garbage grow to hundreds of MiB)
  --help`;

export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      connections: { type: 'string' },
      warmup: { type: 'string' },
      soak: { type: 'string' },
      documents: { type: 'string' },
      only: { type: 'string' },
      'no-build': { type: 'boolean' },
      embedded: { type: 'boolean' },
      fresh: { type: 'boolean' },
      'memory-limit': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  return {
    seconds: count('seconds', values.seconds, 10, 1),
    connections: count('connections', values.connections, 50, 1),
    warmupSeconds: count('warmup', values.warmup, 1, 0),
    soakSeconds: count('soak', values.soak, 0, 0),
    documents: values.documents === undefined ? undefined : count('documents', values.documents, 0, 2_000),
    only: (values.only ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
    build: !values['no-build'],
    embedded: values.embedded ?? false,
    fresh: values.fresh ?? false,
    memoryLimit: memoryLimit(values['memory-limit']),
  };
}

function memoryLimit(value: string | undefined): string | undefined {
  if (value === 'none') return undefined;
  const quantity = value ?? PROD_CONTAINER_MEMORY;
  quantityBytes(quantity);
  return quantity;
}

function count(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
  return number;
}
