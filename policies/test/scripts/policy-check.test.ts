import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatViolationReport } from '../../lib/report';

const repositoryRoot = join(__dirname, '..', '..', '..');

function policyCheck(...args: string[]) {
  const tsx = join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return spawnSync(process.execPath, [tsx, join(repositoryRoot, 'policies', 'scripts', 'policy-check.ts'), ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, POLICY_STACK: '' },
  });
}

describe('npm run policy:check', () => {
  it('reports a clean stack and exits 0', () => {
    const result = policyCheck('prod');
    expect(result.stdout).toMatch(/Policy check of stack 'prod': \d+ resources evaluated\./);
    expect(result.stdout).toContain('No mandatory violation.');
    expect(result.status).toBe(0);
  });

  it('prints policy, resource and message of a mandatory violation and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-config-'));
    try {
      const config = join(dir, 'config.json');
      writeFileSync(config, JSON.stringify({ 'azure-resource-required-tags': { requiredTags: ['security-contact'] } }));
      const result = policyCheck('prod', '--config', config);
      expect(result.stdout).toMatch(/MANDATORY \(\d+\):/);
      expect(result.stdout).toMatch(
        /azure-resource-required-tags\n\s+resource: \S+ \(azure-native:keyvault:Vault\)\n\s+Missing required tags: security-contact\./,
      );
      expect(result.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown stack with exit 2', () => {
    const result = policyCheck('qa');
    expect(result.stderr).toContain("unknown stack 'qa'");
    expect(result.status).toBe(2);
  });
});

describe('the violation report', () => {
  it('groups by enforcement level and names the resource by its URN', () => {
    const report = formatViolationReport('dev', 3, [
      {
        policyName: 'p-one',
        enforcementLevel: 'advisory',
        severity: 'low',
        message: 'later',
        urn: 'urn:pulumi:dev::proj::a$b:c:D::res-1',
      },
      { policyName: 'p-two', enforcementLevel: 'mandatory', severity: 'high', message: 'now' },
    ]);
    expect(report).toBe(
      [
        "Policy check of stack 'dev': 3 resources evaluated.",
        '',
        'MANDATORY (1):',
        '  ✗ [high] p-two',
        '      resource: (stack)',
        '      now',
        '',
        'ADVISORY (1):',
        '  ✗ [low] p-one',
        '      resource: res-1 (b:c:D)',
        '      later',
        '',
        '1 mandatory violation(s): the deployment would be blocked.',
      ].join('\n'),
    );
  });
});
