/** Shared by the diagnostic-settings stack policies: does a target send the required log categories somewhere? */
import { AZURE_TYPES } from '../lib/azure';
import {
  defineStackPolicy,
  type SecurityStackPolicy,
  type StackPolicyDefinition,
  type StackResource,
} from '../lib/define';
import { refersTo } from '../lib/stack';
import { asArray, asRecord, asString, isUnknown } from '../lib/values';

export interface DiagnosticsRequirement {
  targetType: string;
  armSegment: string;
  nameProperty: string;
  /** Each entry is satisfied by any one of its alternatives (a category or a category group). */
  categories: ReadonlyArray<readonly string[]>;
}

function enabledCategories(setting: StackResource): Set<string> | 'unknown' {
  if (isUnknown(setting.props.logs)) return 'unknown';
  const enabled = new Set<string>();
  for (const item of asArray(setting.props.logs) ?? []) {
    const log = asRecord(item);
    if (!log || log.enabled === false) continue;
    const name = asString(log.category) ?? asString(log.categoryGroup);
    if (name) enabled.add(name.toLowerCase());
  }
  return enabled;
}

/**
 * For each target: the required categories no diagnostic setting enables. A target some setting may refer to but
 * cannot be decided about yet (preview: value and dependency record both inconclusive) is not a gap here; it is
 * listed by undecidedDiagnostics, which the advisory policy azure-stack-preview-undecided reports.
 */
export function missingDiagnostics(
  resources: readonly StackResource[],
  requirement: DiagnosticsRequirement,
): Array<{ target: StackResource; missing: string[] }> {
  return diagnosticsVerdicts(resources, requirement).flatMap((verdict) =>
    verdict.undecided || verdict.missing.length === 0 ? [] : [{ target: verdict.target, missing: verdict.missing }],
  );
}

/** The targets whose diagnostics cannot be decided from what the engine gives (preview). */
export function undecidedDiagnostics(
  resources: readonly StackResource[],
  requirement: DiagnosticsRequirement,
): StackResource[] {
  return diagnosticsVerdicts(resources, requirement)
    .filter((verdict) => verdict.undecided)
    .map((verdict) => verdict.target);
}

function diagnosticsVerdicts(
  resources: readonly StackResource[],
  requirement: DiagnosticsRequirement,
): Array<{ target: StackResource; missing: string[]; undecided: boolean }> {
  const settings = resources.filter((resource) => resource.type === AZURE_TYPES.diagnosticSetting);
  const result: Array<{ target: StackResource; missing: string[]; undecided: boolean }> = [];
  for (const target of resources.filter((resource) => resource.type === requirement.targetType)) {
    const enabled = new Set<string>();
    let unknown = false;
    for (const setting of settings) {
      const verdict = refersTo(
        setting,
        'resourceUri',
        [setting.props.resourceUri],
        target,
        requirement.armSegment,
        requirement.nameProperty,
        resources,
      );
      const fallback =
        verdict === false &&
        setting.propertyDependencyUrns.resourceUri === undefined &&
        setting.dependencyUrns.includes(target.urn);
      if (isUnknown(verdict)) unknown = true;
      if (verdict !== true && !fallback) continue;
      const categories = enabledCategories(setting);
      if (categories === 'unknown') unknown = true;
      else for (const category of categories) enabled.add(category);
    }
    const missing = requirement.categories
      .filter((alternatives) => !alternatives.some((name) => enabled.has(name.toLowerCase())))
      .map((alternatives) => alternatives.join(' or '));
    result.push({ target, missing, undecided: unknown && missing.length > 0 });
  }
  return result;
}

/**
 * A diagnostics policy: every resource of the requirement's type sends the required log categories to a diagnostic
 * setting. `targetLabel` names the resource in the message ("Key Vault", "AKS cluster", ...).
 */
export function defineDiagnosticsPolicy(
  definition: Omit<StackPolicyDefinition<Record<string, never>>, 'subjects' | 'validate'>,
  requirement: DiagnosticsRequirement,
  targetLabel: string,
): SecurityStackPolicy {
  return defineStackPolicy({
    ...definition,
    subjects: (type) => type === requirement.targetType,
    validate: (resources, _config, report) => {
      for (const { target, missing } of missingDiagnostics(resources, requirement)) {
        report(
          `${targetLabel} ${target.name} does not send ${missing.join(', ')} logs to a diagnostic setting.`,
          target.urn,
        );
      }
    },
  });
}
