/** What an operations command logs: one JSON line per step, never a password or token. */
export interface OpsLogger {
  info(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

// pino's numeric levels, so the cluster's log pipeline reads these lines like the service's own.
const INFO = 30;
const ERROR = 50;

/** Writes to stdout by default; tests pass a function that collects the lines. */
export function createOpsLogger(write: (line: string) => void = (line) => process.stdout.write(line)): OpsLogger {
  const emit = (level: number, message: string, details: Record<string, unknown> = {}) =>
    write(`${JSON.stringify({ level, time: Date.now(), msg: message, ...details })}\n`);
  return {
    info: (message, details) => emit(INFO, message, details),
    error: (message, details) => emit(ERROR, message, details),
  };
}
