/** A readable report of policy violations: grouped by enforcement level, one line per violation. */
import type { Violation } from './evaluate';

function resourceOf(urn: string | undefined): string {
  if (!urn) return '(stack)';
  const parts = urn.split('::');
  return `${parts[parts.length - 1]} (${(parts[parts.length - 2] ?? '').split('$').pop()})`;
}

export function formatViolationReport(stack: string, resourceCount: number, violations: readonly Violation[]): string {
  const lines = [`Policy check of stack '${stack}': ${resourceCount} resources evaluated.`];
  for (const level of ['mandatory', 'advisory'] as const) {
    const group = violations.filter((violation) => violation.enforcementLevel === level);
    if (group.length === 0) continue;
    lines.push('', `${level.toUpperCase()} (${group.length}):`);
    for (const violation of group) {
      lines.push(
        `  ✗ [${violation.severity}] ${violation.policyName}`,
        `      resource: ${resourceOf(violation.urn)}`,
        `      ${violation.message}`,
      );
    }
  }
  const mandatory = violations.filter((violation) => violation.enforcementLevel === 'mandatory').length;
  lines.push(
    '',
    mandatory === 0
      ? 'No mandatory violation.'
      : `${mandatory} mandatory violation(s): the deployment would be blocked.`,
  );
  return lines.join('\n');
}
