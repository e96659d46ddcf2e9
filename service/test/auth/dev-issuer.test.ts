import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-mapping.js';
import { createTokenVerifier, DEFAULT_ALGORITHMS } from '../../src/auth/token-verifier.js';
import { type DevIssuer, DevIssuerRefusedError, startDevIssuer } from '../../src/dev/dev-issuer.js';
import { readDevServerInfo, SERVICE_ROOT } from '../../src/dev/dev-paths.js';
import { DevSigningKeyError, loadOrCreateDevSigningKey } from '../../src/dev/dev-signing-key.js';
import { MintTokenUsageError, mintDefaults, parseMintArguments } from '../../src/dev/mint-token-arguments.js';

const RESOURCE = 'http://127.0.0.1:8080/mcp';
const run = promisify(execFile);

function verifierFor(issuer: DevIssuer, audience = RESOURCE) {
  return createTokenVerifier({
    issuers: [issuer.issuer],
    audience,
    algorithms: [...DEFAULT_ALGORITHMS],
    clockToleranceSeconds: 30,
    requiredTyp: 'at+jwt',
    claims: DEFAULT_CLAIM_NAMES,
    scopeMap: {},
  });
}

describe('development issuer', () => {
  let dataDir: string;
  const started: DevIssuer[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dev-issuer-'));
  });
  afterEach(async () => {
    while (started.length > 0) await started.pop()?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = async (host = '127.0.0.1') => {
    const issuer = await startDevIssuer({ mode: 'development', host, port: 0, dataDir });
    started.push(issuer);
    return issuer;
  };

  it('refuses to start unless development mode is explicit', async () => {
    const notDevelopment = { mode: 'production', host: '127.0.0.1', port: 0, dataDir } as unknown as Parameters<
      typeof startDevIssuer
    >[0];
    await expect(startDevIssuer(notDevelopment)).rejects.toThrow(DevIssuerRefusedError);
    const noMode = { host: '127.0.0.1', port: 0, dataDir } as unknown as Parameters<typeof startDevIssuer>[0];
    await expect(startDevIssuer(noMode)).rejects.toThrow(/mode: 'development'/);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('refuses the non-loopback host %s', async (host) => {
    await expect(startDevIssuer({ mode: 'development', host, port: 0, dataDir })).rejects.toThrow(
      /only binds to loopback/,
    );
  });

  it('serves metadata at both well-known locations and a JWKS, and its tokens verify', async () => {
    const issuer = await start();
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const metadata = (await (await fetch(`${issuer.issuer}${path}`)).json()) as Record<string, unknown>;
      expect(metadata.issuer).toBe(issuer.issuer);
      expect(metadata.jwks_uri).toBe(issuer.jwksUrl);
    }
    const jwks = (await (await fetch(issuer.jwksUrl)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');

    const token = await issuer.mintAccessToken({
      subject: 'alice',
      tenantId: 'acme',
      scopes: ['mcp:read', 'mcp:write'],
      roles: ['manager'],
      audience: RESOURCE,
    });
    const identity = await verifierFor(issuer).verify(token);
    expect(identity).toMatchObject({
      subject: 'alice',
      tenantId: 'acme',
      scopes: ['mcp:read', 'mcp:write'],
      roles: ['manager'],
      clientId: 'mcp-dev-client',
      issuer: issuer.issuer,
    });
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(Object.keys(payload).sort()).toEqual(
      ['aud', 'client_id', 'exp', 'iat', 'iss', 'jti', 'roles', 'scope', 'sub', 'tenant_id'].sort(),
    );
  });

  it('binds to ::1 with a bracketed issuer URL', async () => {
    const issuer = await start('::1');
    expect(issuer.issuer).toMatch(/^http:\/\/\[::1\]:\d+$/);
    expect((await fetch(issuer.jwksUrl)).status).toBe(200);
  });

  it('keeps its private key in a 0600 file and reuses it across restarts', async () => {
    const first = await start();
    const firstKeys = await (await fetch(first.jwksUrl)).json();
    await started.pop()?.close();
    const keyFile = join(dataDir, 'signing-key.json');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o077).toBe(0);
    const second = await start();
    expect(await (await fetch(second.jwksUrl)).json()).toEqual(firstKeys);
    // A token minted before the restart still verifies against the restarted issuer's keys.
    const tokenFromFirst = await first.mintAccessToken({
      subject: 'a',
      tenantId: 't',
      scopes: 'mcp:read',
      audience: RESOURCE,
    });
    const stillValid = createTokenVerifier({
      issuers: [first.issuer],
      audience: RESOURCE,
      jwksUrl: second.jwksUrl,
      algorithms: ['ES256'],
      clockToleranceSeconds: 0,
      claims: DEFAULT_CLAIM_NAMES,
      scopeMap: {},
    });
    await expect(stillValid.verify(tokenFromFirst)).resolves.toMatchObject({ subject: 'a' });
  });

  it('creates one key when several processes start at once', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateDevSigningKey(dataDir)));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
  });

  it('refuses a key file other users can read', async () => {
    await loadOrCreateDevSigningKey(dataDir);
    const keyFile = join(dataDir, 'signing-key.json');
    await writeFile(keyFile, await readFile(keyFile), { mode: 0o644 });
    const { chmod } = await import('node:fs/promises');
    await chmod(keyFile, 0o644);
    await expect(loadOrCreateDevSigningKey(dataDir)).rejects.toThrow(DevSigningKeyError);
    await expect(loadOrCreateDevSigningKey(dataDir)).rejects.toThrow(/chmod 600/);
  });
});

