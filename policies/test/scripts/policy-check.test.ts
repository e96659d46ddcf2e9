import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatViolationReport } from '../../lib/report';
import { normalizePackConfig } from '../../scripts/pack-config';
import { toHarnessOverrides } from '../../scripts/stack-config';

const repositoryRoot = join(__dirname, '..', '..', '..');

function policyCheck(...args: string[]) {
  return policyCheckIn(undefined, ...args);
}

/** Runs the check with the stack files of `stackDir` (a weakened copy), or the repository's. */
function policyCheckIn(stackDir: string | undefined, ...args: string[]) {
  const tsx = join(repositoryRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  return spawnSync(process.execPath, [tsx, join(repositoryRoot, 'policies', 'scripts', 'policy-check.ts'), ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, POLICY_STACK: '', POLICY_CHECK_STACK_DIR: stackDir ?? '' },
  });
}

describe('npm run policy:check', () => {
  it('prints usage for --help (it crashed with a stack trace before) and for an unknown option', () => {
    const help = policyCheck('--help');
    expect(help.stdout).toMatch(/^Usage: npm run policy:check/);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    const bogus = policyCheck('--bogus');
    expect(bogus.stderr).toMatch(/Unknown option '--bogus'[\s\S]*Usage: npm run policy:check/);
    expect(bogus.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(bogus.status).toBe(2);
  });

  it("reads the stack's Pulumi.<stack>.yaml (0.0.0.0/0 in Pulumi.dev.yaml exited 0 before)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-stacks-'));
    try {
      const dev = readFileSync(join(repositoryRoot, 'Pulumi.dev.yaml'), 'utf8');
      expect(dev).toContain('- 203.0.113.10/32');
      writeFileSync(join(dir, 'Pulumi.dev.yaml'), dev.replace('- 203.0.113.10/32', '- 0.0.0.0/0'));
      const open = policyCheckIn(dir, 'dev');
      expect(open.stderr).toMatch(/refuses the config of Pulumi\.dev\.yaml[\s\S]*0\.0\.0\.0\/0/);
      expect(open.status).toBe(2);

      const prod = readFileSync(join(repositoryRoot, 'Pulumi.prod.yaml'), 'utf8');
      expect(prod).toContain('secure-mcp-azure:environment: prod');
      const spoofed = prod
        .replace('secure-mcp-azure:environment: prod', 'secure-mcp-azure:environment: dev')
        .replace('secure-mcp-azure:allowedIpRanges: []', 'secure-mcp-azure:allowedIpRanges:\n    - 203.0.113.10/32');
      writeFileSync(join(dir, 'Pulumi.prod.yaml'), spoofed);
      const result = policyCheckIn(dir, 'prod');
      // The report names policy, resource (name and type) and message of each mandatory violation.
      expect(result.stdout).toMatch(/Policy check of stack 'prod': \d+ resources evaluated\./);
      expect(result.stdout).toMatch(/MANDATORY \(\d+\):/);
      expect(result.stdout).toMatch(
        /azure-aks-prod-standard-tier\n\s+resource: \S+ \(azure-native:containerservice:ManagedCluster\)\n\s+\S/,
      );
      expect(result.stdout).toMatch(/environment tag is 'dev' in the production stack 'prod'/);
      expect(result.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('honours the engine\'s config shapes: {"all": "advisory"} turns a mandatory violation advisory', () => {
    // The repository's prod stack itself is clean: only the configured extra tag makes violations here.
    const dir = mkdtempSync(join(tmpdir(), 'policy-config-'));
    try {
      const config = join(dir, 'config.json');
      writeFileSync(
        config,
        JSON.stringify({ all: 'advisory', 'azure-resource-required-tags': { requiredTags: ['security-contact'] } }),
      );
      const result = policyCheck('prod', '--config', config);
      expect(result.stdout).toMatch(/Policy check of stack 'prod': \d+ resources evaluated\./);
      expect(result.stdout).toMatch(/ADVISORY \(\d+\):[\s\S]*Missing required tags: security-contact\./);
      expect(result.stdout).not.toMatch(/MANDATORY/);
      expect(result.stdout).toContain('No mandatory violation.');
      expect(result.status).toBe(0);
      writeFileSync(config, JSON.stringify({ 'no-such-policy': 'disabled' }));
      const unknown = policyCheck('prod', '--config', config);
      expect(unknown.stderr).toMatch(/no-such-policy: no policy of this pack has that name/);
      expect(unknown.status).toBe(2);
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

describe('the policy pack config, in each shape the engine accepts', () => {
  const names = ['p-one', 'p-two'];
  it('a bare level, an object, and "all" under a policy entry', () => {
    expect(normalizePackConfig({ 'p-one': 'disabled' }, names)).toEqual({ 'p-one': { enforcementLevel: 'disabled' } });
    expect(normalizePackConfig({ 'p-one': { enforcementLevel: 'advisory', limit: 3 } }, names)).toEqual({
      'p-one': { enforcementLevel: 'advisory', limit: 3 },
    });
    expect(normalizePackConfig({ all: 'advisory', 'p-two': { enforcementLevel: 'mandatory', x: 1 } }, names)).toEqual({
      'p-one': { enforcementLevel: 'advisory' },
      'p-two': { enforcementLevel: 'mandatory', x: 1 },
    });
    expect(normalizePackConfig({ all: { enforcementLevel: 'disabled' }, 'p-two': { x: 1 } }, names)).toEqual({
      'p-one': { enforcementLevel: 'disabled' },
      'p-two': { enforcementLevel: 'disabled', x: 1 },
    });
  });
  it('lists every problem at once', () => {
    expect(() => normalizePackConfig({ all: 'loud', 'p-one': 3, nope: 'advisory' }, names)).toThrow(
      /all: expected an enforcement level[\s\S]*p-one: expected[\s\S]*nope: no policy/,
    );
    expect(() => normalizePackConfig([], names)).toThrow(/JSON object/);
  });
});

describe('the stack file as harness config', () => {
  it('drops the test config the file does not set, keeps the deploy-time digest, encodes lists as JSON', () => {
    const overrides = toHarnessOverrides(
      { 'secure-mcp-azure:allowedIpRanges': ['0.0.0.0/0'], 'azure-native:location': 'westeurope' },
      { owner: 'x', serviceImageDigest: 'sha256:1' },
    );
    expect(overrides).toEqual({
      owner: undefined,
      allowedIpRanges: '["0.0.0.0/0"]',
      'azure-native:location': 'westeurope',
    });
    expect(() => toHarnessOverrides({ 'secure-mcp-azure:token': { secure: 'AAE=' } }, {})).toThrow(/secure/);
  });
});
