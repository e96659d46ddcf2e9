/**
 * For the bench's own child processes: the parent holds our stdin open, so its end means the parent is gone (even
 * killed with SIGKILL, when it could not stop us). Then, and on SIGTERM/SIGINT, we close and exit.
 */
export function exitWithParent(close: () => Promise<void> = async () => {}): void {
  let closing = false;
  const exit = () => {
    if (closing) return;
    closing = true;
    void close()
      .catch(() => {})
      .finally(() => process.exit(0));
  };
  process.stdin.on('end', exit);
  process.stdin.on('error', exit);
  process.stdin.resume();
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
}

/** The one line the parent waits for (processes.ts reads JSON lines from stdout). */
export function announce(value: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
