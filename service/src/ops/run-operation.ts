import { ConfigError } from '../config.js';
import { OPERATION_EXIT_CODES } from '../contract.js';
import type { OpsLogger } from './ops-log.js';

/** The exit codes of the operations commands: the Job's pod status tells a bad setting from a failed run. */
export const EXIT_CODES = OPERATION_EXIT_CODES;

export interface Operation<Config> {
  /** Names the command in its log lines, e.g. "database setup". */
  name: string;
  log: OpsLogger;
  loadConfig(): Config;
  run(config: Config): Promise<unknown>;
}

/** Loads the configuration, runs the operation and turns the outcome into an exit code; never rejects. */
export async function runOperation<Config>(operation: Operation<Config>): Promise<number> {
  let config: Config;
  try {
    config = operation.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      operation.log.error(`${operation.name}: invalid configuration`, { problems: error.problems });
      return EXIT_CODES.invalidConfig;
    }
    operation.log.error(`${operation.name} failed`, { err: describeError(error) });
    return EXIT_CODES.failed;
  }
  try {
    await operation.run(config);
    return EXIT_CODES.ok;
  } catch (error) {
    operation.log.error(`${operation.name} failed`, { err: describeError(error) });
    return EXIT_CODES.failed;
  }
}

/** The message and code only: a stack adds noise to the Job's log, and error objects may carry request details. */
function describeError(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
}
