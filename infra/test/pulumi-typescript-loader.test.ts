/**
 * `pulumi up` loads the program through Pulumi's own TypeScript loader (its vendored ts-node, CommonJS output),
 * not through vitest. The program and the policy pack import the shared contract from the service, whose package is
 * an ES module; this proves that file, the program's modules and the pack all load the way the engine loads them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '../..');
const require = createRequire(join(repoRoot, 'package.json'));
// The package's exports hide its files; its main entry sits at the package root.
const pulumiRoot = dirname(require.resolve('@pulumi/pulumi'));

const script = `
const tsn = require(${JSON.stringify(join(pulumiRoot, 'vendor/ts-node@7.0.1'))});
// The options Pulumi's run.js passes when the project is CommonJS: the project's TypeScript and tsconfig.
tsn.register({
  compiler: ${JSON.stringify(require.resolve('typescript'))},
  project: ${JSON.stringify(join(repoRoot, 'tsconfig.json'))},
  transpileOnly: true,
  compilerOptions: { target: 'ES2020', module: 'commonjs', moduleResolution: 'node', sourceMap: 'true' },
});
const contract = require(${JSON.stringify(join(repoRoot, 'service/src/contract.ts'))});
const platform = require(${JSON.stringify(join(repoRoot, 'infra/platform.ts'))});
const config = require(${JSON.stringify(join(repoRoot, 'infra/config.ts'))});
const pack = require(${JSON.stringify(join(repoRoot, 'policies/registry.ts'))});
console.log(JSON.stringify({
  port: contract.PORTS.http,
  platform: typeof platform.createAzurePlatform,
  config: typeof config.loadDeploymentConfig,
  policies: pack.securityPolicies.length,
}));
`;

describe("Pulumi's TypeScript loader", () => {
  it('loads the contract, the program modules and the policy pack as CommonJS', () => {
    expect(existsSync(join(pulumiRoot, 'vendor/ts-node@7.0.1'))).toBe(true);
    const run = spawnSync(process.execPath, ['-e', script], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const loaded = JSON.parse(run.stdout.trim()) as Record<string, unknown>;
    expect(loaded.port).toBe(8080);
    expect(loaded.platform).toBe('function');
    expect(loaded.config).toBe('function');
    expect(loaded.policies).toBeGreaterThanOrEqual(50);
  });
});
