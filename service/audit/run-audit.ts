import type { Check, CheckResult } from './check.js';
import { forgedTokenCheck, unauthenticatedCheck } from './checks/authentication.js';
import { errorDisclosureCheck } from './checks/error-disclosure.js';
import { metricsPathCheck, metricsPortCheck } from './checks/metrics.js';
import { batchRateLimitCheck, singleRateLimitCheck } from './checks/rate-limit.js';
import { corsCheck, hostValidationCheck, originValidationCheck, queryTokenCheck } from './checks/request-validation.js';
import { authorizationServerCheck, resourceMetadataCheck } from './checks/resource-metadata.js';
import { securityHeadersCheck } from './checks/security-headers.js';
import { tlsCheck } from './checks/tls.js';
import type { AuditOptions } from './options.js';
import { auditTarget } from './target.js';

/**
 * In this order: the 401 challenge names the metadata, the metadata names the issuer the forged token claims; the
 * rate-limit checks spend the token's budget, so they come last, batches first (while the budget is whole, so the
 * calls admitted can be compared with the limit).
 */
export const CHECKS: readonly Check[] = [
  tlsCheck,
  securityHeadersCheck,
  unauthenticatedCheck,
  resourceMetadataCheck,
  authorizationServerCheck,
  forgedTokenCheck,
  corsCheck,
  originValidationCheck,
  hostValidationCheck,
  queryTokenCheck,
  metricsPathCheck,
  metricsPortCheck,
  errorDisclosureCheck,
  batchRateLimitCheck,
  singleRateLimitCheck,
];

export interface AuditReport {
  target: { baseUrl: string; mcpUrl: string; authenticated: boolean };
  startedAt: string;
  results: CheckResult[];
  summary: { pass: number; fail: number; skip: number };
}

export async function runAudit(options: AuditOptions, checks: readonly Check[] = CHECKS): Promise<AuditReport> {
  const target = auditTarget(options);
  const startedAt = new Date().toISOString();
  const results: CheckResult[] = [];
  for (const check of checks) {
    let outcome: Omit<CheckResult, 'id' | 'title'>;
    try {
      outcome = await check.run(target);
    } catch (error) {
      // An unreachable server or a dropped connection is a finding about the deployment, not a crash of the audit.
      outcome = { outcome: 'fail', why: `could not complete: ${(error as Error).message}` };
    }
    results.push({ id: check.id, title: check.title, ...outcome });
  }
  const count = (outcome: CheckResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  return {
    target: { baseUrl: options.baseUrl, mcpUrl: target.mcpUrl, authenticated: options.token !== undefined },
    startedAt,
    results,
    summary: { pass: count('pass'), fail: count('fail'), skip: count('skip') },
  };
}
