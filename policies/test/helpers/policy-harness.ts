/**
 * Runs one policy the way the engine does (lib/evaluate.ts) and collects its violations, and builds the table-driven
 * cases every policy is proven with: a baseline that passes, one mutation per rule that fails with the expected
 * message, and a preview case where the values the rule reads are unknown (which must neither throw nor report).
 */
import { unknownValue } from '@pulumi/pulumi/runtime/rpc';
import { describe, expect, it } from 'vitest';
import type { SecurityPolicy } from '../../lib/define';
import { evaluatePolicies, makeUrn, type PackConfig, type ResourceRecord } from '../../lib/evaluate';

export function record(type: string, props: Record<string, unknown>, name = 'baseline'): ResourceRecord {
  return { type, name, urn: makeUrn(type, name), inputs: props };
}

/** Messages the policy reports; an UnknownValueError or any other error escapes (the engine would degrade it). */
export async function violationsOf(
  policy: SecurityPolicy,
  records: ResourceRecord | readonly ResourceRecord[],
  config?: Record<string, unknown>,
): Promise<string[]> {
  const list = Array.isArray(records) ? records : [records as ResourceRecord];
  const packConfig: PackConfig = config ? { [policy.name]: config } : {};
  const violations = await evaluatePolicies([policy], list, { config: packConfig, unknownValues: 'throw' });
  return violations.map((violation) => violation.message);
}

type Path = ReadonlyArray<string | number>;

/** A deep copy with the engine's unknown sentinel at each path (as `pulumi preview` sends not-yet-known values). */
export function withUnknowns<T>(value: T, ...paths: Path[]): T {
  const copy = structuredClone(value);
  for (const path of paths) {
    let cursor = copy as Record<string | number, unknown>;
    path.slice(0, -1).forEach((step) => {
      cursor = cursor[step] as Record<string | number, unknown>;
    });
    cursor[path[path.length - 1] as string | number] = unknownValue;
  }
  return copy;
}

export interface FailingCase<T> {
  /** The rule the mutation breaks. */
  rule: string;
  change: (draft: T) => void;
  message: RegExp;
  config?: Record<string, unknown>;
}

export interface PolicyCases<T> {
  policy: SecurityPolicy;
  /** A fresh secure baseline (resource props for a resource policy; resource records for a stack policy). */
  baseline: () => T;
  toRecords: (value: T) => ResourceRecord | ResourceRecord[];
  failing: ReadonlyArray<FailingCase<T>>;
  /** Paths (into the baseline value) made unknown for the preview case. */
  preview: ReadonlyArray<Path>;
  /** Extra passing variants (e.g. the rule does not apply outside production). */
  passing?: ReadonlyArray<{ name: string; change: (draft: T) => void; config?: Record<string, unknown> }>;
}

/** Which policies have a case table, so a test can prove that every registered policy has one. */
export const provenPolicies = new Map<string, { failingCases: number }>();

export function provePolicy<T>(cases: PolicyCases<T>): void {
  if (cases.failing.length === 0) throw new Error(`${cases.policy.name}: a case table needs at least one failing case`);
  provenPolicies.set(cases.policy.name, { failingCases: cases.failing.length });
  describe(cases.policy.name, () => {
    it('passes the secure baseline', async () => {
      expect(await violationsOf(cases.policy, cases.toRecords(cases.baseline()))).toEqual([]);
    });
    for (const variant of cases.passing ?? []) {
      it(`passes: ${variant.name}`, async () => {
        const value = cases.baseline();
        variant.change(value);
        expect(await violationsOf(cases.policy, cases.toRecords(value), variant.config)).toEqual([]);
      });
    }
    for (const failing of cases.failing) {
      it(`fails: ${failing.rule}`, async () => {
        const value = cases.baseline();
        failing.change(value);
        const messages = await violationsOf(cases.policy, cases.toRecords(value), failing.config);
        expect(messages.length).toBeGreaterThan(0);
        expect(messages.join('\n')).toMatch(failing.message);
      });
    }
    it('tolerates unknown values during preview', async () => {
      const value = withUnknowns(cases.baseline(), ...cases.preview);
      await expect(violationsOf(cases.policy, cases.toRecords(value))).resolves.toEqual([]);
    });
  });
}

/** Props for resource policies: the record is the props under the given type. */
export function asResource(type: string, name = 'baseline') {
  return (props: Record<string, unknown>): ResourceRecord => record(type, props, name);
}
