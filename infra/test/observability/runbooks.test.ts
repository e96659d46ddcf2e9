import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAlertRuleGroups } from '../../kubernetes/observability/alert-rules';
import { buildAuthorizationServerAlertRuleGroups } from '../../kubernetes/observability/authorization-server-alert-rules';

const RUNBOOKS = join(__dirname, '..', '..', '..', 'docs', 'runbooks.md');
const BASE_URL = 'https://github.example.test/org/repo/blob/main/docs/runbooks.md';

/**
 * GitHub's heading anchors (github-slugger): lower case, markup and punctuation dropped (letters, digits, `_`, `-`
 * and spaces kept), spaces to hyphens; a repeated slug gets `-1`, `-2`, ...
 */
function githubSlugs(markdown: string): { heading: string; slug: string }[] {
  const seen = new Map<string, number>();
  const headings: { heading: string; slug: string }[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fenceMatch?.[1]) {
      if (!fence) fence = fenceMatch[1];
      else if (fenceMatch[1].startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence) continue;
    const match = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!match?.[1]) continue;
    const heading = match[1];
    const text = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
      .replace(/<[^>]+>/g, ''); // inline HTML
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    headings.push({ heading, slug: count === 0 ? base : `${base}-${count}` });
  }
  return headings;
}

describe('GitHub heading anchors', () => {
  it('follow github-slugger', () => {
    const slugs = githubSlugs(
      [
        '# Runbooks: MCP server alerts',
        '## McpServerHighErrorRate',
        '```sh',
        '# not a heading',
        '```',
        '## `up` is 0 & [links](http://x) stay text',
        '## Repeat',
        '## Repeat',
      ].join('\n'),
    ).map((h) => h.slug);
    expect(slugs).toEqual([
      'runbooks-mcp-server-alerts',
      'mcpserverhigherrorrate',
      'up-is-0--links-stay-text',
      'repeat',
      'repeat-1',
    ]);
  });
});

describe('docs/runbooks.md', () => {
  const markdown = readFileSync(RUNBOOKS, 'utf8');
  const headings = githubSlugs(markdown);
  const anchors = new Set(headings.map((h) => h.slug));
  // The MCP server's alerts and the authorization server's: one runbook for both.
  const rules = [
    ...buildAlertRuleGroups({ runbookBaseUrl: BASE_URL }),
    ...buildAuthorizationServerAlertRuleGroups({ runbookBaseUrl: BASE_URL }),
  ].flatMap((group) => group.rules);

  it('has the section every alert links to', () => {
    const missing = rules
      .map((rule) => ({ alert: rule.alert, url: rule.annotations.runbook_url }))
      .filter(({ url }) => !url.startsWith(`${BASE_URL}#`) || !anchors.has(url.slice(BASE_URL.length + 1)));
    expect(missing).toEqual([]);
  });

  it('has no alert section left over from an alert that no longer exists', () => {
    const alerts = new Set(rules.map((rule) => rule.alert));
    const sections = headings.filter((h) => /^Mcp(Authorization)?Server\w+$/.test(h.heading)).map((h) => h.heading);
    expect(sections.filter((section) => !alerts.has(section))).toEqual([]);
    expect(sections).toHaveLength(alerts.size);
  });

  it('says in each section what it means, what is seen, what to do and how recovery shows', () => {
    const sections = markdown.split(/^## /m).slice(1);
    for (const rule of rules) {
      const section = sections.find((text) => text.startsWith(`${rule.alert}\n`));
      expect(section, rule.alert).toBeDefined();
      for (const part of ['**Meaning.**', '**What you see.**', '**What to do.**', '**Recovery.**']) {
        expect(section, `${rule.alert}: ${part}`).toContain(part);
      }
    }
  });

  it('links only to anchors that exist in it', () => {
    const links = [...markdown.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((anchor) => !anchors.has(anchor))).toEqual([]);
  });
});
