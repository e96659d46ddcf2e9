import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports for servers whose URL must be known before they listen. Asking the kernel for port 0 and closing it raced
 * with the other test files running beside it (EADDRINUSE in CI): the kernel hands the same ephemeral ports to every
 * `listen(0)` and to every outgoing connection. These come from below the ephemeral range instead, from a slice of
 * it that belongs to this vitest worker alone, and are checked free before they are given out.
 */
const SLICE = 1_000;
const FIRST_PORT = 20_000;

function ephemeralRangeStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

const worker = Number(process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? 1);
const slices = Math.max(1, Math.floor((ephemeralRangeStart() - FIRST_PORT) / SLICE));
const sliceStart = FIRST_PORT + ((worker - 1) % slices) * SLICE;
let next = sliceStart + Math.floor(Math.random() * SLICE);

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port that is free now and that no other test file is handed. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < SLICE; attempt++) {
    const port = next;
    next = sliceStart + ((next - sliceStart + 1) % SLICE);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port in ${sliceStart}-${sliceStart + SLICE - 1}`);
}
