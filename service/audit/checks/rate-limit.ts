import { type Check, fail, pass, skip } from '../check.js';
import { type AuditResponse, headerOf } from '../http-client.js';
import { postMcp, toolsListMessage } from '../target.js';

/** Requests in flight at once: fast enough to reach a per-minute budget, gentle enough for a shared deployment. */
const PARALLEL = 4;

interface Flood {
  refused?: AuditResponse;
  /** A non-2xx, non-429 answer that stopped the flood (e.g. the token refused). */
  stoppedBy?: AuditResponse;
  requests: number;
  callsSent: number;
  callsAdmitted: number;
  limit?: number;
}

/** RateLimit-Limit (draft-ietf-httpapi-ratelimit-headers), in either of its published shapes. */
function limitOf(response: AuditResponse): number | undefined {
  const legacy = Number(headerOf(response, 'ratelimit-limit')?.split(/[,;]/)[0]);
  if (Number.isFinite(legacy) && legacy > 0) return legacy;
  const structured = /\blimit=(\d+)/.exec(headerOf(response, 'ratelimit') ?? '')?.[1];
  return structured === undefined ? undefined : Number(structured);
}

async function flood(token: string, target: Parameters<Check['run']>[0], callsPerRequest: number): Promise<Flood> {
  const body =
    callsPerRequest === 1
      ? JSON.stringify(toolsListMessage(1))
      : JSON.stringify(Array.from({ length: callsPerRequest }, (_, i) => toolsListMessage(i + 1)));
  const result: Flood = { requests: 0, callsSent: 0, callsAdmitted: 0 };
  while (result.callsSent + callsPerRequest <= target.options.maxRequests) {
    const room = Math.floor((target.options.maxRequests - result.callsSent) / callsPerRequest);
    const wave = await Promise.all(
      Array.from({ length: Math.min(PARALLEL, room) }, () => postMcp(target, { token, body })),
    );
    for (const response of wave) {
      result.requests += 1;
      result.callsSent += callsPerRequest;
      result.limit ??= limitOf(response);
      if (response.status >= 200 && response.status < 300) result.callsAdmitted += callsPerRequest;
      else if (response.status === 429) result.refused ??= response;
      else result.stoppedBy ??= response;
    }
    if (result.refused || result.stoppedBy) break;
  }
  return result;
}

function judge(target: Parameters<Check['run']>[0], result: Flood, what: string, batchSize: number) {
  const sent = `${result.requests} ${what} (${result.callsSent} calls, ${result.callsAdmitted} admitted)`;
  if (result.stoppedBy) {
    return fail(`${sent}: answered ${result.stoppedBy.status} before any 429; is the token valid for tools/list?`);
  }
  if (result.refused === undefined) {
    return fail(`${sent}: no 429 within --max-requests ${target.options.maxRequests}; expected a rate limit`);
  }
  const retryAfter = headerOf(result.refused, 'retry-after');
  if (retryAfter === undefined || !(/^\d+$/.test(retryAfter) || !Number.isNaN(Date.parse(retryAfter)))) {
    return fail(`${sent}: 429 without a valid Retry-After (${retryAfter ?? 'absent'})`);
  }
  // Each call of a batch must count: a limiter counting HTTP requests admits batchSize times its budget.
  if (batchSize > 1 && result.limit !== undefined && result.callsAdmitted > result.limit) {
    return fail(
      `${sent}: more calls admitted than RateLimit-Limit ${result.limit}: the batch's calls are not each counted`,
    );
  }
  const limit = result.limit === undefined ? '' : `, RateLimit-Limit ${result.limit}`;
  return pass(`${sent}: 429 with Retry-After ${retryAfter}${limit}`);
}

export const batchRateLimitCheck: Check = {
  id: 'rate-limit-batch',
  title: 'JSON-RPC batches reach 429, each call counted',
  async run(target) {
    const token = target.options.token;
    if (token === undefined) return skip('needs --token: rate limits apply to verified callers');
    const size = target.options.batchSize;
    return judge(target, await flood(token, target, size), `batches of ${size}`, size);
  },
};

export const singleRateLimitCheck: Check = {
  id: 'rate-limit-single',
  title: 'Single calls reach 429 with Retry-After',
  async run(target) {
    const token = target.options.token;
    if (token === undefined) return skip('needs --token: rate limits apply to verified callers');
    return judge(target, await flood(token, target, 1), 'single calls', 1);
  },
};
