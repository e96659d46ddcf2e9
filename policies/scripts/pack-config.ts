/**
 * The policy pack config as `pulumi preview --policy-pack-config` takes it, in each shape the engine accepts, turned
 * into the per-policy form lib/evaluate.ts reads:
 *   { "all": "advisory" }                                   every policy's enforcement level
 *   { "<policy>": "disabled" }                              one policy's enforcement level
 *   { "<policy>": { "enforcementLevel": "...", ...props } } one policy's level and config properties
 * A policy's own entry wins over `all`. Unknown policy names and levels are errors, listed together.
 */
import type { EnforcementLevel } from '@pulumi/policy';
import type { PackConfig } from '../lib/evaluate';

const LEVELS: readonly EnforcementLevel[] = ['advisory', 'mandatory', 'remediate', 'disabled'];

export class PackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid policy pack config:\n  - ${problems.join('\n  - ')}`);
  }
}

function isLevel(value: unknown): value is EnforcementLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

function entryOf(key: string, value: unknown, problems: string[]): PackConfig[string] {
  if (isLevel(value)) return { enforcementLevel: value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { enforcementLevel, ...properties } = value as Record<string, unknown>;
    if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
      problems.push(`${key}.enforcementLevel: '${String(enforcementLevel)}' is not one of ${LEVELS.join(', ')}`);
      return undefined;
    }
    return { ...(enforcementLevel ? { enforcementLevel } : {}), ...properties };
  }
  problems.push(
    `${key}: expected an enforcement level (${LEVELS.join(', ')}) or an object, got ${JSON.stringify(value)}`,
  );
  return undefined;
}

export function normalizePackConfig(raw: unknown, policyNames: readonly string[]): PackConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PackConfigError(['the config must be a JSON object keyed by policy name (or "all")']);
  }
  const problems: string[] = [];
  const entries = raw as Record<string, unknown>;
  const all = 'all' in entries ? entryOf('all', entries.all, problems) : undefined;
  if (all && Object.keys(all).some((key) => key !== 'enforcementLevel')) {
    problems.push('all: only an enforcement level can be given to every policy');
  }
  const config: PackConfig = {};
  for (const [key, value] of Object.entries(entries)) {
    if (key === 'all') continue;
    if (!policyNames.includes(key)) {
      problems.push(`${key}: no policy of this pack has that name`);
      continue;
    }
    const entry = entryOf(key, value, problems);
    if (entry) config[key] = entry;
  }
  if (problems.length > 0) throw new PackConfigError(problems);
  if (all?.enforcementLevel) {
    for (const name of policyNames) {
      config[name] = { enforcementLevel: all.enforcementLevel, ...config[name] };
    }
  }
  return config;
}
