/**
 * `npm run -w policies contract`: copies service/src/contract.ts, the one source of the names service and infra
 * share, into the pack (vendor/contract.ts), because a published pack holds only its own folder. The copy is checked
 * equal to its source by test/pack/vendored-contract.test.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONTRACT_SOURCE = join(__dirname, '..', '..', 'service', 'src', 'contract.ts');
export const VENDORED_CONTRACT = join(__dirname, '..', 'vendor', 'contract.ts');

export function vendoredContractText(): string {
  return (
    '// GENERATED from service/src/contract.ts by `npm run -w policies contract`: edit the source, not this copy.\n' +
    readFileSync(CONTRACT_SOURCE, 'utf8')
  );
}

if (require.main === module) {
  writeFileSync(VENDORED_CONTRACT, vendoredContractText());
  console.log(`wrote ${VENDORED_CONTRACT}`);
}
