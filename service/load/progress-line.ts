import type { RunRecord } from './load-runner.js';

export interface ProgressLine {
  count(record: RunRecord): void;
  /** Prints the last figures and stops the timer. */
  finish(): void;
}

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const TTY_EVERY_MS = 250;
/** A log (CI, a pipe) gets a line now and then instead of a line rewritten in place. */
const LOG_EVERY_MS = 5_000;

/** "load 12.3s  1234 requests  100.3 req/s  2 errors" on stderr, rewritten in place on a terminal. */
export function startProgressLine(output: ProgressOutput, now: () => number = () => performance.now()): ProgressLine {
  const started = now();
  let requests = 0;
  let errors = 0;
  const text = () => {
    const seconds = (now() - started) / 1000;
    const rate = seconds > 0 ? requests / seconds : 0;
    return `load ${seconds.toFixed(1)}s  ${requests} requests  ${rate.toFixed(1)} req/s  ${errors} errors`;
  };
  const print = () => output.write(output.isTTY ? `\r\x1b[2K${text()}` : `${text()}\n`);
  const timer = setInterval(print, output.isTTY ? TTY_EVERY_MS : LOG_EVERY_MS);
  timer.unref();
  return {
    count(record) {
      requests += 1;
      if (record.outcome !== 'ok') errors += 1;
    },
    finish() {
      clearInterval(timer);
      if (output.isTTY) output.write(`\r\x1b[2K${text()}\n`);
    },
  };
}
