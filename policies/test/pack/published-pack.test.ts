/**
 * `pulumi policy publish` runs `npm pack` in policies/ and the Pulumi service installs that tarball on its own, then
 * starts it with @pulumi/pulumi's run-policy-pack (ts-node, type-checking on). The pack used to load only inside this
 * repository: typescript, @pulumi/* and the contract came from the workspace around it. Here the tarball is unpacked
 * far from the repository, installed from its own package.json, started the way Pulumi starts it, and asked over
 * the analyzer's gRPC API for its policies and for a verdict on one insecure resource.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACK_NAME, securityPolicies } from '../../registry';

const policiesDir = join(__dirname, '..', '..');
const npm = (cwd: string, ...args: string[]) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let work: string;
let packDir: string;
let packedFiles: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'published-pack-'));
  const tarball = npm(policiesDir, 'pack', '--silent', '--pack-destination', work).trim().split('\n').pop() ?? '';
  packedFiles = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' })
    .trim()
    .split('\n');
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', work]);
  packDir = join(work, 'package');
  // From npm's cache where it can (`npm ci` filled it), from the registry otherwise.
  npm(packDir, 'install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock');
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Starts a pack folder with Pulumi's own entry point; resolves with the analyzer's port, or rejects with stderr. */
function runPolicyPack(dir: string): { child: ChildProcess; port: Promise<number> } {
  const entry = join(dir, 'node_modules', '@pulumi', 'pulumi', 'cmd', 'run-policy-pack');
  // The first argument is the engine's address, which the entry point drops; the second is the pack's folder.
  const child = spawn(process.execPath, [entry, '127.0.0.1:1', '.'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const port = new Promise<number>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('\n')) resolve(Number(stdout.split('\n')[0]));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`run-policy-pack exited with ${code}:\n${stderr}`)));
  });
  return { child, port };
}

describe('the published pack (npm pack, installed on its own, started by run-policy-pack)', () => {
  it('holds the pack and its vendored contract, and no tests, scripts or mutation harness', () => {
    expect(packedFiles).toContain('package/vendor/contract.ts');
    expect(packedFiles).toContain('package/tsconfig.json');
    expect(packedFiles.filter((file) => /^package\/(test|scripts|mutations)\//.test(file))).toEqual([]);
    // The folder alone resolves everything: no import leaves it.
    const installed = readdirSync(join(packDir, 'node_modules'));
    expect(installed).toEqual(expect.arrayContaining(['typescript', 'ts-node', '@pulumi', '@types', 'ipaddr.js']));
  });

  it('type-checks: a type error in the pack stops it (the guard below is live)', async () => {
    const broken = join(work, 'broken');
    // The pack's files, and its install linked rather than copied (110 MB).
    const installed = join(packDir, 'node_modules');
    cpSync(packDir, broken, { recursive: true, filter: (source) => source !== installed });
    symlinkSync(installed, join(broken, 'node_modules'), 'dir');
    appendFileSync(join(broken, 'index.ts'), '\nconst notANumber: number = "text";\n');
    const { port } = runPolicyPack(broken);
    await expect(port).rejects.toThrow(/TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it('serves every policy of the registry and denies an insecure resource', async () => {
    const { child, port } = runPolicyPack(packDir);
    try {
      const address = `127.0.0.1:${await port}`;
      // The client is the pack's own install of gRPC and Pulumi's protocol, not the repository's.
      const packRequire = createRequire(join(packDir, 'package.json'));
      const grpc = packRequire('@grpc/grpc-js');
      const services = packRequire('@pulumi/pulumi/proto/analyzer_grpc_pb.js');
      const messages = packRequire('@pulumi/pulumi/proto/analyzer_pb.js');
      const { Empty } = packRequire('google-protobuf/google/protobuf/empty_pb.js');
      const { Struct } = packRequire('google-protobuf/google/protobuf/struct_pb.js');
      const client = new services.AnalyzerClient(address, grpc.credentials.createInsecure());
      const call = <T>(method: string, request: unknown) =>
        new Promise<T>((resolve, reject) =>
          client[method](request, (error: Error | null, response: T) => (error ? reject(error) : resolve(response))),
        );
      try {
        const info = await call<{ getName(): string; getPoliciesList(): Array<{ getName(): string }> }>(
          'getAnalyzerInfo',
          new Empty(),
        );
        expect(info.getName()).toBe(PACK_NAME);
        expect(info.getPoliciesList().map((policy) => policy.getName())).toEqual(securityPolicies.map((p) => p.name));

        const request = new messages.AnalyzeRequest();
        request.setType('azure-native:keyvault:Vault');
        request.setName('vault');
        request.setUrn('urn:pulumi:dev::secure-mcp-azure::azure-native:keyvault:Vault::vault');
        request.setProperties(Struct.fromJavaScript({ properties: { enableRbacAuthorization: false } }));
        request.setOptions(new messages.AnalyzerResourceOptions());
        const verdict = await call<{ getDiagnosticsList(): Array<{ getPolicyname(): string; getMessage(): string }> }>(
          'analyze',
          request,
        );
        const rbac = verdict
          .getDiagnosticsList()
          .find((d) => d.getPolicyname() === 'azure-keyvault-rbac-authorization');
        expect(rbac?.getMessage()).toMatch(/uses access policies/);
      } finally {
        client.close();
      }
    } finally {
      child.kill();
    }
  });
});
