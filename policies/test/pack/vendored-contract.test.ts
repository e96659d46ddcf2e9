import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { VENDORED_CONTRACT, vendoredContractText } from '../../scripts/vendor-contract';

// service/src/contract.ts stays the one source of the names: the pack's copy is that file, byte for byte.
it('vendor/contract.ts is service/src/contract.ts (run `npm run -w policies contract` after changing it)', () => {
  expect(readFileSync(VENDORED_CONTRACT, 'utf8')).toBe(vendoredContractText());
});
