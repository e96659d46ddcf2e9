import { describe, expect, inject, it } from 'vitest';
import { runProgramUnderMocks } from '../harness';

// The store (store.ts) replaces the evaluation of a base run in every infra and policies file: it must be that run.
describe('the shared program-run store', () => {
  it.each([false, true])('serves the same run as a fresh evaluation (preview %s), a copy per call', async (preview) => {
    const shared = await runProgramUnderMocks({ stack: 'staging', preview });
    const fresh = await runProgramUnderMocks({ stack: 'staging', preview, shared: false });
    expect(shared.resources.length).toBeGreaterThan(50);
    expect({ ...shared, durationMs: 0 }).toStrictEqual({ ...fresh, durationMs: 0 });
    const again = await runProgramUnderMocks({ stack: 'staging', preview });
    again.resources.pop();
    expect((await runProgramUnderMocks({ stack: 'staging', preview })).resources).toHaveLength(shared.resources.length);
  });

  it('replaces a recorder killed mid-run; a run asked meanwhile comes from the next one', async () => {
    await runProgramUnderMocks({ stack: 'dev' });
    const recorderPid = async () => Number(await (await fetch(`${inject('programRunStore')}/recorder`)).text());
    const pid = await recorderPid();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    // Asked at once, possibly before the store has seen the death, and asked by no other file (so not recorded
    // already): a recorder answers it (the program's own failure, not "the recorder exited"), so a new one runs.
    const answer = await runProgramUnderMocks({ stack: `never-recorded-${process.pid}` }).catch((e: Error) => e);
    expect(String(answer)).toMatch(/never-recorded-\d+ program run failed/);
    expect(String(answer)).not.toMatch(/recorder .* exited/);
    // The store hears of the death through the child's exit event, which a busy machine may deliver after the answer
    // (seen in CI: the killed process's vitest worker had already answered): wait for it rather than race it.
    await expect.poll(recorderPid, { timeout: 10_000 }).not.toBe(pid);
  });

  it('reports a program that fails as the error of the file that asked', async () => {
    await expect(runProgramUnderMocks({ stack: 'no-such-stack' })).rejects.toThrow(/no-such-stack program run failed/);
  });
});
