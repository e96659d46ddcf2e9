import { describe, expect, it } from 'vitest';
import { LoadUsageError, parseDuration, parseLoadArguments, parseMix } from '../../load/load-options.js';

const URL_ = 'http://127.0.0.1:8080/mcp';

function usageError(args: string[]): string {
  try {
    parseLoadArguments(args);
  } catch (error) {
    expect(error).toBeInstanceOf(LoadUsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

describe('the load command’s options', () => {
  it('defaults to 30 s, 10 in flight, the 3/1/2 mix and tokens minted for 3 tenants of 4 users', () => {
    expect(parseLoadArguments([URL_])).toEqual({
      help: false,
      url: URL_,
      durationMs: 30_000,
      maxRequests: undefined,
      concurrency: 10,
      timeoutMs: 10_000,
      mix: { read: 3, create: 1, search: 2 },
      tokens: { kind: 'dev', tenants: 3, usersPerTenant: 4, devDataDir: undefined },
      json: false,
    });
  });

  it('reads every option', () => {
    const args = [URL_, '--duration', '2m', '--requests', '500', '--concurrency', '4', '--timeout', '750ms'];
    expect(parseLoadArguments([...args, '--mix', 'create=1', '--tokens', 't.txt', '--json'])).toMatchObject({
      durationMs: 120_000,
      maxRequests: 500,
      concurrency: 4,
      timeoutMs: 750,
      mix: { read: 0, create: 1, search: 0 },
      tokens: { kind: 'file', file: 't.txt' },
      json: true,
    });
  });

  it('reads durations with units, and bare numbers as seconds', () => {
    expect(parseDuration('20s', '--duration')).toBe(20_000);
    expect(parseDuration('1.5', '--duration')).toBe(1_500);
    expect(parseDuration('1h', '--duration')).toBe(3_600_000);
    expect(() => parseDuration('soon', '--duration')).toThrow(
      '--duration must be a time from 1ms to 24h such as 30s, 2m or 500ms, got "soon"',
    );
    expect(() => parseDuration('25h', '--duration')).toThrow(LoadUsageError);
    expect(() => parseDuration('0s', '--timeout')).toThrow(/^--timeout must be/);
  });

  it('reads a mix of whole weights and refuses unknown kinds, fractions and an all-zero mix', () => {
    expect(parseMix('read=5, search=1')).toEqual({ read: 5, create: 0, search: 1 });
    expect(() => parseMix('read=3,write=1')).toThrow(
      '--mix: "write" is not a kind; the kinds are read, create, search',
    );
    expect(() => parseMix('read=1.5')).toThrow(
      '--mix: the weight of read must be a whole number from 0 to 100, got "read=1.5"',
    );
    expect(() => parseMix('read')).toThrow(/the weight of read must be/);
    expect(() => parseMix('read=0,create=0')).toThrow('--mix: at least one weight must be above 0');
  });

  it('says what is wrong with bad arguments', () => {
    expect(usageError([])).toBe('the MCP endpoint URL is required, e.g. npm run load -- http://127.0.0.1:8080/mcp');
    expect(usageError([URL_, URL_])).toMatch(/^one MCP endpoint URL is expected, got 2/);
    expect(usageError(['ftp://127.0.0.1/mcp'])).toBe(
      '<mcp-url> must be an http or https URL, got "ftp://127.0.0.1/mcp"',
    );
    expect(usageError(['not a url'])).toBe('<mcp-url> must be an absolute URL, got "not a url"');
    expect(usageError([URL_, '--concurrency', '0'])).toBe(
      '--concurrency must be a whole number from 1 to 1000, got "0"',
    );
    expect(usageError([URL_, '--requests', 'many'])).toMatch(/^--requests must be a whole number/);
    expect(usageError([URL_, '--tenants', '101'])).toBe('--tenants must be a whole number from 1 to 100, got "101"');
    expect(usageError([URL_, '--tokens', 't.txt', '--users', '2'])).toBe(
      '--users is for minted tokens and cannot go with --tokens',
    );
    expect(usageError([URL_, '--rate', '5'])).toMatch(/Unknown option '--rate'/);
  });

  it('answers --help without needing a URL', () => {
    expect(parseLoadArguments(['--help'])).toEqual({ help: true });
  });
});
