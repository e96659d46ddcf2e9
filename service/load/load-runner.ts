import type { Outcome } from './answer-outcome.js';
import { createLoadScenario, type VirtualUser } from './load-scenario.js';
import { postToolCall } from './mcp-post.js';
import { createMixDealer, type LoadKind, type Mix } from './weighted-mix.js';

export interface RunRecord {
  kind: LoadKind;
  outcome: Outcome;
  latencyMs: number | undefined;
  tenant: string;
}

export interface RunPlan {
  url: string;
  users: readonly VirtualUser[];
  durationMs: number;
  maxRequests: number | undefined;
  concurrency: number;
  timeoutMs: number;
  mix: Mix;
  runId: string;
  /** Stops issuing requests (Ctrl-C): the run ends as if its time were up. */
  stop?: AbortSignal;
  /** Called after each request (the progress line counts with it). */
  onRecord?(record: RunRecord): void;
}

export type StopReason = 'duration' | 'requests' | 'interrupted';

export interface RunResult {
  records: RunRecord[];
  elapsedMs: number;
  stoppedBy: StopReason;
}

/**
 * A closed loop: `concurrency` workers, each sending its next request when the last one is answered, until the time
 * or the request budget is spent. Requests in flight at the deadline are awaited (each is bounded by the timeout),
 * so every request issued is in the summary. Callers take turns, so every tenant and user carries its share.
 */
export async function runLoad(plan: RunPlan): Promise<RunResult> {
  if (plan.users.length === 0) throw new Error('runLoad needs at least one user');
  const dealKind = createMixDealer(plan.mix);
  const planCall = createLoadScenario(plan.runId);
  const records: RunRecord[] = [];
  const started = performance.now();
  const deadline = started + plan.durationMs;
  let issued = 0;
  let stoppedBy: StopReason = 'duration';

  const nextTurn = (): number | undefined => {
    if (plan.stop?.aborted) {
      stoppedBy = 'interrupted';
      return undefined;
    }
    if (plan.maxRequests !== undefined && issued >= plan.maxRequests) {
      stoppedBy = 'requests';
      return undefined;
    }
    if (performance.now() >= deadline) return undefined;
    return issued++;
  };

  const worker = async () => {
    for (let turn = nextTurn(); turn !== undefined; turn = nextTurn()) {
      const user = plan.users[turn % plan.users.length] as VirtualUser;
      const call = planCall(dealKind(), user);
      const answer = await postToolCall(plan.url, user.token.token, call.tool, call.args, plan.timeoutMs);
      if (answer.outcome === 'ok' && answer.result) call.learn(answer.result);
      const record = {
        kind: call.kind,
        outcome: answer.outcome,
        latencyMs: answer.latencyMs,
        tenant: user.token.tenant,
      };
      records.push(record);
      plan.onRecord?.(record);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  return { records, elapsedMs: performance.now() - started, stoppedBy };
}
