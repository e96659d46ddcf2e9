import { describe, expect, it } from 'vitest';
import {
  type CircuitBreaker,
  CircuitOpenError,
  type CircuitStateChange,
  createCircuitBreaker,
} from '../../src/security/circuit-breaker.js';

/** A breaker on a clock the test moves by hand, recording its state changes. */
function breakerOnTestClock(failureThreshold = 3, openMs = 1_000) {
  const clock = { now: 0 };
  const changes: CircuitStateChange[] = [];
  const breaker = createCircuitBreaker({
    name: 'test',
    failureThreshold,
    openMs,
    now: () => clock.now,
    onStateChange: (change) => changes.push(change),
  });
  return { breaker, clock, changes };
}

const answer = async () => 'answered';
const failure = new Error('Command timed out');
const fail = async () => {
  throw failure;
};

/** Runs the call and says what happened: answered, failed (the call's own error), or refused by the open circuit. */
async function outcomeOf(breaker: CircuitBreaker, call: () => Promise<string>, isFailure?: (e: unknown) => boolean) {
  let calls = 0;
  try {
    await breaker.run(async () => {
      calls++;
      return call();
    }, isFailure);
    return 'answered';
  } catch (error) {
    if (!(error instanceof CircuitOpenError)) return 'failed';
    expect(calls).toBe(0);
    return 'refused';
  }
}

describe('circuit breaker', () => {
  it('opens after the threshold of consecutive failures, then refuses without calling', async () => {
    const { breaker, changes } = breakerOnTestClock(3);
    expect([await outcomeOf(breaker, fail), await outcomeOf(breaker, fail)]).toEqual(['failed', 'failed']);
    expect(breaker.state).toBe('closed');
    expect(await outcomeOf(breaker, fail)).toBe('failed');
    expect(breaker.state).toBe('open');
    expect(await outcomeOf(breaker, answer)).toBe('refused');
    expect(changes).toEqual([{ from: 'closed', to: 'open', reason: 'failures', cause: failure }]);
  });

  it('counts only consecutive failures: an answer in between starts over', async () => {
    const { breaker } = breakerOnTestClock(3);
    for (const call of [fail, fail, answer, fail, fail]) await outcomeOf(breaker, call);
    expect(breaker.state).toBe('closed');
  });

  it('does not count a rejection that is an answer (e.g. a rate-limit refusal) as a failure', async () => {
    const { breaker } = breakerOnTestClock(1);
    const refusal = new Error('refused by the counters');
    const outcome = await outcomeOf(
      breaker,
      async () => {
        throw refusal;
      },
      (error) => error !== refusal,
    );
    expect(outcome).toBe('failed');
    expect(breaker.state).toBe('closed');
  });

  it('lets exactly one probe through once the open period is over, and closes when it answers', async () => {
    const { breaker, clock, changes } = breakerOnTestClock(1, 1_000);
    await outcomeOf(breaker, fail);
    clock.now = 999;
    expect(await outcomeOf(breaker, answer)).toBe('refused');
    clock.now = 1_000;
    let release = () => {};
    const probe = breaker.run(() => new Promise<string>((resolve) => (release = () => resolve('late answer'))));
    expect(breaker.state).toBe('half-open');
    // While the probe is out, everyone else is still refused at once.
    expect(await outcomeOf(breaker, answer)).toBe('refused');
    release();
    expect(await probe).toBe('late answer');
    expect(breaker.state).toBe('closed');
    expect(await outcomeOf(breaker, answer)).toBe('answered');
    expect(changes.map((c) => `${c.to} (${c.reason})`)).toEqual([
      'open (failures)',
      'half-open (open period over)',
      'closed (probe answered)',
    ]);
  });

  it('reopens for another full period when the probe fails', async () => {
    const { breaker, clock } = breakerOnTestClock(1, 1_000);
    await outcomeOf(breaker, fail);
    clock.now = 1_000;
    expect(await outcomeOf(breaker, fail)).toBe('failed');
    expect(breaker.state).toBe('open');
    clock.now = 1_999;
    expect(await outcomeOf(breaker, answer)).toBe('refused');
    clock.now = 2_000;
    expect(await outcomeOf(breaker, answer)).toBe('answered');
    expect(breaker.state).toBe('closed');
  });

  it('closes at once on reset, and a call from before does not reopen it', async () => {
    const { breaker, changes } = breakerOnTestClock(1, 60_000);
    let failLate = (_error: Error) => {};
    const slow = breaker.run(() => new Promise<string>((_resolve, reject) => (failLate = reject)));
    await outcomeOf(breaker, fail);
    expect(breaker.state).toBe('open');

    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(await outcomeOf(breaker, answer)).toBe('answered');
    // The slow call was started before the reset: its failure says nothing about the connection we have now.
    failLate(failure);
    await expect(slow).rejects.toBe(failure);
    expect(breaker.state).toBe('closed');
    expect(changes.at(-1)).toEqual({ from: 'open', to: 'closed', reason: 'reset' });
  });
});
