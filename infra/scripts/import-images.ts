/**
 * `npm run images:import -- <acr-name> [--dry-run]`: imports every third-party image the pinned charts run
 * (infra/kubernetes/charts/chart-pins.ts) into the stack's ACR with `az acr import`, keeping each repository path, so
 * the charts' values only swap the registry. The cluster then pulls nothing from public registries: Defender scans
 * what runs, and a private cluster with locked-down egress still starts its add-ons.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { THIRD_PARTY_IMAGES } from '../kubernetes/charts/chart-pins';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
});
const registry = positionals[0];
if (values.help || !registry) {
  console.log(
    'usage: npm run images:import -- <acr-name> [--dry-run]   (the stack output acrLoginServer, without .azurecr.io)',
  );
  process.exit(values.help ? 0 : 2);
}

const imports = [...new Map(THIRD_PARTY_IMAGES.map((image) => [image.target, image])).values()];
let failed = 0;
for (const image of imports) {
  const args = ['acr', 'import', '--name', registry, '--source', image.source, '--image', image.target, '--force'];
  console.log(`az ${args.join(' ')}`);
  if (values['dry-run']) continue;
  const result = spawnSync('az', args, { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`images:import: ${image.source} failed (exit ${result.status ?? result.signal})`);
  }
}
console.log(`images:import: ${imports.length - failed} of ${imports.length} images in ${registry}`);
process.exit(failed === 0 ? 0 : 1);
