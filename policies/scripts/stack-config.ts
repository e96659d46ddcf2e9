/**
 * The config of one stack as `pulumi preview --stack <stack>` would see it: `Pulumi.<stack>.yaml` at the repository
 * root, as the overrides infra/test/harness.ts takes (strings; objects and lists as JSON). Every key of the harness's
 * own test config that the file does not set is dropped, so the file alone decides, except `serviceImageDigest`, which
 * the deploy workflow sets at deploy time (the harness's placeholder digest stands in for it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const PROJECT_NAMESPACE = 'secure-mcp-azure';
/** Keys set outside the stack file (by the deploy workflow), kept from the harness's test config when absent. */
export const DEPLOY_TIME_KEYS: readonly string[] = ['serviceImageDigest'];

export function stackConfigPath(repositoryRoot: string, stack: string): string {
  return join(repositoryRoot, `Pulumi.${stack}.yaml`);
}

/** The `config:` map of a stack file, keys as written (`secure-mcp-azure:location`, `azure-native:location`). */
export function readStackConfig(repositoryRoot: string, stack: string): Record<string, unknown> {
  const path = stackConfigPath(repositoryRoot, stack);
  if (!existsSync(path)) throw new Error(`${path} does not exist: create the stack's config file first.`);
  const document = parse(readFileSync(path, 'utf8')) as { config?: unknown } | null;
  const config = document?.config;
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) throw new Error(`${path}: 'config' is not a map.`);
  return config as Record<string, unknown>;
}

/** The stack file as harness overrides over `baseConfig` (the harness's test config for the stack). */
export function toHarnessOverrides(
  stackConfig: Record<string, unknown>,
  baseConfig: Record<string, string>,
): Record<string, string | undefined> {
  const overrides: Record<string, string | undefined> = {};
  for (const key of Object.keys(baseConfig)) {
    if (!DEPLOY_TIME_KEYS.includes(key)) overrides[key] = undefined;
  }
  for (const [key, value] of Object.entries(stackConfig)) {
    const local = key.startsWith(`${PROJECT_NAMESPACE}:`) ? key.slice(PROJECT_NAMESPACE.length + 1) : key;
    if (value === null || value === undefined) continue;
    if (typeof value === 'object' && 'secure' in (value as object)) {
      throw new Error(`${key}: encrypted (secure) values cannot be read without the stack's secrets provider.`);
    }
    overrides[local] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return overrides;
}
