import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SecurityPolicy } from '../../lib/define';
import { azurePolicies, kubernetesPolicies, securityPolicies, stackPolicies } from '../../registry';

const packRoot = join(__dirname, '..', '..');

function filesUnder(folder: string, suffix: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Export name → policy, for every policy module of the pack (one policy per file). */
type PolicyModule = { file: string; exportName: string; policy: SecurityPolicy };
const modules: PolicyModule[] = [];

beforeAll(async () => {
  const files = ['azure', 'kubernetes', 'stack'].flatMap((domain) => filesUnder(join(packRoot, domain), '.ts'));
  for (const file of files) {
    const module = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(module)) {
      if (typeof value === 'object' && value !== null && 'checklist' in value && 'kind' in value) {
        modules.push({ file, exportName, policy: value as SecurityPolicy });
      }
    }
  }
});

describe('the policy pack', () => {
  it('has at least 50 policies with unique names of the form <provider>-<resource>-<rule>', () => {
    expect(securityPolicies.length).toBeGreaterThanOrEqual(50);
    const names = securityPolicies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^(azure|kubernetes)-[a-z0-9]+-[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('registers every policy module, one policy per file, in the folder of its domain', () => {
    expect(modules.map((m) => m.policy.name).sort()).toEqual(securityPolicies.map((p) => p.name).sort());
    const perFile = new Map<string, number>();
    for (const { file } of modules) perFile.set(file, (perFile.get(file) ?? 0) + 1);
    expect([...perFile.values()].every((count) => count === 1)).toBe(true);
    for (const policy of stackPolicies) expect(policy.kind).toBe('stack');
    for (const policy of [...azurePolicies, ...kubernetesPolicies]) expect(policy.kind).toBe('resource');
  });

  it.each(securityPolicies.map((policy) => [policy.name, policy] as const))(
    '%s carries its metadata',
    (_name, policy) => {
      expect(policy.description.length).toBeGreaterThan(20);
      expect(policy.remediationSteps.length).toBeGreaterThan(10);
      expect(['low', 'medium', 'high', 'critical']).toContain(policy.severity);
      // Security controls are mandatory; the two advisory policies report what a preview cannot decide yet.
      expect(policy.enforcementLevel).toBe(
        ['azure-stack-relations-undecided', 'azure-exposure-undecided'].includes(policy.name)
          ? 'advisory'
          : 'mandatory',
      );
      expect(policy.references.length).toBeGreaterThan(0);
      for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        expect(schema.default, `${policy.name}.${key} has a default`).toBeDefined();
        const type = Array.isArray(schema.default)
          ? 'array'
          : typeof schema.default === 'number'
            ? ['integer', 'number']
            : typeof schema.default;
        expect([type].flat(), `${policy.name}.${key} default matches its type`).toContain(schema.type);
      }
    },
  );

  it('every policy is proven by a case table in the tests (baseline, failing cases, preview)', () => {
    const sources = filesUnder(join(packRoot, 'test'), '.test.ts').map((file) => readFileSync(file, 'utf8'));
    const unproven = modules.filter(
      ({ exportName }) =>
        !sources.some((source) => new RegExp(`provePolicy\\(\\{[^]*?policy: ${exportName},[^]*?rule:`).test(source)),
    );
    expect(unproven.map((m) => `${m.policy.name} (${relative(packRoot, m.file)})`)).toEqual([]);
  });

  it('only index.ts constructs the PolicyPack, and no test or script imports it', () => {
    const sources = filesUnder(packRoot, '.ts').filter((file) => !file.includes('node_modules'));
    const constructing = sources.filter((file) => /new PolicyPack\(/.test(readFileSync(file, 'utf8')));
    expect(constructing.map((file) => relative(packRoot, file))).toEqual(['index.ts']);
    const importers = sources.filter((file) =>
      /from '(\.\.\/)+(index)?'|from '\.\.?\/index'/.test(readFileSync(file, 'utf8')),
    );
    expect(importers.map((file) => relative(packRoot, file))).toEqual([]);
  });
});
