/** Writes docs/security-checklist.md from the checklist and the policy metadata: `npm run -w policies docs`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatMarkdown, renderChecklistMarkdown } from '../checklist/coverage';
import { securityPolicies } from '../registry';

const repositoryRoot = join(__dirname, '..', '..');
const target = join(repositoryRoot, 'docs', 'security-checklist.md');
writeFileSync(target, formatMarkdown(renderChecklistMarkdown(securityPolicies, repositoryRoot), repositoryRoot));
console.log(`wrote ${target}`);
