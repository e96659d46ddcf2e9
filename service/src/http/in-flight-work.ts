/**
 * Work the server has started and must finish before its dependencies close. Fastify's close() only knows the
 * requests it answers itself; MCP requests are hijacked, and a tool keeps running after its client has gone away.
 */
export class InFlightWork {
  readonly #running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.#running.size;
  }

  /** Resolves once everything started so far has settled (including work started while waiting). */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}
