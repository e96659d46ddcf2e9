/**
 * ARM naming rules, which Pulumi mocks never enforce: every azure-native resource the program registers, in every
 * profile, has a row in infra/azure/naming-rules.ts, and its name (explicit, or azure-native's auto-name from the
 * logical name) passes that row's pattern and length. The rows' API versions are the ones azure-native uses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentName } from '../../stacks';
import {
  ARM_NAMING_RULES,
  type ArmNamingRule,
  armNameProblem,
  autoName,
  resourceProviderNamespaces,
} from '../azure/naming-rules';
import { accessPolicyAssignmentName } from '../azure/redis';
import { type ProgramRun, type RegisteredResource, UNKNOWN_VALUE, unwrapSecrets } from './harness';
import { runAllProfiles } from './program-runs';

const RULES_FILE = 'infra/azure/naming-rules.ts';

/** The name ARM would receive for a registered resource, or undefined when it is not known here. */
function effectiveName(resource: RegisteredResource, rule: ArmNamingRule, seedHex: string): string | undefined {
  const value = (unwrapSecrets(resource.inputs) as Record<string, unknown>)[rule.nameInput];
  if (value === undefined) return autoName(rule, resource.name, seedHex);
  return typeof value === 'string' && value !== UNKNOWN_VALUE ? value : undefined;
}

/** Every naming problem of a run, one line each, saying what to change and where. */
function namingProblems(run: ProgramRun): string[] {
  const problems: string[] = [];
  for (const resource of run.resources) {
    if (!resource.custom || !resource.type.startsWith('azure-native:')) continue;
    const rule = ARM_NAMING_RULES[resource.type];
    if (!rule) {
      problems.push(
        `${resource.type} (${resource.name}) has no ARM naming rule: add a row for '${resource.type}' to ${RULES_FILE} ` +
          "(armType, nameInput, autoName, apiVersion from the type's .d.ts, spec file, pattern, minLength, maxLength)",
      );
      continue;
    }
    // Both ends of the random part: a digit and a letter, first and last.
    for (const seedHex of ['0a1b2c3d', 'f9e8d7c6']) {
      const name = effectiveName(resource, rule, seedHex);
      if (name === undefined) continue;
      const problem = armNameProblem(rule, name);
      if (problem) {
        const explicit = (unwrapSecrets(resource.inputs) as Record<string, unknown>)[rule.nameInput];
        const how = explicit === undefined ? 'auto-named' : 'named';
        problems.push(
          `${resource.type} ${resource.name} is ${how} '${name}', which ${problem} (${rule.spec} @ ${rule.apiVersion})`,
        );
        break;
      }
    }
  }
  return [...new Set(problems)];
}

/** The API version azure-native uses for a type token, from its generated .d.ts. */
function azureNativeApiVersion(type: string): string | undefined {
  const [, module, kind] = type.split(':') as [string, string, string];
  const root = path.join(__dirname, '..', '..', 'node_modules', '@pulumi', 'azure-native');
  const file = path.join(root, module, `${kind.charAt(0).toLowerCase()}${kind.slice(1)}.d.ts`);
  return /Uses Azure REST API version ([0-9a-z-]+)/.exec(readFileSync(file, 'utf8'))?.[1];
}

let runs: Record<EnvironmentName, ProgramRun>;

beforeAll(async () => {
  runs = await runAllProfiles();
});

describe('ARM naming rules', () => {
  it.each(['dev', 'staging', 'prod'] as const)('every azure-native name of %s passes its ARM rule', (env) => {
    expect(namingProblems(runs[env])).toEqual([]);
  });

  it('has every row at the API version azure-native really calls, with a spec file of that version', () => {
    for (const [type, rule] of Object.entries(ARM_NAMING_RULES)) {
      expect(azureNativeApiVersion(type), type).toBe(rule.apiVersion);
      expect(rule.spec, type).toContain(`/${rule.apiVersion}/`);
      expect(rule.spec, type).toMatch(/^specification\//);
    }
  });

  it("catches the Redis access policy assignment's auto-name, and the fix passes", () => {
    const rule = ARM_NAMING_RULES['azure-native:redisenterprise:AccessPolicyAssignment'] as ArmNamingRule;
    expect(armNameProblem(rule, autoName(rule, 'redis-access-0'))).toMatch(/does not match/);
    expect(armNameProblem(rule, accessPolicyAssignmentName('6c1f2a4e-0b7d-4c3a-9e58-2f1d0a9b8c7d'))).toBeUndefined();
  });

  it('fails a type without a row, naming the file and the row to add', () => {
    const run = {
      resources: [{ type: 'azure-native:network:VirtualHub', name: 'hub', custom: true, inputs: {} }],
    } as unknown as ProgramRun;
    expect(namingProblems(run)).toEqual([
      expect.stringContaining(`add a row for 'azure-native:network:VirtualHub' to ${RULES_FILE}`),
    ]);
  });

  it('lists the resource provider namespaces a subscription must have registered (docs/infra.md prerequisites)', () => {
    const types = new Set(Object.values(runs).flatMap((run) => run.resources.map((r) => r.type)));
    const namespaces = resourceProviderNamespaces(types);
    console.log(`[infra] resource providers used: ${namespaces.join(', ')}`);
    expect(namespaces).toEqual(
      expect.arrayContaining([
        'Microsoft.Cache',
        'Microsoft.ContainerService',
        'Microsoft.DBforPostgreSQL',
        'Microsoft.KeyVault',
        'Microsoft.Network',
      ]),
    );
  });
});
