/**
 * The recorder behind store.ts: runs in its own vitest process (the harness needs vitest's module reset), asks the
 * store which base run to record next, evaluates it and posts it back, until the store shuts it down.
 */
import { it } from 'vitest';
import { runProgramUnderMocks } from '../harness';

it('records base program runs on demand', async () => {
  const store = process.env.PROGRAM_RUN_STORE;
  if (!store) throw new Error('PROGRAM_RUN_STORE is not set: infra/test/shared-runs/store.ts starts this recorder.');
  for (;;) {
    const key = await nextKey(store);
    if (key === undefined) return;
    const [stack = '', mode] = key.split(':');
    let verb = 'runs';
    let body: string;
    try {
      body = JSON.stringify(await runProgramUnderMocks({ stack, preview: mode === 'preview', shared: false }));
    } catch (error) {
      verb = 'failed';
      body = `the ${key} program run failed: ${(error as Error).stack ?? String(error)}`;
    }
    await fetch(`${store}/${verb}/${encodeURIComponent(key)}`, { method: 'POST', body });
  }
});

/**
 * The next key the store wants recorded. An idle long poll may time out in the client (undici's five minutes): ask
 * again. A store that no longer answers (its test run ended without killing this process) ends the recorder.
 */
async function nextKey(store: string): Promise<string | undefined> {
  for (;;) {
    try {
      return await (await fetch(`${store}/next`)).text();
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return undefined;
    }
  }
}
