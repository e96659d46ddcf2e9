import { describe, expect, it } from 'vitest';
import { ENV } from '../../src/contract.js';
import { loadDatabaseSetupConfig } from '../../src/ops/database-setup-config.js';
import { createOpsLogger } from '../../src/ops/ops-log.js';
import { EXIT_CODES, runOperation } from '../../src/ops/run-operation.js';

function capturedLog() {
  const lines: string[] = [];
  return { log: createOpsLogger((line) => lines.push(line)), lines };
}

describe('runOperation (the exit code of an operations command)', () => {
  it('exits 2 on invalid configuration, logging every problem in one JSON line, and does not run', async () => {
    const { log, lines } = capturedLog();
    let ran = false;
    const code = await runOperation({
      name: 'database setup',
      log,
      loadConfig: () => loadDatabaseSetupConfig({ [ENV.databaseAuth]: 'nope' }),
      run: async () => {
        ran = true;
      },
    });
    expect(code).toBe(EXIT_CODES.invalidConfig);
    expect(code).toBe(2);
    expect(ran).toBe(false);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 50, msg: 'database setup: invalid configuration' });
    expect(entry.problems).toEqual(
      expect.arrayContaining([
        `${ENV.databaseMigrationUrl}: is required but not set`,
        expect.stringMatching(/^DATABASE_AUTH: /),
      ]),
    );
  });

  it('exits 1 when the operation fails, logging the message and code only', async () => {
    const { log, lines } = capturedLog();
    const failure = Object.assign(new Error('permission denied for table documents'), { code: '42501' });
    const code = await runOperation({
      name: 'database setup',
      log,
      loadConfig: () => ({}),
      run: () => Promise.reject(failure),
    });
    expect(code).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 50,
      msg: 'database setup failed',
      err: { message: 'permission denied for table documents', code: '42501' },
    });
  });

  it('exits 0 when the operation succeeds', async () => {
    const { log } = capturedLog();
    expect(await runOperation({ name: 'x', log, loadConfig: () => 1, run: async () => {} })).toBe(0);
  });

  it('treats an unexpected error while loading the configuration as a failure, not a bad setting', async () => {
    const { log } = capturedLog();
    const code = await runOperation({
      name: 'x',
      log,
      loadConfig: () => {
        throw new TypeError('boom');
      },
      run: async () => {},
    });
    expect(code).toBe(1);
  });
});
