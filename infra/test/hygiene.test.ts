import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' || entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const programFiles = [...sourceFiles(join(repoRoot, 'infra')), ...sourceFiles(join(repoRoot, 'stacks'))];
const componentFiles = programFiles.filter((file) => relative(repoRoot, file).startsWith('infra/azure/'));

describe('program hygiene', () => {
  it('finds the program sources (guards the scan itself)', () => {
    expect(componentFiles.length).toBeGreaterThanOrEqual(10);
    expect(programFiles.map((f) => relative(repoRoot, f))).toContain('infra/config.ts');
  });

  it('never imports the azure-native root module (submodules only: +300 ms and +35 MB otherwise)', () => {
    const offenders = programFiles.filter((file) =>
      /(from\s+|require\(\s*|import\(\s*)['"]@pulumi\/azure-native['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it('reads Pulumi config in infra/config.ts only', () => {
    const readsConfig =
      /\bnew\s+(pulumi\.)?Config\s*\(|\bConfig\s*\(\s*['"]|\.(requireSecret|getSecret|requireObject)\s*\(/;
    const offenders = programFiles.filter(
      (file) => relative(repoRoot, file) !== 'infra/config.ts' && readsConfig.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });

  it('keeps components free of config, stack and project lookups (they get everything as typed args)', () => {
    const lookups = /\bpulumi\.(Config|getStack|getProject|getOrganization)\b|from\s+['"]\.\.\/config['"]/;
    const offenders = componentFiles.filter((file) => lookups.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(repoRoot, f))).toEqual([]);
  });
});
