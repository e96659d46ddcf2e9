import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checklistCoverage, formatMarkdown, renderChecklistMarkdown } from '../../checklist/coverage';
import { CHECKLIST_ITEMS } from '../../checklist/items';
import { securityPolicies } from '../../registry';

const repositoryRoot = join(__dirname, '..', '..', '..');

describe('checklist coverage', () => {
  const coverage = checklistCoverage(securityPolicies, repositoryRoot);

  it("lists every item of the guide's checklist (35 items in 6 sections)", () => {
    const itemsOf = (text: string) => {
      const checklist = text.slice(text.indexOf('## MCP Server Security Checklist'));
      return [...checklist.matchAll(/^- \[ \] (.+)$/gm)].map((match) => match[1]?.trim());
    };
    const recorded = itemsOf(readFileSync(join(repositoryRoot, 'docs', 'guide-security-checklist.md'), 'utf8'));
    expect(CHECKLIST_ITEMS.map((item) => item.text)).toEqual(recorded);
    expect(CHECKLIST_ITEMS).toHaveLength(35);

    // The record must match the guide itself wherever the guide is at hand (developers' machines and CI).
    const seed = join(repositoryRoot, '..', 'shared', 'seed', 'secure-remote-mcp-servers-guide.txt');
    if (!existsSync(seed)) {
      console.info(
        `checklist: ${seed} is not beside this clone; checked against docs/guide-security-checklist.md only`,
      );
      return;
    }
    const guide = readFileSync(seed, 'utf8');
    expect(itemsOf(guide.slice(0, guide.indexOf('\nConclusion')))).toEqual(recorded);
  });

  it.each(coverage.map((entry) => [entry.item.text, entry] as const))('covers "%s"', (_text, entry) => {
    expect(entry.gaps).toEqual([]);
    expect(entry.status).not.toBe('missing');
  });

  it('names only checklist items that exist', () => {
    const ids = new Set<string>(CHECKLIST_ITEMS.map((item) => item.id));
    for (const policy of securityPolicies)
      for (const id of policy.checklist) expect(ids.has(id), `${policy.name} → ${id}`).toBe(true);
  });

  it('docs/security-checklist.md is the generated table (run `npm run -w policies docs` after changing policies)', () => {
    const written = readFileSync(join(repositoryRoot, 'docs', 'security-checklist.md'), 'utf8');
    expect(written).toBe(formatMarkdown(renderChecklistMarkdown(securityPolicies, repositoryRoot), repositoryRoot));
  });

  it('a missing service test makes its item missing', async () => {
    const { SERVICE_TESTS } = await import('../../checklist/service-tests');
    const original = SERVICE_TESTS['net-cors'];
    SERVICE_TESTS['net-cors'] = [{ file: 'service/test/http/no-such-file.test.ts', title: 'any' }];
    try {
      const entry = checklistCoverage(securityPolicies, repositoryRoot).find((c) => c.item.id === 'net-cors');
      expect(entry?.status).toBe('missing');
      expect(entry?.gaps).toEqual(['service test not found: service/test/http/no-such-file.test.ts › any']);
    } finally {
      SERVICE_TESTS['net-cors'] = original;
    }
  });
});
