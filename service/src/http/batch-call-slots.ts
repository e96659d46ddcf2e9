import type { AuthInfo } from '@modelcontextprotocol/server';

/** How many calls of one JSON-RPC batch may run at once unless configured (MCP_BATCH_CONCURRENCY). */
export const DEFAULT_BATCH_CONCURRENCY = 4;

/** Counts the calls waiting for a slot (the mcp_batch_calls_waiting gauge); none when absent. */
export interface WaitingCallsGauge {
  inc(): void;
  dec(): void;
}

/**
 * The slots of one request's data accesses. The SDK dispatches every message of a batch at once, so without a bound
 * one batch of 100 calls would ask the pool for 100 connections and queue every other caller behind it; with it, at
 * most `limit` of the batch run at a time and the rest wait here, in order, holding no connection.
 */
export class BatchCallSlots {
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(
    readonly limit: number,
    private readonly waitingGauge?: WaitingCallsGauge,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running < this.limit) {
      this.#running += 1;
    } else {
      this.waitingGauge?.inc();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      this.waitingGauge?.dec();
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}

/** The key in AuthInfo.extra under which the HTTP layer hands a batch's slots to the tools. */
const SLOTS_KEY = 'batchCallSlots';

/** Attaches a batch's slots to the request's AuthInfo, which the SDK passes to every handler of that request. */
export function withBatchCallSlots(auth: AuthInfo, slots: BatchCallSlots): void {
  auth.extra = { ...auth.extra, [SLOTS_KEY]: slots };
}

/** The slots a data access must run in, or undefined outside a batch. */
export function batchCallSlotsOf(authInfo: AuthInfo | undefined): BatchCallSlots | undefined {
  const slots = authInfo?.extra?.[SLOTS_KEY];
  return slots instanceof BatchCallSlots ? slots : undefined;
}
