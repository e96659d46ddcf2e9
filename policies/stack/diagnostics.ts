/** Shared by the diagnostic-settings stack policies: does a target send the required log categories somewhere? */
import { AZURE_TYPES } from '../lib/azure';
import type { StackResource } from '../lib/define';
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

/** For each target: the required categories no diagnostic setting enables. Unknown settings count as satisfying. */
export function missingDiagnostics(
  resources: readonly StackResource[],
  requirement: DiagnosticsRequirement,
): Array<{ target: StackResource; missing: string[] }> {
  const settings = resources.filter((resource) => resource.type === AZURE_TYPES.diagnosticSetting);
  const result: Array<{ target: StackResource; missing: string[] }> = [];
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
      );
      const fallback = verdict === false && setting.dependencyUrns.includes(target.urn);
      if (isUnknown(verdict)) unknown = true;
      if (verdict !== true && !fallback) continue;
      const categories = enabledCategories(setting);
      if (categories === 'unknown') unknown = true;
      else for (const category of categories) enabled.add(category);
    }
    if (unknown) continue;
    const missing = requirement.categories
      .filter((alternatives) => !alternatives.some((name) => enabled.has(name.toLowerCase())))
      .map((alternatives) => alternatives.join(' or '));
    if (missing.length > 0) result.push({ target, missing });
  }
  return result;
}