describe('token CLI', () => {
  it('parses arguments and applies defaults', () => {
    const defaults = { issuer: 'http://127.0.0.1:8090', audience: RESOURCE };
    expect(
      parseMintArguments(
        ['--sub', 'alice', '--tenant', 'acme', '--scope', 'mcp:read mcp:write', '--roles', 'manager, admin'],
        defaults,
      ),
    ).toEqual({
      help: false,
      issuer: defaults.issuer,
      claims: {
        subject: 'alice',
        tenantId: 'acme',
        scopes: ['mcp:read', 'mcp:write'],
        roles: ['manager', 'admin'],
        audience: RESOURCE,
      },
    });
  });

  it.each([
    [['--tenant', 'acme'], /--sub is required/],
    [['--sub', 'alice'], /--tenant is required/],
    [['--sub', 'alice', '--tenant', 'acme', '--expires-in', '-5'], /--expires-in/],
    [['--sub', 'alice', '--tenant', 'acme', '--expires-in', 'soon'], /--expires-in/],
    [['--sub', 'alice', '--tenant', 'acme', '--aud', 'not a url'], /--aud must be an absolute URL/],
    [['--sub', 'alice', '--tenant', 'acme', '--scope', 'a"b'], /not a valid scope/],
    [['--sub', 'alice', '--tenant', 'acme', '--bogus'], /bogus/],
    [['stray'], /stray/],
  ])('refuses %j', (args, message) => {
    expect(() => parseMintArguments(args, { issuer: 'http://127.0.0.1:8090', audience: RESOURCE })).toThrow(
      MintTokenUsageError,
    );
    expect(() => parseMintArguments(args, { issuer: 'http://127.0.0.1:8090', audience: RESOURCE })).toThrow(message);
  });

  it("defaults to the running dev server's issuer and resource, else to the default ports", async () => {
    expect(mintDefaults({ PORT: '9000', DEV_ISSUER_PORT: '9001' }, undefined)).toEqual({
      issuer: 'http://127.0.0.1:9001',
      audience: 'http://127.0.0.1:9000/mcp',
    });
    expect(mintDefaults({}, undefined)).toEqual({
      issuer: 'http://127.0.0.1:8090',
      audience: 'http://127.0.0.1:8080/mcp',
    });
    const dir = await mkdtemp(join(tmpdir(), 'dev-server-info-'));
    try {
      const file = join(dir, 'dev-server.json');
      await writeFile(file, JSON.stringify({ issuer: 'http://127.0.0.1:7001', resource: 'http://127.0.0.1:7000/mcp' }));
      const running = readDevServerInfo(file);
      expect(mintDefaults({ PORT: '9000' }, running)).toEqual({
        issuer: 'http://127.0.0.1:7001',
        audience: 'http://127.0.0.1:7000/mcp',
      });
      await writeFile(file, '{"issuer": 42}');
      expect(readDevServerInfo(file)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints exactly one token that the verifier accepts (spawned with tsx, same key file as the issuer)', async () => {
    // The CLI signs with the developer's real key file (service/.data/dev-issuer, git-ignored), so the issuer here uses it too.
    const { DEV_ISSUER_DATA_DIR } = await import('../../src/dev/dev-paths.js');
    const issuer = await startDevIssuer({
      mode: 'development',
      host: '127.0.0.1',
      port: 0,
      dataDir: DEV_ISSUER_DATA_DIR,
    });
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/dev/mint-token-cli.ts',
          '--sub',
          'alice',
          '--tenant',
          'acme',
          '--scope',
          'mcp:read mcp:write',
          '--roles',
          'manager',
          '--iss',
          issuer.issuer,
          '--aud',
          RESOURCE,
          '--expires-in',
          '120',
        ],
        { cwd: SERVICE_ROOT },
      );
      expect(stderr).toBe('');
      const lines = stdout.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe('');
      const identity = await verifierFor(issuer).verify(lines[0] as string);
      expect(identity).toMatchObject({
        subject: 'alice',
        tenantId: 'acme',
        scopes: ['mcp:read', 'mcp:write'],
        roles: ['manager'],
      });
      expect(identity.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(120);
    } finally {
      await issuer.close();
    }
  });

  it('exits 2 with a message on stderr and nothing on stdout for bad arguments', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'src/dev/mint-token-cli.ts', '--sub', 'alice'], {
      cwd: SERVICE_ROOT,
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stdout: '' });
    expect((failure as { stderr: string }).stderr).toMatch(/--tenant is required[\s\S]*Usage:/);
  });
});
