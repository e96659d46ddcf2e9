/**
 * closed: calls go through. open: calls are refused at once, so a hung dependency costs nothing per call.
 * half-open: the open period is over and one probe call is in flight; its outcome closes or reopens the circuit.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Thrown instead of calling while the circuit is open (or its one probe is in flight). */
export class CircuitOpenError extends Error {
  readonly code = 'CIRCUIT_OPEN';
  constructor(name: string) {
    super(`circuit "${name}" is open`);
    this.name = 'CircuitOpenError';
  }
}

export interface CircuitStateChange {
  from: CircuitState;
  to: CircuitState;
  /** The failure that opened the circuit; absent when it closed. */
  cause?: unknown;
  /** `reset`: the dependency answered by other means (see CircuitBreaker.reset). */
  reason: 'failures' | 'open period over' | 'probe failed' | 'probe answered' | 'reset';
}

export interface CircuitBreakerOptions {
  /** Names the circuit in errors. */
  name: string;
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one probe call may go through. */
  openMs: number;
  onStateChange?: (change: CircuitStateChange) => void;
  /** Milliseconds; injectable so tests need not wait out the open period. */
  now?: () => number;
}

export interface CircuitBreaker {
  readonly state: CircuitState;
  /**
   * Runs the call while closed, or as the one probe once the open period is over; otherwise rejects at once with
   * CircuitOpenError. A rejection for which `isFailure` answers false (e.g. a rate-limit refusal: the dependency
   * did answer) counts as an answer.
   */
  run<T>(call: () => Promise<T>, isFailure?: (error: unknown) => boolean): Promise<T>;
  /** The dependency proved it answers by other means (e.g. a new connection passed its ready check): close now. */
  reset(): void;
}

/**
 * A consecutive-failure circuit breaker. Written here rather than taken from a library because it needs exactly
 * two things libraries make awkward: counting only some rejections as failures, and closing from outside when the
 * Redis client reports a fresh, ready connection.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: CircuitState = 'closed';
  let failures = 0;
  let openedAt = 0;
  // A probe started in an earlier generation (before a reset or a reopening) must not decide the current one.
  let generation = 0;

  const moveTo = (to: CircuitState, reason: CircuitStateChange['reason'], cause?: unknown) => {
    const from = state;
    if (from === to) return;
    state = to;
    generation++;
    if (to === 'open') openedAt = now();
    if (to === 'closed') failures = 0;
    options.onStateChange?.({ from, to, reason, ...(cause !== undefined && { cause }) });
  };

  const succeeded = (callGeneration: number) => {
    if (callGeneration !== generation) return;
    failures = 0;
    if (state === 'half-open') moveTo('closed', 'probe answered');
  };

  const failed = (callGeneration: number, error: unknown) => {
    if (callGeneration !== generation) return;
    if (state === 'half-open') {
      moveTo('open', 'probe failed', error);
      return;
    }
    failures++;
    if (state === 'closed' && failures >= options.failureThreshold) moveTo('open', 'failures', error);
  };

  return {
    get state() {
      return state;
    },
    async run(call, isFailure = () => true) {
      if (state === 'half-open' || (state === 'open' && now() - openedAt < options.openMs)) {
        throw new CircuitOpenError(options.name);
      }
      if (state === 'open') moveTo('half-open', 'open period over');
      const callGeneration = generation;
      try {
        const result = await call();
        succeeded(callGeneration);
        return result;
      } catch (error) {
        if (isFailure(error)) failed(callGeneration, error);
        else succeeded(callGeneration);
        throw error;
      }
    },
    reset() {
      failures = 0;
      moveTo('closed', 'reset');
    },
  };
}
