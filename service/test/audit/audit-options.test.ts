import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAuditOptions, TOKEN_VARIABLE, UsageError } from '../../audit/options.js';
import { auditTarget } from '../../audit/target.js';
import { runAuditCli } from './run-audit-cli.js';

const parse = (argv: string[], env: Record<string, string> = {}) => parseAuditOptions(argv, env);

describe('audit command line', () => {
  it.each([
    [[], 'name the base URL to audit'],
    [['https://a.example', 'https://b.example'], 'give exactly one base URL'],
    [['ftp://mcp.example.com'], '"ftp://mcp.example.com" is not an http(s) URL'],
    [['mcp.example.com'], '"mcp.example.com" is not an http(s) URL'],
    [['https://mcp.example.com/?x=1'], 'without query, fragment or credentials'],
    [['https://user:pw@mcp.example.com'], 'without query, fragment or credentials'],
    [['https://mcp.example.com', '--max-requests', '0'], '--max-requests must be a whole number from 1 to 1000000'],
    [['https://mcp.example.com', '--batch-size', '2.5'], '--batch-size must be a whole number from 1 to 1000'],
    [['https://mcp.example.com', '--metrics-port', '70000'], '--metrics-port must be a whole number from 1 to 65535'],
    [['https://mcp.example.com', '--token', ' '], '--token is empty'],
    [['https://mcp.example.com', '--ca', '/nonexistent/ca.pem'], '--ca /nonexistent/ca.pem: ENOENT'],
    [['https://mcp.example.com', '--frobnicate'], "Unknown option '--frobnicate'"],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => parse(argv)).toThrow(UsageError);
    expect(() => parse(argv)).toThrow(message);
  });

  it('refuses a --ca file without a certificate', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'audit-ca-')), 'not-a-cert.pem');
    writeFileSync(file, 'hello');
    expect(() => parse(['https://mcp.example.com', '--ca', file])).toThrow('no PEM certificate in it');
  });

  it('exits 2 on bad usage with the reason and the usage, no stack trace; 0 with the usage on --help', async () => {
    const bad = await runAuditCli(['https://mcp.example.com', '--max-requests', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/^audit: --max-requests must be a whole number from 1 to 1000000, got "lots"\n\nUsage: /);
    expect(bad.err).not.toMatch(/^\s+at /m);
    const help = await runAuditCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: npm run audit -- <base-url> \[options\]/);
    expect(help.out).toContain('not `npm audit`');
  });

  it('takes the defaults, and the token from MCP_AUDIT_TOKEN when --token is not given', () => {
    expect(parse(['https://mcp.example.com'], { [TOKEN_VARIABLE]: 'from-env' })).toEqual({
      baseUrl: 'https://mcp.example.com',
      token: 'from-env',
      json: false,
      maxRequests: 2000,
      batchSize: 10,
      skipIssuer: false,
      metricsPort: undefined,
      timeoutMs: 10_000,
    });
    expect(parse(['https://mcp.example.com', '--token', 'from-flag'], { [TOKEN_VARIABLE]: 'x' })?.token).toBe(
      'from-flag',
    );
  });

  it.each([
    ['https://mcp.example.com', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/', 'https://mcp.example.com/mcp'],
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/mcp'],
    ['https://example.com/tenant-a/', 'https://example.com/tenant-a/mcp'],
    ['https://example.com/tenant-a/mcp/', 'https://example.com/tenant-a/mcp'],
  ])('audits %s at %s', (baseUrl, mcpUrl) => {
    const options = parse([baseUrl]);
    if (options === undefined) throw new Error('no options');
    expect(auditTarget(options).mcpUrl).toBe(mcpUrl);
  });
});
